/**
 * C1's events, triggered: each goes to the webhook its step names (`webhookId`), or to every webhook when none is
 * named, as a new WebhookInstance whose `source` names the event's source; the receiver's answer is judged as
 * the event's response document.
 */
import { deliveredTo } from '../../core/event-catalogue.js';
import type { EventDefinition, TriggeredDelivery } from '../../core/event-catalogue.js';
import { base62 } from '../../core/ids.js';
import type { EventDelivery, VendorContext, VendorEvents } from '../../core/vendor-module.js';
import { deliverC1Event } from './event-delivery.js';
import { c1Events, instanceSourceFor } from './events/catalogue.js';
import { c1EventBody } from './events/envelope.js';
import type { C1Payload, C1WebhookSource } from './events/types.js';
import { lastC1Events } from './negative.js';
import type { C1Event } from './negative.js';
import type { C1State } from './state.js';
import { newC1Id } from './state.js';
import { findWebhook } from './webhooks.js';

/** A new event of this name: a new instance id and callback URL. */
export function freshC1Event(ctx: VendorContext, name: string, payload: unknown): C1Event {
  const instanceId = newC1Id(ctx.ids);
  const callbackToken = base62(ctx.ids, 64);
  const callbackUrl = `${ctx.vendorBaseUrl}/api/v1/webhooks/callback/${callbackToken}`;
  return {
    instanceId,
    callbackToken,
    callbackUrl,
    event: name,
    body: c1EventBody({ instanceId, callbackUrl, event: name, payload: payload as C1Payload }),
  };
}

/** The instance's `source`; a deliberately invalid payload (allowInvalid) gets none. */
function sourceOf(event: EventDefinition, part: unknown): C1WebhookSource {
  try {
    return instanceSourceFor(event.name, part as C1Payload);
  } catch {
    return {};
  }
}

async function deliverTriggered(call: EventDelivery<C1State>): Promise<TriggeredDelivery[]> {
  const { event, part, state, ctx, dispatch } = call;
  const webhooks =
    call.webhookId === undefined ? [...state.webhooks.values()] : [findWebhook(state, call.webhookId)];
  const results: TriggeredDelivery[] = [];
  const previous = lastC1Events(state);
  for (const webhook of webhooks) {
    const delivery = { dispatch, state, ctx, webhook };
    let sending = freshC1Event(ctx, event.name, part);
    let source = sourceOf(event, part);
    if (dispatch.negative === 'duplicate-event-id') {
      // as the test call does: the webhook's previous valid event again, after a first one if there is none
      const earlier = previous.get(webhook.id);
      if (earlier === undefined) {
        await deliverC1Event(delivery, sending, source);
        previous.set(webhook.id, sending);
      } else {
        source = state.instances.get(earlier.instanceId)?.source ?? source;
        sending = earlier;
      }
    }
    const sent = await deliverC1Event(delivery, sending, source, dispatch.negative);
    if (dispatch.negative === undefined) previous.set(webhook.id, sending);
    const reason =
      call.webhookId === undefined
        ? 'every C1 webhook gets a triggered event unless one is named'
        : 'the webhook named';
    results.push({
      ...deliveredTo({ webhookId: webhook.id, reason, url: webhook.url }, sent.outcome),
      ...(sent.verdict === undefined ? {} : { verdict: sent.verdict }),
      record: sent.instance,
    });
  }
  return results;
}

/** C1's events: the catalogue, the payload's place in the body (`/payload`), and how one is sent. */
export const c1EventSupport: VendorEvents<C1State> = {
  catalogue: c1Events,
  partPointer: '/payload',
  sampleBody: (event, part) =>
    JSON.parse(
      c1EventBody({
        instanceId: '2aaaaaaaaaaaaaaaaaaaaaaaaaa',
        callbackUrl: 'https://tenant.example/api/v1/webhooks/callback/x',
        event: event.name,
        payload: part as C1Payload,
      }).toString('utf8'),
    ) as unknown,
  deliver: deliverTriggered,
};
