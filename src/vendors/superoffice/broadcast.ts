/**
 * Delivering a SuperOffice event to its subscribers — the Active HTTP webhooks subscribed to its name — and
 * booking each answer as NetServer does: a 200 clears the error count; a failure is the LastError, and nine in a
 * row set TooManyErrors (a 410 stops the webhook). A webhook whose State changes so raises its state event
 * (`webhook<id>.errors`, `.stopped`) to the webhooks subscribed to that.
 */
import type { DeliveryOutcome } from '../../core/delivery.js';
import type { EngineOutcome } from '../../core/delivery-engine.js';
import { deliveredTo } from '../../core/event-catalogue.js';
import type { TriggeredDelivery } from '../../core/event-catalogue.js';
import type { Dispatch, VendorContext } from '../../core/vendor-module.js';
import {
  describeOutcome,
  deliverSuperOfficeEvent,
  isSuccess,
  superOfficeEventName,
} from './event-delivery.js';
import type { SoEventOrigin, SoRetryBooking } from './event-delivery.js';
import { stateEventKind, webhookStateEvent } from './events/state-events.js';
import type { SoEventPart, WebhookStateKind } from './events/types.js';
import type { SoWebhook, SuperOfficeState } from './state.js';

/** dev/index.md: 9 consecutive failed deliveries set a webhook's State to TooManyErrors. */
export const MAX_CONSECUTIVE_ERRORS = 9;

export interface Sender {
  dispatch: Dispatch;
  ctx: VendorContext;
}

/** Whether a webhook receives an event of this name, and if not, why not. */
function receives(webhook: SoWebhook, name: string): string | undefined {
  const wanted = name.toLowerCase();
  if (!webhook.Events.some((event) => event.toLowerCase() === wanted)) return `not subscribed to ${name}`;
  if (webhook.Type !== 'webhook') return `a ${webhook.Type} webhook: NetServer calls no URL for it`;
  if (webhook.State !== 'Active') return `State is ${webhook.State}`;
  return undefined;
}

/** The webhooks an event of this name goes to: Active HTTP webhooks subscribed to it (names case-insensitive). */
export function subscribersOf(state: SuperOfficeState, eventName: string): SoWebhook[] {
  return [...state.webhooks.values()]
    .filter((webhook) => receives(webhook, eventName) === undefined)
    .sort((a, b) => a.WebhookId - b.WebhookId);
}

/**
 * Books one delivery on its webhook; returns the state event its new State raises, if the State changed. A new
 * object, never a change in place: a save in progress tells a concurrent change by the object's identity.
 */
export function recordDelivery(
  state: SuperOfficeState,
  webhookId: number,
  outcome: DeliveryOutcome,
): WebhookStateKind | undefined {
  const webhook = state.webhooks.get(webhookId);
  if (webhook === undefined) return undefined; // deleted meanwhile
  if (isSuccess(outcome)) {
    state.consecutiveErrors.set(webhookId, 0);
    return undefined;
  }
  state.lastErrors.set(webhookId, describeOutcome(outcome));
  const errors = (state.consecutiveErrors.get(webhookId) ?? 0) + 1;
  state.consecutiveErrors.set(webhookId, errors);
  // a 410 Gone stops the webhook (the mock's choice); too many errors in a row set TooManyErrors
  const gone = outcome.result.kind === 'response' && outcome.result.response.status === 410;
  const next = gone ? 'Stopped' : errors >= MAX_CONSECUTIVE_ERRORS ? 'TooManyErrors' : webhook.State;
  if (next === webhook.State) return undefined;
  state.webhooks.set(webhookId, { ...webhook, State: next });
  return stateEventKind(next);
}

/** Tells the webhooks subscribed to `webhook<id>.<kind>` about a webhook's new State. */
export async function announceState(
  sender: Sender,
  state: SuperOfficeState,
  webhook: SoWebhook,
  kind: WebhookStateKind,
): Promise<void> {
  const origin = { contextIdentifier: state.contextIdentifier, changedByAssociateId: 0 };
  await deliverToSubscribers(sender, state, webhookStateEvent(webhook, kind), origin);
}

/** Each attempt (the first and NetServer's retries) booked on the webhook; a retry waits while it is Active. */
function bookingFor(sender: Sender, state: SuperOfficeState, webhookId: number): SoRetryBooking {
  return {
    book: async (outcome) => {
      const changed = recordDelivery(state, webhookId, outcome);
      const now = state.webhooks.get(webhookId);
      if (changed !== undefined && now !== undefined) await announceState(sender, state, now, changed);
    },
    cancelled: () => {
      const now = state.webhooks.get(webhookId);
      if (now === undefined) return 'the webhook was deleted';
      return now.State === 'Active' ? undefined : `the webhook's State is ${now.State}`;
    },
  };
}

function summary(webhook: SoWebhook, outcome: EngineOutcome, reason: string): TriggeredDelivery {
  return deliveredTo({ webhookId: String(webhook.WebhookId), reason, url: webhook.TargetUrl }, outcome);
}

/**
 * Delivers an event to every webhook that receives it (or only `only`), in parallel, and waits for the answers,
 * so LastError and State are current when it returns; says per webhook delivered or skipped and why.
 */
export async function deliverToSubscribers(
  sender: Sender,
  state: SuperOfficeState,
  part: SoEventPart,
  origin: SoEventOrigin,
  only?: number,
): Promise<TriggeredDelivery[]> {
  const name = superOfficeEventName(part);
  const webhooks = [...state.webhooks.values()]
    .filter((webhook) => only === undefined || webhook.WebhookId === only)
    .sort((a, b) => a.WebhookId - b.WebhookId);
  return Promise.all(
    webhooks.map(async (webhook): Promise<TriggeredDelivery> => {
      const skipped = receives(webhook, name);
      if (skipped !== undefined)
        return {
          webhookId: String(webhook.WebhookId),
          delivered: false,
          reason: skipped,
          url: webhook.TargetUrl,
        };
      const booking = bookingFor(sender, state, webhook.WebhookId);
      const outcome = await deliverSuperOfficeEvent(sender, webhook, part, origin, state, booking);
      await booking.book(outcome);
      return summary(webhook, outcome, `subscribed to ${name}`);
    }),
  );
}
