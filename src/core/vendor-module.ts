/**
 * The contract between the mock and one vendor. A vendor is a folder under src/vendors/ whose index.ts defines
 * a VendorDefinition with `defineVendor`; src/vendors/index.ts lists them. Nothing outside the folder knows a
 * vendor's facts: the pipeline, the admin API, the inspector, check-receiver and the CLI ask the module.
 */
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { DeliveryRequest } from './delivery.js';
import type { EngineOutcome, OutboundEvent } from './delivery-engine.js';
import type { EventDefinition, EventVerdict, TriggeredDelivery } from './event-catalogue.js';
import type { MockError } from './errors.js';
import type { IdSource } from './ids.js';
import type { NegativeKind } from './negative.js';

/** A vendor's name as the mock uses it in paths, journals and options: `c1`, `shodai`, `superoffice`, … */
export type VendorName = string;

/** A request as a vendor sees it: framework-free, already routed to an operation, parsed and validated. */
export interface VendorRequest {
  requestId: string;
  operationId: string;
  method: string;
  /** The vendor's own path, below our mount point (and below SuperOffice's tenant prefix). */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  query: Record<string, string | string[] | undefined>;
  params: Record<string, string>;
  /** The parsed body (JSON, form fields or XML, by content type); undefined when there is none. */
  body: unknown;
  rawBody: Buffer;
  /** SuperOffice's customer id from a `/Cust12345/api/...` path, when present. */
  tenant?: string;
}

/** What a vendor answers; the pipeline serialises `body` (JSON unless the vendor says otherwise). */
export interface VendorResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A request's door to the delivery engine, with what the request asked for bound to it (a scenario's
 * simulated outcome, a negative delivery): handlers deliver through it and never see where it leads.
 */
export interface Dispatch {
  deliver(outbound: OutboundEvent): Promise<EngineOutcome>;
  /** The negative delivery asked for (`X-Mock-Negative`, a scenario's `negative`), if any. */
  negative?: NegativeKind;
}

/** Everything a vendor may use from the server around it. */
export interface VendorContext {
  clock: Clock;
  ids: IdSource;
  /** Origin (plus nothing else) that receivers and clients use to reach the mock, e.g. http://localhost:4010. */
  publicUrl: string;
  /** The vendor's own base URL, e.g. http://localhost:4010/c1. */
  vendorBaseUrl: string;
  /** Whether webhook URLs must be https (`--strict`). */
  strictUrls: boolean;
  /**
   * How many webhooks (and issued tokens, delivery records) a vendor's store keeps (`--store-limit`): creating
   * one more webhook is refused in the vendor's format; older tokens and records make room for new ones.
   */
  storeLimit: number;
  /** Why a delivery to this URL is not allowed (`--allow-targets`), or undefined when it is. */
  targetRefusal?(url: URL): string | undefined;
  /**
   * 32 bytes made once per server (from the seed in a seeded run) for the vendor's signing keys, so keys stay
   * the same across resets and, with a seed, across runs.
   */
  signingSeed: Buffer;
  logger: Logger;
  /** Checks against the vendor's own spec: a component schema, a delivered body (`/path: reason` lines). */
  schemas: SpecChecks;
  /** Records a later reading of a delivery's answer in the journal (C1's callback document). */
  annotateDelivery(deliveryId: string, verdict: EventVerdict): void;
  /** The vendor's settings (see VendorDefinition.settings), each given or its default. */
  settings: Readonly<Record<string, number>>;
}

/** The vendor's spec as a validator, for what is neither a request nor a response (events, receivers' answers). */
export interface SpecChecks {
  component(name: string, value: unknown): string[];
  webhookBody(key: string, body: unknown): string[];
}

export interface OperationCall<State, Principal> {
  request: VendorRequest;
  state: State;
  principal: Principal;
  ctx: VendorContext;
  dispatch: Dispatch;
}

export type OperationHandler<State, Principal> = (
  call: OperationCall<State, Principal>,
) => VendorResponse | Promise<VendorResponse>;

/** A handler for an operation that needs no credentials (token endpoint, JWKS, callback URLs). */
export type PublicOperationHandler<State> = (
  call: Omit<OperationCall<State, never>, 'principal'>,
) => VendorResponse | Promise<VendorResponse>;

