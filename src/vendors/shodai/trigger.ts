/**
 * Shodai's events, triggered: one event (one `evt_` id) goes to every subscription whose status, `eventTypes`
 * and `filters` match (routing.ts) — or, with `webhookId`, only to that one if it matches — and each
 * subscription's verdict, delivered or skipped and why, is part of the trigger's answer.
 */
import type { EngineOutcome } from '../../core/delivery-engine.js';
import { deliveredTo } from '../../core/event-catalogue.js';
import type { EventDefinition, TriggeredDelivery } from '../../core/event-catalogue.js';
import { MockError } from '../../core/errors.js';
import type { EventDelivery, VendorEvents } from '../../core/vendor-module.js';
import { shodaiEvents } from './events/catalogue.js';
import { shodaiEventEnvelope } from './events/envelope.js';
import { routeShodaiEvent } from './events/routing.js';
import type { ShodaiEventData, ShodaiEventType } from './events/types.js';
import { lastShodaiEvents } from './negative.js';
import type { ShodaiEvent } from './negative.js';
import type { ShodaiState, Subscription } from './state.js';
import { DELIVERY_API_VERSION } from './state.js';
import { deliverShodaiEvent } from './test-call.js';

/**
 * Sends the event to one subscription, remembering a valid one; `duplicate-event-id` sends, as the test call
 * does, the subscription's previous valid event again (after a first one, if there is none).
 */
async function sendTo(
  { state, dispatch }: EventDelivery<ShodaiState>,
  subscription: Subscription,
  event: ShodaiEvent,
): Promise<EngineOutcome> {
  const previous = lastShodaiEvents(state);
  let sending = event;
  if (dispatch.negative === 'duplicate-event-id') {
    const earlier = previous.get(subscription.id);
    if (earlier === undefined) {
      await deliverShodaiEvent(dispatch, subscription, event, { state });
      previous.set(subscription.id, event);
    } else sending = earlier;
  }
  const outcome = await deliverShodaiEvent(dispatch, subscription, sending, { state }, dispatch.negative);
  if (dispatch.negative === undefined) previous.set(subscription.id, sending);
  return outcome;
}

async function deliverTriggered(call: EventDelivery<ShodaiState>): Promise<TriggeredDelivery[]> {
  const { event, part, state, ctx } = call;
  const subscriptions = [...state.subscriptions.values()].filter(
    (subscription) => call.webhookId === undefined || subscription.id === call.webhookId,
  );
  if (call.webhookId !== undefined && subscriptions.length === 0) {
    throw new MockError('not-found', `Webhook subscription not found: ${call.webhookId}`, {
      code: 'not_found',
    });
  }
  const routes = routeShodaiEvent(subscriptions, event.name as ShodaiEventType, part as ShodaiEventData);
  const envelope = shodaiEventEnvelope(ctx, event.name, part as object);
  const results: TriggeredDelivery[] = [];
  for (const route of routes) {
    const { subscription } = route;
    if (!route.deliver) {
      results.push({
        webhookId: subscription.id,
        delivered: false,
        reason: route.reason,
        url: subscription.url,
      });
      continue;
    }
    const outcome = await sendTo(call, subscription, envelope);
    results.push(
      deliveredTo({ webhookId: subscription.id, reason: route.reason, url: subscription.url }, outcome),
    );
  }
  return results;
}

/** Shodai's events: the catalogue, `data` as the event's own part, and the routing by filters. */
export const shodaiEventSupport: VendorEvents<ShodaiState> = {
  catalogue: shodaiEvents,
  partPointer: '/data',
  sampleBody: (event: EventDefinition, part) => ({
    id: 'evt_0123456789abcdef01234567',
    type: event.name,
    apiVersion: DELIVERY_API_VERSION,
    createdAt: '2026-01-01T00:00:00.000Z',
    data: part,
  }),
  deliver: deliverTriggered,
};
