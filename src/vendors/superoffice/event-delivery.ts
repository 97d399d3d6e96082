import type { DeliveryOutcome, DeliveryRequest } from '../../core/delivery.js';
import type { DeliveryAttempt, EngineOutcome, RetryDecision } from '../../core/delivery-engine.js';
import { describeResponse } from '../../core/delivery.js';
import type { Dispatch, VendorContext } from '../../core/vendor-module.js';
import { FRAMING_HEADERS } from '../../core/header-rules.js';
import type { NegativeKind } from '../../core/negative.js';
import { setOwn } from '../../core/safe-object.js';
import { lastSuperOfficeEvents, signedSuperOfficeBody, superOfficeWebhookKey } from './negative.js';
import type { SoSentEvent } from './negative.js';
import type { SoWebhook } from './state.js';
import { webhookStateEventName } from './events/state-events.js';
import type { SoEventPart, WebhookStateKind } from './events/types.js';

/** NetServer's webhook client identifies itself so; the version is the mock's choice. */
export const USER_AGENT = 'NetServer-Webhook/10.5.8845.1';

/** Where an event comes from: the tenant (Online's "Cust1234") and the user whose change raised it. */
export interface SoEventOrigin {
  contextIdentifier: string;
  changedByAssociateId: number;
}

/**
 * The name a delivery goes out under (X-SuperOffice-Event) and webhooks subscribe to: the body's `Event`,
 * except for webhook state events, whose body says `webhook.stopped` while the header and the subscription
 * say `webhook<id>.stopped` (reference/state-events.md); their PrimaryKey is the webhook's id.
 */
export function superOfficeEventName(part: SoEventPart): string {
  const state = part.Entity === undefined ? /^webhook\.(started|stopped|errors)$/.exec(part.Event) : null;
  return state === null ? part.Event : webhookStateEventName(part.PrimaryKey, state[1] as WebhookStateKind);
}

/**
 * A WebhookPayload (dev/notification.md): EventId, Timestamp, Changes, Values (deletes; after Changes as in
 * the reference examples), Event, PrimaryKey, Entity, ContextIdentifier, ChangedByAssociateId, WebhookName,
 * FieldValues, then the webhook's Properties (never replacing a payload field). Fields the part leaves out
 * stay out. The part's own ChangedByAssociateId (state events: 0) wins over the origin's.
 */
export function superOfficeEventBody(
  part: SoEventPart,
  origin: SoEventOrigin,
  webhook: Pick<DeliverableWebhook, 'Name' | 'Properties'>,
  eventId: string,
  timestamp: string,
): Record<string, unknown> {
  const core: Record<string, unknown> = { EventId: eventId, Timestamp: timestamp, Changes: part.Changes };
  if (part.Values !== undefined) core.Values = part.Values;
  core.Event = part.Event;
  core.PrimaryKey = part.PrimaryKey;
  if (part.Entity !== undefined) core.Entity = part.Entity;
  core.ContextIdentifier = origin.contextIdentifier;
  core.ChangedByAssociateId = part.ChangedByAssociateId ?? origin.changedByAssociateId;
  core.WebhookName = webhook.Name;
  if (part.FieldValues !== undefined) core.FieldValues = part.FieldValues;
  return withProperties(core, webhook.Properties);
}

export type DeliverableWebhook = Pick<
  SoWebhook,
  'Name' | 'TargetUrl' | 'Secret' | 'Headers' | 'Properties'
> & {
  WebhookId: number;
};

/**
 * Delivers one SuperOffice event (the payload of dev-notification.md / test-event.md, built by
 * `superOfficeEventBody`): the webhook's `Properties` injected into the body, its `Headers` added, and
 * `X-Superoffice-Signature` only when it has a Secret. The test event also carries `X-Hook-Test: true`. A
 * negative delivery (`X-Mock-Negative`) is made wrong on purpose; `duplicate-event-id` sends the webhook's
 * previous valid event again (same EventId and body) — after sending a first one, if there is none. `state`
 * scopes that memory (a reset forgets it).
 */
