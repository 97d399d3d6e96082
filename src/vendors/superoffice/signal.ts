import type { DeliveryOutcome } from '../../core/delivery.js';
import type { OperationCall } from '../../core/vendor-module.js';
import type { SoPrincipal } from './auth.js';
import { describeOutcome, deliverSuperOfficeEvent, isSuccess } from './event-delivery.js';
import { webhookStateEventName } from './events/state-events.js';
import type { WebhookStateKind } from './events/types.js';
import { invalid } from './model.js';
import type { SoWebhook, SuperOfficeState } from './state.js';

/** dev/index.md: 9 consecutive failed deliveries set a webhook's State to TooManyErrors. */
export const MAX_CONSECUTIVE_ERRORS = 9;

const EVENT_NAME = /^[^\s.]+(\.[^\s.]+)+$/;

/** The webhooks a signalled event goes to: Active HTTP webhooks subscribed to it (names case-insensitive). */
export function subscribersOf(state: SuperOfficeState, eventName: string): SoWebhook[] {
  const wanted = eventName.toLowerCase();
  return [...state.webhooks.values()]
    .filter(
      (webhook) =>
        webhook.State === 'Active' &&
        webhook.Type === 'webhook' &&
        webhook.Events.some((event) => event.toLowerCase() === wanted),
    )
    .sort((a, b) => a.WebhookId - b.WebhookId);
}

/**
 * The webhooks a state event about webhook `webhookId` goes to: the Active HTTP webhooks subscribed to
 * `webhook<webhookId>.<kind>` (names case-insensitive, as for every event). A subscription to the plain
 * `webhook.stopped` (the body's Event) gets nothing: reference/state-events.md says "In order to subscribe to
 * webhook state change events, you must first create a webhook to get the WebhookId, then use that id in the
 * webhook subscription Event property." A webhook stopped by the change is not Active, so it never hears of its
 * own stop; it can hear of its own start.
 */
export function stateEventSubscribers(
  state: SuperOfficeState,
  webhookId: number,
  kind: WebhookStateKind,
): SoWebhook[] {
  return subscribersOf(state, webhookStateEventName(webhookId, kind));
}

/** Books one delivery: a 200 clears the error count; a failure is the LastError and may stop the webhook. */
function record(state: SuperOfficeState, webhookId: number, outcome: DeliveryOutcome): void {
  const webhook = state.webhooks.get(webhookId);
  if (webhook === undefined) return; // deleted meanwhile
  if (isSuccess(outcome)) {
    state.consecutiveErrors.set(webhookId, 0);
    return;
  }
  state.lastErrors.set(webhookId, describeOutcome(outcome));
  const errors = (state.consecutiveErrors.get(webhookId) ?? 0) + 1;
  state.consecutiveErrors.set(webhookId, errors);
  // vendor-notes: a 410 Gone disables the webhook; too many errors in a row set TooManyErrors
  const gone = outcome.result.kind === 'response' && outcome.result.response.status === 410;
  // a new object, never a change in place: a save in progress tells a concurrent change by the object's identity
  if (gone) state.webhooks.set(webhookId, { ...webhook, State: 'Stopped' });
  else if (errors >= MAX_CONSECUTIVE_ERRORS)
    state.webhooks.set(webhookId, { ...webhook, State: 'TooManyErrors' });
}

/**
 * Delivers an event (REST `POST Webhook/{eventName}/{primaryKey}`, agent `SignalEvent`) to every subscriber, in
 * parallel, and waits for the answers so that LastError and State are up to date when the call returns. One
 * attempt per signal: NetServer's retries (1 s and 4 s later, notification.md) are not emulated, each failed
 * attempt counts towards TooManyErrors.
 */
export async function signalEvent(
  call: Pick<
    OperationCall<SuperOfficeState, SoPrincipal>,
    'ctx' | 'request' | 'state' | 'principal' | 'dispatch'
  >,
  eventName: string,
  primaryKey: number,
  data: Record<string, unknown> | undefined,
  eventField: string,
): Promise<void> {
  const { ctx, request, state, principal, dispatch } = call;
  const name = eventName.trim();
  if (!EVENT_NAME.test(name)) {
    invalid([{ field: eventField, message: "must be an event name 'entity.verb', e.g. contact.created" }]);
  }
  const entity = name.slice(0, name.indexOf('.'));
  const hasData = data !== undefined && Object.keys(data).length > 0;
  await Promise.all(
    subscribersOf(state, name).map(async (webhook) => {
      const outcome = await deliverSuperOfficeEvent(
        { dispatch, ctx },
        webhook,
        {
          Event: name,
          Entity: entity,
          PrimaryKey: primaryKey,
          Changes: hasData ? Object.keys(data) : [],
          ...(hasData ? { FieldValues: data } : {}),
        },
        {
          contextIdentifier: request.tenant ?? state.contextIdentifier,
          changedByAssociateId: principal.associate.AssociateId,
        },
        state,
      );
      record(state, webhook.WebhookId, outcome);
    }),
  );
}