/** The pipeline stage an error came from; a vendor's error table may answer by stage and operation. */
export type PipelineStage =
  'route' | 'read' | 'parse' | 'validate' | 'authenticate' | 'overrides' | 'handle' | 'serialize';

/** What a vendor's error table needs to know besides the error. */
export interface ErrorContext {
  requestId: string;
  headers: Record<string, string | undefined>;
  stage: PipelineStage;
  /** The operation, once the request has been routed. */
  operationId?: string;
}

/** How a vendor serialises an answer body (SuperOffice also speaks XML). */
export interface SerializedBody {
  contentType: string;
  body: Buffer;
}

/** A stored webhook as the admin API lists it (the inspector's "send test" buttons). */
export interface WebhookSummary {
  id: string;
  /** displayName (C1), Name (SuperOffice); Shodai subscriptions have none: their id. */
  name: string;
  url: string;
  /** active/disabled (Shodai), Active/Stopped/... (SuperOffice); C1 webhooks have none. */
  status?: string;
}

/** A client's call of one of the vendor's operations, as the admin API and check-receiver make it in process. */
export interface ClientCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below the vendor's base path, e.g. `/api/v1/webhooks/<id>/test`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What a test call's answer says: whether the delivery went well, and the vendor's own words for it. */
export interface TestAnswerReading {
  ok: boolean;
  outcome: string;
}

/** A journalled delivery to check as its receiver would, with the inbound request that caused it if known. */
export interface DeliveryToVerify {
  webhookId: string;
  event: string;
  /** When it was sent (on the mock's clock): time-bound signatures are checked at this moment. */
  sentAt: Date;
  request: DeliveryRequest;
  cause?: { operationId?: string; headers: Record<string, string>; body: Buffer };
}

/** Whether a delivery's signature verifies, and why (or why not). */
export interface DeliveryVerification {
  verified: boolean;
  /**
   * True when the delivery was rightly sent without a signature (a SuperOffice webhook without a Secret): there is
   * nothing to verify, which is neither a pass nor a failure. `verified` is false then.
   */
  unsigned?: boolean;
  reason: string;
}

/** A webhook in the fixtures that receives one event at a receiver's URL (the CLI's `trigger --url`). */
export interface EventReceiverWebhook {
  /** The webhook's id, as a trigger's `webhookId` names it. */
  id: string;
  /** The webhook as the vendor's fixture file lists it. */
  fixture: object;
  /** Fields of the event's part the event needs to reach that webhook (applied before the caller's own `set`). */
  set?: Record<string, unknown>;
}

/**
 * How `check-receiver` points a vendor's deliveries at a receiver and makes its test call — and how the CLI's
 * `trigger --url` points one event at it.
 */
export interface ReceiverCheck {
  /** Why the secret given cannot be used (or is missing where it is required); undefined when it is fine. */
  secretProblem?(secret: string | undefined): string | undefined;
  /** A webhook to add to the vendor's fixture so its test call reaches the receiver; undefined for none. */
  fixtureWebhook?(url: string, secret: string | undefined): object;
  /** The client's test call that delivers to the receiver. */
  testCall(url: string, secret: string | undefined): ClientCall;
  /** Whether a receiver's status counts as accepting (default: any 2xx). */
  accepts?(status: number): 'yes' | 'no' | 'only-2xx-not-200';
  /** Notes printed with the report (where the JWKS is, why checks were skipped). */
  notes?(mockUrl: string, url: string, secret: string | undefined): string[];
  /** Whether the signature checks can run without a secret. */
  signedWithoutSecret: boolean;
  /** The port the in-process mock listens on when none is given (C1: where receivers expect its JWKS). */
  defaultPort?: number;
  /** A webhook subscribed to `event` that delivers to `url`, signed with `secret` where the vendor signs so. */
  eventWebhook?(url: string, secret: string | undefined, event: string): EventReceiverWebhook;
  /** The vendor's settings in the in-process mock (C1: a short key grace period, which its own check waits out). */
  mockSettings?: Readonly<Record<string, number>>;
  /** Checks of the vendor's own, run after the common ones (C1: `rotated-key`). */
  ownChecks?: readonly OwnReceiverCheck[];
}

/** A check's verdict in check-receiver's report. */
export type ReceiverVerdict = 'pass' | 'fail' | 'warn' | 'skip';

