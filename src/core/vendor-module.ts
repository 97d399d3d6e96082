import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { DeliveryOutcome, DeliveryRequest } from './delivery.js';
import type { MockError } from './errors.js';
import type { IdSource } from './ids.js';
import type { VendorName } from './journal.js';
import type { NegativeKind } from './negative.js';

/** A request as a vendor sees it: framework-free, already routed to an operation. */
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

/** What a vendor answers. The http layer serialises `body` (JSON unless the vendor says otherwise). */
export interface VendorResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A delivery on its way out, with what the journal needs to know about it. */
export interface OutboundDelivery {
  /** The inbound request that caused this delivery. */
  requestId: string;
  vendor: VendorName;
  webhookId: string;
  event: string;
  request: DeliveryRequest;
  /** Set when the delivery was made wrong on purpose: what is wrong with it (journalled). */
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
  /** Why a delivery to this URL is not allowed (`--allow-targets`), or undefined when it is. */
  targetRefusal?(url: URL): string | undefined;
  /**
   * 32 bytes made once per server (from the seed in a seeded run) for the vendor's signing keys, so keys stay
   * the same across resets and, with a seed, across runs.
   */
  signingSeed: Buffer;
  logger: Logger;
  /** Sends a delivery (with the configured timeout and size cap) and records it in the journal. */
  deliver(delivery: OutboundDelivery): Promise<DeliveryOutcome>;
  /** The negative delivery asked for by a request (`X-Mock-Negative`, a scenario's `negative`), if any. */
  negativeFor?(requestId: string): NegativeKind | undefined;
}

export interface OperationCall<State, Principal> {
  request: VendorRequest;
  state: State;
  principal: Principal;
  ctx: VendorContext;
}

export type OperationHandler<State, Principal> = (
  call: OperationCall<State, Principal>,
) => VendorResponse | Promise<VendorResponse>;

/** A handler for an operation that needs no credentials (token endpoint, JWKS, callback URLs). */
export type PublicOperationHandler<State> = (
  call: Omit<OperationCall<State, never>, 'principal'>,
) => VendorResponse | Promise<VendorResponse>;

/** What the http layer needs to know when it formats an error for a vendor. */
export interface ErrorContext {
  requestId: string;
  headers: Record<string, string | undefined>;
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

/**
 * A client's call of the vendor's test operation for one stored webhook, with a credential taken from the
 * fixtures; the admin API sends it to the vendor's own route, so it takes the path any client's call takes.
 */
export interface ClientCall {
  method: 'POST';
  /** Below the vendor's base path, e.g. `/api/v1/webhooks/<id>/test`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
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

/**
 * One vendor, as its folder under src/vendors defines it. The http layer mounts it; nothing else about the
 * vendor is known outside its folder.
 */
export interface VendorDefinition<State, Principal> {
  name: VendorName;
  title: string;
  /** Mount point on the mock's single port, e.g. `/c1`. */
  basePath: string;
  /** Absolute path of the vendored OpenAPI document. */
  specFile: string;
  /** File name inside the fixtures folder, e.g. `c1.yaml`. */
  fixtureFile: string;
  /** JSON Schema the fixture file must satisfy (unknown keys rejected). */
  fixtureSchema: object;
  createState(fixture: unknown, ctx: VendorContext): State | Promise<State>;
  /** Returns who is calling, or throws a MockError (unauthenticated, forbidden, ...). */
  authenticate(request: VendorRequest, state: State, ctx: VendorContext): Principal | Promise<Principal>;
  /** Handlers by operationId, for operations that need credentials. */
  handlers: Readonly<Record<string, OperationHandler<State, Principal>>>;
  /** Handlers by operationId, for operations that need none (token endpoints, JWKS, callbacks). */
  publicHandlers: Readonly<Record<string, PublicOperationHandler<State>>>;
  /** Maps a typed error to this vendor's status code and body. */
  formatError(error: MockError, context: ErrorContext): VendorResponse;
  /** Splits a vendor path prefix off (SuperOffice's tenant); default: the path as it is. */
  splitPath?(path: string): { path: string; tenant?: string };
  /** Parses a request body before the default JSON and form parsing (SuperOffice's XML and case-insensitive JSON). */
  parseBody?(contentType: string, raw: Buffer): { parsed: true; value: unknown } | { parsed: false };
  /** Serialises an answer body; default JSON. */
  serialize?(body: unknown, context: ErrorContext): SerializedBody;
  /** The negative deliveries (`X-Mock-Negative`) this vendor can make; default none. */
  negativeKinds?: readonly NegativeKind[];
  /** The webhooks in the store (admin API, inspector). */
  listWebhooks?(state: State): WebhookSummary[];
  /** The test call a client would make for a stored webhook; undefined when there is no such webhook. */
  testCall?(state: State, webhookId: string, ctx: VendorContext): ClientCall | undefined;
  /** Checks a delivery's signature independently of the code that made it (recomputed from the store's keys). */
  verifyDelivery?(
    delivery: DeliveryToVerify,
    state: State,
    ctx: VendorContext,
  ): DeliveryVerification | Promise<DeliveryVerification>;
}
