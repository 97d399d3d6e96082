/**
 * `defineVendor`: turns a vendor's typed definition into the module the mock mounts (types erased), with its
 * defaults filled in. The pipeline asks the module for everything vendor-specific.
 */
import { MockError } from './errors.js';
import type { EventDefinition, TriggeredDelivery } from './event-catalogue.js';
import type { NegativeKind } from './negative.js';
import type {
  ClientCall,
  DeliveryToVerify,
  DeliveryVerification,
  Dispatch,
  ErrorContext,
  ReceiverCheck,
  SerializedBody,
  TestAnswerReading,
  VendorContext,
  VendorDefinition,
  VendorName,
  VendorRequest,
  VendorResponse,
  VendorSetting,
  WebhookSummary,
} from './vendor-module.js';

/** A vendor action as listings show it. */
export interface VendorActionSummary {
  name: string;
  summary: string;
}

/** A vendor with its types erased, as the pipeline, the server and the admin API hold it. */
export interface VendorModule {
  name: VendorName;
  title: string;
  label: string;
  basePath: string;
  specFile: string;
  fixtureFile: string;
  fixtureSchema: object;
  fixtureProblems?(fixture: unknown): string[];
  signatureHeader: string;
  /** The negative deliveries (`X-Mock-Negative`) this vendor can make. */
  negativeKinds: readonly NegativeKind[];
  /** Every operationId this vendor has a handler for. */
  operationIds: readonly string[];
  /** The operations that need no credentials. */
  publicOperationIds: ReadonlySet<string>;
  splitPath(path: string): { path: string; tenant?: string };
  parseBody(contentType: string, raw: Buffer): { parsed: true; value: unknown } | { parsed: false };
  serialize(body: unknown, context: Pick<ErrorContext, 'headers'>): SerializedBody;
  formatError(error: MockError, context: ErrorContext): VendorResponse;
  presentedCredential(headers: Record<string, string | undefined>): string | undefined;
  targetWebhook(request: Pick<VendorRequest, 'params' | 'query' | 'body'>): string | undefined;
  receiverCheck?: ReceiverCheck;
  /** A one-line reading of a test call's answer; by default a 2xx is ok. */
  readTestAnswer(status: number, body: unknown): TestAnswerReading;
  /** What a well-behaved receiver answers the vendor's delivery (see VendorDefinition.sinkAnswer). */
  sinkAnswer(body: Buffer, answer: string | undefined): unknown;
  /** The events the vendor sends (empty when it has no catalogue). */
  events: readonly EventDefinition[];
  /** The JSON pointer of an event's own part in its body. */
  eventPartPointer: string;
  /** What the vendor can be told to do besides its API (see VendorDefinition.actions). */
  actions: readonly VendorActionSummary[];
  /** The vendor's settings by name (see VendorDefinition.settings). */
  settings: Readonly<Record<string, VendorSetting>>;
  start(fixture: unknown, ctx: VendorContext): Promise<VendorRuntime>;
}

/** A mounted vendor as people and clients see it: names, base path, the header that carries its signature. */
export type VendorSummary = Pick<VendorModule, 'name' | 'title' | 'label' | 'basePath' | 'signatureHeader'>;

export function vendorSummary(module: VendorModule): VendorSummary {
  return {
    name: module.name,
    title: module.title,
    label: module.label,
    basePath: module.basePath,
    signatureHeader: module.signatureHeader,
  };
}

/** A started vendor: its state, seeded from fixtures, and the handlers that work on it. */
export interface VendorRuntime {
  /** Who is calling (undefined for a public operation); throws a MockError when the credentials do not pass. */
  authenticate(request: VendorRequest): Promise<unknown>;
  /** Runs the operation's handler; throws a MockError (`not-implemented` when there is no handler). */
  handle(request: VendorRequest, principal: unknown, dispatch: Dispatch): Promise<VendorResponse>;
  /**
   * Throws the state away and seeds it again from the fixtures — from `fixture` when given (a reload), which
   * then becomes the one later resets use. Throws, keeping the current state, when the fixture cannot be used.
   */
  reset(fixture?: unknown): Promise<void>;
  /** The stored webhooks (admin API). */
  listWebhooks(): WebhookSummary[];
  /** The vendor's own records of its deliveries, newest first (empty when it keeps none). */
  instances(): unknown[];
  /** A client's test call for a stored webhook, undefined for an unknown one (or a vendor without one). */
  testCall(webhookId: string): ClientCall | undefined;
  /** Checks a delivery's signature as its receiver would. */
  verifyDelivery(delivery: DeliveryToVerify): Promise<DeliveryVerification>;
  /** A delivered body around an event's part (for checking the part against the spec). */
  sampleEventBody(event: EventDefinition, part: unknown): unknown;
  /**
   * Runs one of the vendor's actions on its current state; throws a MockError `not-found` for an action it
   * does not have, or what the action throws.
   */
  runAction(name: string, body: unknown): Promise<unknown>;
  /** Sends a triggered event (see VendorEvents.deliver). */
  deliverEvent(
    event: EventDefinition,
    part: unknown,
    webhookId: string | undefined,
    dispatch: Dispatch,
  ): Promise<TriggeredDelivery[]>;
}