/** One of a vendor's own check-receiver checks: what it sends, what it expects, and how it runs. */
export interface OwnReceiverCheck {
  /** Its name in the report's first column, e.g. `rotated-key`. */
  name: string;
  description: string;
  expected: string;
  run(probe: ReceiverProbe): Promise<OwnCheckResult>;
}

/** What a vendor's own check can do with the mock check-receiver runs and the receiver it checks. */
export interface ReceiverProbe {
  /** Makes the valid test call; resolves with the receiver's answer (`status` undefined when there was none). */
  deliver(): Promise<{ status?: number; received: string }>;
  /** Runs one of the vendor's actions (VendorDefinition.actions) on the mock's state. */
  action(name: string, body?: unknown): Promise<unknown>;
  /** When the mock answered each call of one of the vendor's operations so far, oldest first (C1: JWKS fetches). */
  callsOf(operationId: string): Date[];
  /** The mock's time. */
  now(): Date;
  /** Resolves once `ms` have passed. */
  sleep(ms: number): Promise<void>;
  /** Tells whoever runs the checks what is going on (before a long wait), on stderr for the CLI. */
  say(line: string): void;
}

/** How a vendor's own check went: its verdict, what the receiver answered, and why. */
export interface OwnCheckResult {
  verdict: ReceiverVerdict;
  /** The receiver's answers, e.g. `401, 401`. */
  received: string;
  note?: string;
}

/**
 * One vendor, as its folder under src/vendors defines it. The pipeline mounts it; nothing else about the
 * vendor is known outside its folder.
 */
export interface VendorDefinition<State, Principal> {
  name: VendorName;
  title: string;
  /** A short name for banners and tables, e.g. `ConductorOne`. */
  label: string;
  /** Mount point on the mock's single port, e.g. `/c1`. */
  basePath: string;
  /** Absolute path of the vendored OpenAPI document (YAML; its compiled JSON is used when current). */
  specFile: string;
  /** File name inside the fixtures folder, e.g. `c1.yaml`. */
  fixtureFile: string;
  /** JSON Schema the fixture file must satisfy (unknown keys rejected). */
  fixtureSchema: object;
  /** Checks of a schema-valid fixture the schema cannot express; `path: reason` lines, empty when it is fine. */
  fixtureProblems?(fixture: unknown): string[];
  /** The request header that carries this vendor's delivery signature (admin views, inspector). */
  signatureHeader: string;
  createState(fixture: unknown, ctx: VendorContext): State | Promise<State>;
  /** Returns who is calling, or throws a MockError (unauthenticated, forbidden, ...). */
  authenticate(request: VendorRequest, state: State, ctx: VendorContext): Principal | Promise<Principal>;
  /** Handlers by operationId, for operations that need credentials. */
  handlers: Readonly<Record<string, OperationHandler<State, Principal>>>;
  /** Handlers by operationId, for operations that need none (token endpoints, JWKS, callbacks). */
  publicHandlers: Readonly<Record<string, PublicOperationHandler<State>>>;
  /** The vendor's error table: a typed error (of a pipeline stage) to this vendor's status and body. */
  formatError(error: MockError, context: ErrorContext): VendorResponse;
  /** Splits a vendor path prefix off (SuperOffice's tenant); default: the path as it is. */
  splitPath?(path: string): { path: string; tenant?: string };
  /** Parses a request body before the default JSON and form parsing (SuperOffice's XML and case-insensitive JSON). */
  parseBody?(contentType: string, raw: Buffer): { parsed: true; value: unknown } | { parsed: false };
  /** Serialises an answer body; default JSON. */
  serialize?(body: unknown, context: Pick<ErrorContext, 'headers'>): SerializedBody;
  /** The negative deliveries (`X-Mock-Negative`) this vendor can make; default none. */
  negativeKinds?: readonly NegativeKind[];
  /** The credential a request presents, as scenario rules name it (`match.credential`). */
  presentedCredential?(headers: Record<string, string | undefined>): string | undefined;
  /** The webhook a request is about, for scenario rules (`match.webhook`); default: the `{id}` path parameter. */
  targetWebhook?(request: Pick<VendorRequest, 'params' | 'query' | 'body'>): string | undefined;
  /** The webhooks in the store (admin API, inspector). */
  listWebhooks?(state: State): WebhookSummary[];
  /**
   * What a well-behaved receiver answers this vendor's delivery (the built-in sink answers so), or undefined when
   * the body is not one of the vendor's: C1's sink answer is a valid response document for the event.
   * `answer` is the sink URL's `?answer=` (C1: the action to take, e.g. `deny`).
   */
  sinkAnswer?(body: Buffer, answer: string | undefined): unknown;
  /** The vendor's own records of its deliveries, newest first (C1's WebhookInstances): GET /__admin/instances. */
  instances?(state: State, ctx: VendorContext): unknown[];
  /** The test call a client would make for a stored webhook; undefined when there is no such webhook. */
  testCall?(state: State, webhookId: string, ctx: VendorContext): ClientCall | undefined;
  /** A one-line reading of the test call's answer (the inspector's result line): did it deliver, and how. */
  readTestAnswer?(status: number, body: unknown): TestAnswerReading;
  /** Checks a delivery's signature independently of the code that made it (recomputed from the store's keys). */
  verifyDelivery?(
    delivery: DeliveryToVerify,
    state: State,
    ctx: VendorContext,
  ): DeliveryVerification | Promise<DeliveryVerification>;
  /** How `check-receiver` works for this vendor; absent when it cannot check receivers. */
  receiverCheck?: ReceiverCheck;
  /** The events the vendor sends besides test calls' (its catalogue), and how a trigger sends them. */
  events?: VendorEvents<State>;
  /**
   * What the vendor can be told to do besides its API, by name (kebab-case): the admin API's
   * `POST /__admin/vendors/{vendor}/actions/{name}` (and `POST /__admin/{vendor}/{name}`), and the
   * programmatic `mock.action(vendor, name, body)`. C1: `rotate-key`.
   */
  actions?: Readonly<Record<string, VendorAction<State>>>;
  /**
   * The vendor's settings by name (camelCase, e.g. `keyGraceMs`): the flag `--{vendor}-{flag}`, the
   * environment variable `{VENDOR}_{FLAG}` and startMockServer's `vendorSettings: {[vendor]: {[name]: value}}`.
   * Handlers read them as `ctx.settings[name]`.
   */
  settings?: Readonly<Record<string, VendorSetting>>;
}