export async function deliverSuperOfficeEvent(
  sender: { dispatch: Dispatch; ctx: VendorContext },
  webhook: DeliverableWebhook,
  part: SoEventPart,
  origin: SoEventOrigin,
  state: object,
  retries?: SoRetryBooking,
): Promise<EngineOutcome> {
  const { dispatch, ctx } = sender;
  const negative = dispatch.negative;
  const previous = lastSuperOfficeEvents(state);
  const key = superOfficeWebhookKey(webhook);
  const freshEvent = (): SoSentEvent => {
    const eventId = ctx.ids.uuid();
    const body = superOfficeEventBody(part, origin, webhook, eventId, ctx.clock.now().toISOString());
    return { eventId, event: superOfficeEventName(part), body: Buffer.from(JSON.stringify(body)) };
  };
  const send = async (sent: SoSentEvent, kind?: NegativeKind): Promise<EngineOutcome> => {
    const outcome = await dispatch.deliver({
      webhookId: String(webhook.WebhookId),
      event: sent.event,
      eventIds: [sent.eventId],
      build: (attempt) => superOfficeRequest(webhook, sent, attempt.number - 1, kind),
      ...(kind === undefined ? {} : { negative: kind }),
      ...(retries === undefined
        ? {}
        : {
            retry: { after: superOfficeRetry, cancelled: retries.cancelled },
            afterAttempt: (_attempt, later) => retries.book(later),
          }),
    });
    if (kind === undefined) previous.set(key, sent);
    return outcome;
  };

  if (negative === 'duplicate-event-id') {
    let sent = previous.get(key);
    if (sent === undefined) {
      sent = freshEvent();
      await send(sent);
    }
    return send(sent, negative);
  }
  return send(freshEvent(), negative);
}

/** How a retried event is booked on its webhook (LastError, State) and when it is dropped. */
export interface SoRetryBooking {
  book(outcome: EngineOutcome): void | Promise<void>;
  /** Why a retry falling due is not sent (the webhook was deleted or is no longer Active), if so. */
  cancelled(): string | undefined;
}

/** dev/notification.md, "Error Handling": three attempts per event, the second 1 s and the third 4 s later. */
export const SO_ATTEMPTS_PER_EVENT = 3;
const SO_RETRY_DELAYS_MS = [1_000, 4_000];

/** NetServer's rule: a 200 ends it; a failure is tried again after 1 s, then 4 s; then the event is discarded. */
function superOfficeRetry(attempt: DeliveryAttempt, outcome: DeliveryOutcome): RetryDecision {
  if (isSuccess(outcome)) return { done: true };
  if (outcome.result.kind === 'response' && outcome.result.response.status === 410)
    return { stop: 'the receiver answered 410 Gone: the mock stops the webhook' };
  const delay = SO_RETRY_DELAYS_MS[attempt.number - 1];
  if (delay === undefined)
    return { stop: `SuperOffice makes ${SO_ATTEMPTS_PER_EVENT} attempts per event; the event is discarded` };
  return { retryInMs: delay };
}

/**
 * The request of one delivery: NetServer's headers (X-Superoffice-Retry: the retries before this attempt), the
 * webhook's own Headers, the signature when it has a Secret.
 */
function superOfficeRequest(
  webhook: DeliverableWebhook,
  sent: SoSentEvent,
  retriesSoFar: number,
  kind?: NegativeKind,
): DeliveryRequest {
  const { body, signature } = signedSuperOfficeBody(webhook.Secret, sent.body, kind);
  const headers: Record<string, string> = {};
  const own = new Set<string>();
  const set = (name: string, value: string): void => {
    headers[name] = value;
    own.add(name.toLowerCase());
  };
  set('Content-Type', 'application/json; charset=utf-8');
  set('User-Agent', USER_AGENT);
  set('X-Superoffice-Event', sent.event);
  if (sent.event === 'test') set('X-Hook-Test', 'true');
  if (signature !== undefined) set('X-Superoffice-Signature', signature);
  set('X-Superoffice-Eventid', sent.eventId);
  set('X-Superoffice-Retry', String(retriesSoFar));
  // saved Headers passed the header rules; these guards keep a delivery sendable whatever the store holds
  for (const [name, value] of Object.entries(webhook.Headers)) {
    const lower = name.toLowerCase();
    if (!own.has(lower) && !FRAMING_HEADERS.includes(lower)) setOwn(headers, name, value);
  }
  return { url: webhook.TargetUrl, headers, body };
}

/**
 * The event's fields plus the webhook's Properties (notification.md: "Properties ... injected into the JSON
 * body"). The event's own fields win: a Property whose name matches one of them in any case (NetServer reads
 * JSON case-insensitively) is left out. Other names, `constructor` and `__proto__` included, become own members.
 */
export function withProperties(
  core: Record<string, unknown>,
  properties: Record<string, unknown>,
): Record<string, unknown> {
  const taken = new Set(Object.keys(core).map((key) => key.toLowerCase()));
  const payload: Record<string, unknown> = { ...core };
  for (const [key, value] of Object.entries(properties)) {
    if (!taken.has(key.toLowerCase())) setOwn(payload, key, value);
  }
  return payload;
}

/** SuperOffice counts only 200 OK as success. */
export function isSuccess(outcome: DeliveryOutcome): boolean {
  return outcome.result.kind === 'response' && outcome.result.response.status === 200;
}

/** The receiver's status line, headers and body, or what went wrong on the way. */
export function describeOutcome(outcome: DeliveryOutcome): string {
  if (outcome.result.kind === 'response') return describeResponse(outcome.result.response);
  return `${outcome.result.kind}: ${outcome.result.message}`;
}
