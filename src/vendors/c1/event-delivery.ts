/**
 * Delivering one C1 event to a webhook and booking its WebhookInstance: the request is built and signed afresh
 * for each attempt (a new JWT: `jti`, `iat`), and the instance's state follows the receiver's answer.
 */
import { setBounded } from '../../core/bounded-map.js';
import type { DeliveryOutcome } from '../../core/delivery.js';
import type { NegativeKind } from '../../core/negative.js';
import type { Dispatch, VendorContext } from '../../core/vendor-module.js';
import { buildC1Delivery } from './negative.js';
import type { C1Event } from './negative.js';
import type { C1State, C1Webhook, WebhookInstance, WebhookState } from './state.js';
import { durationSeconds, newC1Id } from './state.js';

/** C1's reading of a receiver's answer (webhooks.mdx, "Responding to webhooks"). */
export function stateFromOutcome(outcome: DeliveryOutcome): WebhookState {
  if (outcome.result.kind !== 'response') return 'WEBHOOK_STATE_ERROR';
  const status = outcome.result.response.status;
  if (status === 202) return 'WEBHOOK_STATE_WAITING_CALLBACK';
  if (status >= 200 && status < 300) return 'WEBHOOK_STATE_SUCCESS';
  if (status === 410) return 'WEBHOOK_STATE_FATAL_ERROR';
  return 'WEBHOOK_STATE_ERROR';
}

export interface C1Delivery {
  dispatch: Dispatch;
  state: C1State;
  ctx: VendorContext;
  webhook: C1Webhook;
}

/** Sends the event through the engine; each attempt gets a fresh JWT from the ring's current key. */
function send(
  delivery: C1Delivery,
  event: C1Event,
  kind: NegativeKind | undefined,
): Promise<DeliveryOutcome> {
  const { dispatch, state, ctx, webhook } = delivery;
  return dispatch.deliver({
    webhookId: webhook.id,
    event: event.event,
    build: (attempt) =>
      buildC1Delivery(
        state.keys.current,
        {
          url: webhook.url,
          event,
          issuer: new URL(ctx.publicUrl).host,
          jti: newC1Id(ctx.ids),
          issuedAt: Math.floor(attempt.at.getTime() / 1000),
        },
        kind,
      ),
    ...(kind === undefined ? {} : { negative: kind }),
  });
}

/** Delivers an event and books its WebhookInstance (an event sent again counts one more attempt). */
export async function deliverC1Event(
  delivery: C1Delivery,
  event: C1Event,
  source: WebhookInstance['source'],
  kind?: NegativeKind,
): Promise<WebhookInstance> {
  const { state, ctx, webhook } = delivery;
  const created = ctx.clock.now();
  const outcome = await send(delivery, event, kind);
  const earlier = state.instances.get(event.instanceId);
  const createdAt = earlier === undefined ? created : new Date(earlier.createdAt);
  const expiresAt = new Date(createdAt.getTime() + durationSeconds(webhook.callbackTimeout) * 1000);
  const finished = ctx.clock.now().toISOString();
  const instanceState = stateFromOutcome(outcome);
  const instance: WebhookInstance = {
    id: event.instanceId,
    webhookId: webhook.id,
    state: instanceState,
    attempts: (earlier?.attempts ?? 0) + 1,
    createdAt: createdAt.toISOString(),
    updatedAt: finished,
    lastAttemptedAt: outcome.startedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    source,
    spec: { destination: webhook.url },
  };
  if (instanceState !== 'WEBHOOK_STATE_WAITING_CALLBACK' && instanceState !== 'WEBHOOK_STATE_ERROR') {
    instance.completedAt = finished;
  }
  setBounded(state.instances, instance.id, instance, ctx.storeLimit);
  if (instanceState === 'WEBHOOK_STATE_WAITING_CALLBACK') {
    const pending = { instanceId: event.instanceId, expiresAt, used: false };
    setBounded(state.callbacks, event.callbackToken, pending, ctx.storeLimit);
  }
  return instance;
}
