/** The programmatic API's view of a running mock: `MockServer`. */
import type { DeliveryFilter, DeliveryJournal, DeliveryRecord, RequestJournal } from '../core/journal.js';
import type { DeliveryEngine } from '../core/delivery-engine.js';
import type { FiredAttempt, ScheduledAttempt } from '../core/retry-scheduler.js';
import type { ScenarioEngine, ScenarioSummary } from '../core/scenario-engine.js';
import type { Sink } from '../core/sink.js';
import type { ClientCall, DeliveryVerification, VendorName } from '../core/vendor-module.js';
import type { TriggerRequest, TriggerResult } from '../core/event-catalogue.js';
import type { ActionDesk, VendorActions } from '../pipeline/action-desk.js';
import type { EventDesk, VendorCatalogue } from '../pipeline/event-desk.js';
import type { C1KeyRotation } from '../vendors/c1/keys.js';
import type { PipelineResponse } from '../pipeline/types.js';
import type { Lifecycle, ReloadStatus } from './lifecycle.js';
import type { TimeControl } from './services.js';

export type { ReloadStatus };

/** Each mounted vendor's base URL; the built-in vendors' are always there. */
export type VendorUrls = Readonly<Record<VendorName, string>> & {
  readonly c1: string;
  readonly shodai: string;
  readonly superoffice: string;
};

import type { VendorSummary } from '../core/vendor-runtime.js';

export type { VendorSummary };

