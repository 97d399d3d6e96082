export { MAX_CONSECUTIVE_ERRORS, subscribersOf } from './broadcast.js';
import type { OperationCall } from '../../core/vendor-module.js';
import type { SoPrincipal } from './auth.js';
import { deliverToSubscribers, subscribersOf } from './broadcast.js';
import { webhookStateEventName } from './events/state-events.js';
import type { WebhookStateKind } from './events/types.js';
import { invalid } from './model.js';
import type { SoWebhook, SuperOfficeState } from './state.js';

const EVENT_NAME = /^[^\s.]+(\.[^\s.]+)+$/;

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

/**
 * Delivers an event (REST `POST Webhook/{eventName}/{primaryKey}`, agent `SignalEvent`) to every subscriber, in
 * parallel, and waits for the answers so that LastError and State are up to date when the call returns.
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
  await deliverToSubscribers(
    { dispatch, ctx },
    state,
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
  );
}