/** One call of a vendor action: the vendor's current state, its context and the JSON body sent (if any). */
export interface VendorActionCall<State> {
  state: State;
  ctx: VendorContext;
  /** The parsed JSON body of the admin call, or what the program passed; undefined for none. */
  body: unknown;
}

/** Something a vendor can be told to do that its own API does not offer (rotate a signing key, …). */
export interface VendorAction<State> {
  /** One sentence for listings (`GET /__admin/vendors/{vendor}/actions`). */
  summary: string;
  /**
   * Does it, and returns the answer (sent as JSON by the admin API, as it is by `mock.action`). Throws a
   * MockError `invalid-request` for a body it cannot use.
   */
  run(call: VendorActionCall<State>): unknown;
}

/**
 * A setting of a vendor's, a duration in milliseconds (the only kind so far): on the command line a number of
 * ms or a number with a unit (`500ms`, `90s`, `10m`, `1h`), programmatically a number of ms.
 */
export interface VendorSetting {
  /** The flag's name after the vendor's: `key-grace` makes `--c1-key-grace` and `C1_KEY_GRACE`. */
  flag: string;
  /** What it sets, for `--help`. */
  description: string;
  kind: 'duration';
  /** The value when none is given, in ms. */
  default: number;
  /** The largest value accepted, in ms. */
  max: number;
}

/** A vendor's events: the catalogue, where the event's own part sits in a body, and how one is sent. */
export interface VendorEvents<State> {
  catalogue: readonly EventDefinition[];
  /** The JSON pointer of the event's own part in a delivered body (`/payload`, `/data`; '' for the body). */
  partPointer: string;
  /** A delivered body around a part, as the spec's `webhooks:` entry describes it (for checking the part). */
  sampleBody(event: EventDefinition, part: unknown, state: State, ctx: VendorContext): unknown;
  /** Sends the event to the webhooks that receive it (or only `webhookId`), and says what happened to each. */
  deliver(call: EventDelivery<State>): Promise<TriggeredDelivery[]>;
}

/** One triggered event, ready to go: its part generated, changed as asked and checked. */
export interface EventDelivery<State> {
  event: EventDefinition;
  part: unknown;
  webhookId?: string;
  state: State;
  ctx: VendorContext;
  dispatch: Dispatch;
}
