/**
 * The event catalogue's shared vocabulary: each vendor lists the events it sends as data (name, summary, the
 * spec entry its bodies satisfy, a realistic generator). How an event is wrapped, signed, routed and judged
 * lives in the vendor's folder; nothing here names a vendor.
 */
import type { Clock } from './clock.js';
import type { DeliveryResult } from './delivery.js';
import type { IdSource } from './ids.js';

/** What a generator may draw on. With a seeded IdSource and a frozen clock it makes the same data every time. */
export interface EventGenerationContext {
  ids: IdSource;
  clock: Clock;
}

/** One event a vendor sends. `Data` is the event-specific part the vendor's envelope wraps. */
export interface EventDefinition<Data = unknown> {
  /** The name as the vendor sends it: `c1.webhooks.v1.PayloadProvisionStep`, `agreement.transitioned`, `sale.sold`. */
  name: string;
  /** One sentence for people (the `events` command, the README's table, the inspector's picker). */
  summary: string;
  /** The key under the vendor spec's `webhooks:` whose request body schema every delivered body satisfies. */
  specWebhook: string;
  /** A realistic example of the event-specific part, valid against the spec once wrapped in the envelope. */
  generate(ctx: EventGenerationContext): Data;
  /** Named variants a trigger may ask for instead (the default is `generate`). */
  variants?: Readonly<Record<string, EventVariant<Data>>>;
}

/** A named example of an event (Shodai's deploy transition, a temporal notification), chosen by a trigger. */
export interface EventVariant<Data = unknown> {
  summary: string;
  generate(ctx: EventGenerationContext): Data;
}

/**
 * The prefix of a trigger's id (`trg_…`). A triggered delivery's journal entry names the trigger where others
 * name the inbound request that caused them: there is no request to wait for.
 */
export const TRIGGER_ID_PREFIX = 'trg_';

/** Whether a delivery's cause is a trigger rather than an inbound request. */
export function isTriggerId(causeId: string): boolean {
  return causeId.startsWith(TRIGGER_ID_PREFIX);
}

/** What a trigger asks for: an event of a vendor's catalogue, to its webhooks (or one), as generated or changed. */
export interface TriggerRequest {
  vendor: string;
  /** The event's name as the vendor sends it. */
  event: string;
  /** Only this webhook (or subscription); default: every webhook the vendor would send the event to. */
  webhookId?: string;
  /** A named variant of the event (see the catalogue). */
  variant?: string;
  /** The event's own part to send instead of a generated one (C1's `payload`, Shodai's `data`, …). */
  data?: unknown;
  /** Fields of the event's own part to set: dot paths (`taskView.task.displayName`, `expanded.0.displayName`). */
  set?: Record<string, unknown>;
  /** Send the event even when the changes break its schema (a deliberately invalid event). */
  allowInvalid?: boolean;
  /** Make the deliveries wrong on purpose, as `X-Mock-Negative` does for a test call. */
  negative?: string;
  /** How many events to send (a burst), each generated afresh; default 1. */
  count?: number;
  /** How many of a burst's events are on their way at once; default 1. */
  concurrency?: number;
  /** The order a burst's events are sent in: as created (default), shuffled (seeded) or reversed. */
  order?: BurstOrder;
  /** The share of a burst's events sent twice (same event and ids, fresh signature), 0 to 1; default 0. */
  duplicates?: number;
}

export type BurstOrder = 'created' | 'shuffled' | 'reversed';

/** Where a delivery stands in a burst: its event's place in creation order, and in sending order. */
export interface BurstNote {
  triggerId: string;
  /** The event's place in creation order (0 first). */
  event: number;
  /** The place in sending order (0 first); a duplicate has its own. */
  position: number;
  /** Set for the second sending of an event. */
  duplicate?: boolean;
}

/** What happened for one webhook a triggered event was meant for. */
export interface TriggeredDelivery {
  webhookId: string;
  /** Whether it was sent (a Shodai subscription whose filters do not match, or a stopped webhook, is skipped). */
  delivered: boolean;
  /** Why it was skipped, or how it was chosen. */
  reason: string;
  deliveryId?: string;
  url?: string;
  /** `response` with the receiver's status, or what went wrong (`timeout`, `connection-refused`, …). */
  result?: { kind: string; status?: number; message?: string };
  /** The vendor's reading of the receiver's answer (C1: approved, denied, provisioned, invalid response, …). */
  verdict?: EventVerdict;
  /** The vendor's own record of the delivery (C1: the WebhookInstance). */
  record?: unknown;
  /** In a burst: the event's place in creation and sending order, and whether this is a duplicate. */
  burst?: BurstNote;
}

/** A delivery's result as a trigger reports it: the receiver's status, or what went wrong. */
export function triggeredResult(result: DeliveryResult): NonNullable<TriggeredDelivery['result']> {
  return result.kind === 'response'
    ? { kind: 'response', status: result.response.status }
    : { kind: result.kind, message: result.message };
}

/** A delivery a trigger made, as its answer lists it: the webhook, why it was chosen, where it went, the answer. */
export function deliveredTo(
  target: { webhookId: string; reason: string; url: string },
  outcome: { deliveryId: string; result: DeliveryResult },
): TriggeredDelivery {
  return {
    webhookId: target.webhookId,
    delivered: true,
    reason: target.reason,
    deliveryId: outcome.deliveryId,
    url: target.url,
    result: triggeredResult(outcome.result),
  };
}

/** How a vendor read a receiver's answer to an event. */
export interface EventVerdict {
  /** Whether the answer is one the vendor accepts. */
  valid: boolean;
  /** The outcome's kind, e.g. `approved`, `provisioned`, `invalid-response`. */
  kind: string;
  /** One line for people. */
  description: string;
  /** The outcome as the vendor records it. */
  outcome?: unknown;
}

/** A trigger's result: the event's own part as sent, and what happened per webhook. */
export interface TriggerResult {
  triggerId: string;
  vendor: string;
  event: string;
  variant?: string;
  /** The event's own part, after `data` and `set` (a burst's first event's). */
  part: unknown;
  deliveries: TriggeredDelivery[];
  /** For a burst: the settings, and the order the events were sent in (event index per position). */
  burst?: {
    count: number;
    concurrency: number;
    order: BurstOrder;
    duplicates: number;
    sent: { position: number; event: number; duplicate: boolean }[];
  };
}