/** `Authorization: Bearer <token>`, the credential most vendors' scenario rules name. */
function bearerToken(headers: Record<string, string | undefined>): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
}

function pathWebhook(request: Pick<VendorRequest, 'params'>): string | undefined {
  return request.params.id ?? request.params.webhookId;
}

function jsonSerializer(body: unknown): SerializedBody {
  return { contentType: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(body)) };
}

export function defineVendor<State, Principal>(definition: VendorDefinition<State, Principal>): VendorModule {
  const publicOperationIds = new Set(Object.keys(definition.publicHandlers));
  return {
    name: definition.name,
    title: definition.title,
    label: definition.label,
    basePath: definition.basePath,
    specFile: definition.specFile,
    fixtureFile: definition.fixtureFile,
    fixtureSchema: definition.fixtureSchema,
    ...(definition.fixtureProblems === undefined ? {} : { fixtureProblems: definition.fixtureProblems }),
    signatureHeader: definition.signatureHeader,
    negativeKinds: definition.negativeKinds ?? [],
    operationIds: [...Object.keys(definition.handlers), ...publicOperationIds],
    publicOperationIds,
    splitPath: definition.splitPath ?? ((path) => ({ path })),
    parseBody: definition.parseBody ?? (() => ({ parsed: false })),
    serialize: definition.serialize ?? jsonSerializer,
    formatError: definition.formatError,
    presentedCredential: definition.presentedCredential ?? bearerToken,
    targetWebhook: definition.targetWebhook ?? pathWebhook,
    ...(definition.receiverCheck === undefined ? {} : { receiverCheck: definition.receiverCheck }),
    readTestAnswer:
      definition.readTestAnswer ?? ((status) => ({ ok: status >= 200 && status < 300, outcome: '' })),
    sinkAnswer: (body, answer) => definition.sinkAnswer?.(body, answer),
    events: definition.events?.catalogue ?? [],
    eventPartPointer: definition.events?.partPointer ?? '',
    actions: Object.entries(definition.actions ?? {}).map(([name, action]) => ({
      name,
      summary: action.summary,
    })),
    settings: definition.settings ?? {},
    start: (fixture, ctx) => startVendor(definition, fixture, ctx),
  };
}

async function startVendor<State, Principal>(
  definition: VendorDefinition<State, Principal>,
  initialFixture: unknown,
  ctx: VendorContext,
): Promise<VendorRuntime> {
  let fixture = initialFixture;
  let state = await definition.createState(fixture, ctx);
  return {
    async authenticate(request) {
      if (Object.hasOwn(definition.publicHandlers, request.operationId)) return undefined;
      return await definition.authenticate(request, state, ctx);
    },
    async handle(request, principal, dispatch) {
      const publicHandler = Object.hasOwn(definition.publicHandlers, request.operationId)
        ? definition.publicHandlers[request.operationId]
        : undefined;
      if (publicHandler !== undefined) return await publicHandler({ request, state, ctx, dispatch });
      const handler = Object.hasOwn(definition.handlers, request.operationId)
        ? definition.handlers[request.operationId]
        : undefined;
      if (handler === undefined) {
        throw new MockError('not-implemented', `the mock does not implement ${request.operationId} yet`);
      }
      return await handler({ request, state, principal: principal as Principal, ctx, dispatch });
    },
    async reset(next) {
      const seed = next ?? fixture;
      state = await definition.createState(seed, ctx);
      fixture = seed;
    },
    listWebhooks: () => definition.listWebhooks?.(state) ?? [],
    instances: () => definition.instances?.(state, ctx) ?? [],
    testCall: (id) => definition.testCall?.(state, id, ctx),
    runAction: async (name, body) => {
      const actions = definition.actions ?? {};
      const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
      if (action === undefined) {
        const known = Object.keys(actions);
        throw new MockError(
          'not-found',
          `${definition.name} has no action "${name}"` +
            (known.length === 0 ? '' : `; it has ${known.map((other) => `"${other}"`).join(', ')}`),
        );
      }
      return await action.run({ state, ctx, body });
    },
    sampleEventBody: (event, part) => definition.events?.sampleBody(event, part, state, ctx),
    deliverEvent: async (event, part, webhookId, dispatch) => {
      if (definition.events === undefined) return [];
      return definition.events.deliver({
        event,
        part,
        ...(webhookId === undefined ? {} : { webhookId }),
        state,
        ctx,
        dispatch,
      });
    },
    verifyDelivery: async (delivery) =>
      definition.verifyDelivery === undefined
        ? { verified: false, reason: `no signature check for ${definition.name}` }
        : await definition.verifyDelivery(delivery, state, ctx),
  };
}
