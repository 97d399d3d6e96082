import { MockError, isMockError } from './errors.js';
import type { VendorName } from './journal.js';
import type { NegativeKind } from './negative.js';
import type {
  ClientCall,
  DeliveryToVerify,
  DeliveryVerification,
  ErrorContext,
  SerializedBody,
  VendorContext,
  VendorDefinition,
  VendorRequest,
  VendorResponse,
  WebhookSummary,
} from './vendor-module.js';

/** A vendor with its types erased, as the http layer and the server hold it. */
export interface Vendor {
  name: VendorName;
  title: string;
  basePath: string;
  specFile: string;
  fixtureFile: string;
  fixtureSchema: object;
  fixtureProblems?(fixture: unknown): string[];
  /** Every operationId this vendor answers. */
  operationIds: string[];
  splitPath(path: string): { path: string; tenant?: string };
  parseBody(contentType: string, raw: Buffer): { parsed: true; value: unknown } | { parsed: false };
  serialize(body: unknown, context: ErrorContext): SerializedBody;
  formatError(error: MockError, context: ErrorContext): VendorResponse;
  /** The negative deliveries (`X-Mock-Negative`) this vendor can make. */
  negativeKinds: readonly NegativeKind[];
  start(fixture: unknown, ctx: VendorContext): Promise<VendorRuntime>;
}

/**
 * Runs after authentication and before the handler; an answer it returns replaces the handler's (scenario
 * overrides, `Prefer` headers).
 */
export type Interceptor = (request: VendorRequest) => Promise<VendorResponse | undefined>;

/** A started vendor: its state, seeded from fixtures, and the way in for routed requests. */
export interface VendorRuntime {
  /** Authenticates (unless the operation is public), lets `intercept` answer, else runs the handler. */
  handle(request: VendorRequest, intercept?: Interceptor): Promise<VendorResponse>;
  /** The vendor's answer when the request's credentials do not pass; undefined when they do (or none are needed). */
  checkCredentials(request: VendorRequest): Promise<VendorResponse | undefined>;
  /** Answers a request that already failed (e.g. spec validation) — after authentication, as the vendor does. */
  reject(request: VendorRequest, error: MockError): Promise<VendorResponse>;
  /**
   * Throws the state away and seeds it again from the fixtures — from `fixture` when given (a reload), which
   * then becomes the one later resets use. Throws, keeping the current state, when the fixture cannot be used.
   */
  reset(fixture?: unknown): Promise<void>;
  /** The stored webhooks (admin API); absent when the vendor does not say. */
  listWebhooks?(): WebhookSummary[];
  /** A client's test call for a stored webhook, undefined for an unknown one. */
  testCall?(webhookId: string): ClientCall | undefined;
  /** Checks a delivery's signature as its receiver would. */
  verifyDelivery?(delivery: DeliveryToVerify): Promise<DeliveryVerification>;
}

export function defineVendor<State, Principal>(definition: VendorDefinition<State, Principal>): Vendor {
  const { formatError, listWebhooks, testCall, verifyDelivery } = definition;
  return {
    name: definition.name,
    title: definition.title,
    basePath: definition.basePath,
    specFile: definition.specFile,
    fixtureFile: definition.fixtureFile,
    fixtureSchema: definition.fixtureSchema,
    ...(definition.fixtureProblems === undefined ? {} : { fixtureProblems: definition.fixtureProblems }),
    operationIds: [...Object.keys(definition.handlers), ...Object.keys(definition.publicHandlers)],
    splitPath: definition.splitPath ?? ((path) => ({ path })),
    parseBody: definition.parseBody ?? (() => ({ parsed: false })),
    serialize:
      definition.serialize ??
      ((body) => ({
        contentType: 'application/json; charset=utf-8',
        body: Buffer.from(JSON.stringify(body)),
      })),
    formatError,
    negativeKinds: definition.negativeKinds ?? [],
    async start(initialFixture, ctx) {
      let fixture = initialFixture;
      let state = await definition.createState(fixture, ctx);

      const failure = (error: unknown, request: VendorRequest): VendorResponse => {
        if (isMockError(error)) return formatError(error, request);
        ctx.logger.error({ err: error, requestId: request.requestId }, 'handler failed');
        return formatError(new MockError('internal', 'internal error in the mock'), request);
      };

      const authenticate = async (request: VendorRequest): Promise<Principal | undefined> =>
        request.operationId in definition.publicHandlers
          ? undefined
          : await definition.authenticate(request, state, ctx);

      return {
        async handle(request, intercept) {
          try {
            const publicHandler = definition.publicHandlers[request.operationId];
            if (publicHandler !== undefined) {
              return (await intercept?.(request)) ?? (await publicHandler({ request, state, ctx }));
            }
            const handler = definition.handlers[request.operationId];
            if (handler === undefined) {
              throw new MockError('route-not-found', `no handler for operation ${request.operationId}`);
            }
            const principal = await definition.authenticate(request, state, ctx);
            return (await intercept?.(request)) ?? (await handler({ request, state, principal, ctx }));
          } catch (error) {
            return failure(error, request);
          }
        },
        async checkCredentials(request) {
          try {
            await authenticate(request);
            return undefined;
          } catch (error) {
            return failure(error, request);
          }
        },
        async reject(request, error) {
          try {
            await authenticate(request);
          } catch (authError) {
            return failure(authError, request);
          }
          return formatError(error, request);
        },
        async reset(next) {
          const seed = next ?? fixture;
          state = await definition.createState(seed, ctx);
          fixture = seed;
        },
        ...(listWebhooks === undefined ? {} : { listWebhooks: () => listWebhooks(state) }),
        ...(testCall === undefined ? {} : { testCall: (id: string) => testCall(state, id, ctx) }),
        ...(verifyDelivery === undefined
          ? {}
          : {
              verifyDelivery: async (delivery: DeliveryToVerify) =>
                await verifyDelivery(delivery, state, ctx),
            }),
      };
    },
  };
}