/** A client's call of a vendor's operation, made through the pipeline in process. */
export interface VendorCall {
  method: ClientCall['method'];
  /** Below the vendor's base path, with the query if any, e.g. `/v0/webhooks/wh_1/test`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** The answer to a VendorCall: as it would have gone on the wire, with the request's id. */
export type VendorAnswer = PipelineResponse & { requestId: string };

export interface MockServer {
  /** The origin clients and receivers use: `publicUrl` when set, else the listening origin. */
  url: string;
  /** The origin the server listens on, e.g. http://127.0.0.1:4010 (differs from `url` behind a proxy). */
  localUrl: string;
  /** Each vendor's base URL, for a client's `baseUrl` setting. */
  urls: VendorUrls;
  /** The mounted vendors: names, titles, base paths, the header that carries their delivery signature. */
  vendors: readonly VendorSummary[];
  /** Outbound deliveries, oldest first (bounded). */
  deliveries: DeliveryJournal;
  /** Inbound vendor requests and the mock's answers, oldest first (bounded). */
  requests: RequestJournal;
  sink: Sink;
  /**
   * The mock's clock: `set` and `advance` move it (e.g. to let issued tokens expire). Retries due on the way
   * fire in order, each at its due time, before the returned promise resolves (with the retries fired): await
   * it. Without a retry due the move is immediate.
   */
  clock: {
    now(): Date;
    set(moment: Date): Promise<FiredAttempt[]>;
    advance(ms: number): Promise<FiredAttempt[]>;
    readonly frozen: boolean;
  };
  /** The retries waiting for their time, soonest first (none with `retries: false`). */
  schedule(): ScheduledAttempt[];
  /**
   * Sends a journalled delivery's event again — same event and ids, signed afresh — as the vendors' resend
   * buttons do; resolves with the new delivery, or undefined when the journal no longer has the delivery.
   */
  redeliver(deliveryId: string): Promise<DeliveryRecord | undefined>;
  scenarios: {
    list(): ScenarioSummary[];
    /** Switches scenarios on (their counters start again) — unknown names throw. */
    activate(...names: string[]): void;
    deactivate(...names: string[]): void;
    /** Exactly these scenarios active. */
    set(...names: string[]): void;
  };
  /** Resolves with the first delivery matching the filter (after the one with id `after`), or undefined. */
  waitForDelivery(
    filter?: DeliveryFilter & { after?: string },
    timeoutMs?: number,
  ): Promise<DeliveryRecord | undefined>;
  /**
   * Checks a journalled delivery's signature as its receiver would, independently of the code that signed it:
   * the admin API's `verification`. Waits up to `waitForCauseMs` (default 2000) for the request that caused it
   * to be journalled, since some checks need it (a SuperOffice test call's Secret is in its body).
   */
  verifyDelivery(record: DeliveryRecord, waitForCauseMs?: number): Promise<DeliveryVerification>;
  /** A client's call of a vendor's operation through the pipeline in process — no socket, same journal. */
  call(vendor: VendorName, call: VendorCall): Promise<VendorAnswer>;
  /**
   * Sends an event of a vendor's catalogue to its webhooks (or `webhookId`), as the vendor would: generated,
   * or `data`, changed by `set`; refused (a MockError naming the field) when it would not match the spec,
   * unless `allowInvalid`. Resolves once every delivery has its answer, with what happened per webhook.
   */
  trigger(request: TriggerRequest): Promise<TriggerResult>;
  /** The events each vendor sends: names, summaries, spec entries and variants. */
  catalogue(vendor?: VendorName): VendorCatalogue[];
  /** The last triggers' results, oldest first (bounded). */
  triggers(): TriggerResult[];
  /**
   * Runs one of a vendor's own actions (what `POST /__admin/vendors/{vendor}/actions/{name}` does) and
   * resolves with its answer; rejects with a MockError for an unknown vendor or action, or a body it refuses.
   */
  action(vendor: VendorName, name: string, body?: unknown): Promise<unknown>;
  /** Each vendor's actions: names and summaries. */
  actions(vendor?: VendorName): VendorActions[];
  /** ConductorOne's actions, typed. */
  c1: {
    /**
     * Rotates the tenant's signing key (the `rotate-key` action): a new key of the same algorithm signs from now
     * on; the old one stays in the JWKS until `retiresAt` (now + `vendorSettings.c1.keyGraceMs`, default 10
     * minutes, on the mock's clock: `clock.advance` past it retires the key). A reset brings back the first key.
     */
    rotateKey(): Promise<C1KeyRotation>;
  };
  /** Store, journals, sink and scenarios back to how they were at start. */
  reset(): Promise<void>;
  /**
   * Reads the fixture and scenario files again and starts from them (the store is re-seeded). Throws a
   * FixtureError or ScenarioError, and keeps everything as it was, when a file cannot be used.
   */
  reload(): Promise<void>;
  /** The outcome of the last reload (by `reload()` or `watch`), if any. */
  lastReload(): ReloadStatus | undefined;
  close(): Promise<void>;
}

/** What the facade is made from: the parts it shows as they are, and the services its methods use. */
export interface FacadeParts extends Pick<
  MockServer,
  | 'url'
  | 'localUrl'
  | 'urls'
  | 'vendors'
  | 'deliveries'
  | 'requests'
  | 'sink'
  | 'verifyDelivery'
  | 'call'
  | 'close'
> {
  time: TimeControl;
  engine: DeliveryEngine;
  scenarios: ScenarioEngine;
  lifecycle: Lifecycle;
  events: EventDesk;
  actions: ActionDesk;
}

export function createFacade(parts: FacadeParts): MockServer {
  const { scenarios, lifecycle } = parts;
  return {
    url: parts.url,
    localUrl: parts.localUrl,
    urls: parts.urls,
    vendors: parts.vendors,
    deliveries: parts.deliveries,
    requests: parts.requests,
    sink: parts.sink,
    clock: {
      now: () => parts.time.now(),
      set: (moment) => parts.time.set(moment),
      advance: (ms) => parts.time.advance(ms),
      get frozen() {
        return parts.time.frozen;
      },
    },
    schedule: () => parts.time.schedule(),
    redeliver: async (deliveryId) => {
      const outcome = await parts.engine.redeliver(deliveryId);
      return outcome === undefined ? undefined : parts.deliveries.find(outcome.deliveryId)[0];
    },
    scenarios: {
      list: () => scenarios.list(),
      activate: (...names) => scenarios.activate(names),
      deactivate: (...names) => scenarios.deactivate(names),
      set: (...names) => scenarios.setActive(names),
    },
    waitForDelivery: (filter = {}, timeoutMs = 10_000) => parts.deliveries.waitFor(filter, timeoutMs),
    verifyDelivery: parts.verifyDelivery,
    call: parts.call,
    trigger: (request) => parts.events.trigger(request),
    catalogue: (vendor) => parts.events.catalogue(vendor),
    triggers: () => parts.events.recent(),
    action: (vendor, name, body) => parts.actions.run(vendor, name, body),
    actions: (vendor) => parts.actions.list(vendor),
    c1: {
      rotateKey: async () => (await parts.actions.run('c1', 'rotate-key')) as C1KeyRotation,
    },
    reset: lifecycle.reset,
    reload: lifecycle.reload,
    lastReload: lifecycle.lastReload,
    close: parts.close,
  };
}
