import { setBounded } from '../../core/bounded-map.js';
import type { DeliveryOutcome } from '../../core/delivery.js';
import { MockError } from '../../core/errors.js';
import { base62 } from '../../core/ids.js';
import type { NegativeKind } from '../../core/negative.js';
import type { OperationCall, PublicOperationHandler, VendorResponse } from '../../core/vendor-module.js';
import type { C1Principal } from './auth.js';
import { c1EventBody } from './events/envelope.js';
import { C1_EVENT, typeUrl } from './events/types.js';
import { buildC1Delivery, lastC1Events } from './negative.js';
import type { C1Event } from './negative.js';
import type { C1State, WebhookInstance, WebhookState } from './state.js';
import { durationSeconds, newC1Id } from './state.js';
import { findWebhook } from './webhooks.js';

export const TEST_EVENT = C1_EVENT.test;

/** C1's reading of a receiver's answer (webhooks.mdx, "Responding to webhooks"). */
export function stateFromOutcome(outcome: DeliveryOutcome): WebhookState {
  if (outcome.result.kind !== 'response') return 'WEBHOOK_STATE_ERROR';
  const status = outcome.result.response.status;
  if (status === 202) return 'WEBHOOK_STATE_WAITING_CALLBACK';
  if (status >= 200 && status < 300) return 'WEBHOOK_STATE_SUCCESS';
  if (status === 410) return 'WEBHOOK_STATE_FATAL_ERROR';
  return 'WEBHOOK_STATE_ERROR';
}

/**
 * POST /api/v1/webhooks/{id}/test: delivers a signed `c1.webhooks.v1.PayloadTest` event to the webhook's URL
 * and answers with the WebhookInstance as the receiver's answer left it. A negative delivery
 * (`X-Mock-Negative`) is made wrong on purpose; `duplicate-event-id` sends the webhook's previous valid event
 * again (same instance id, body and callback URL, a fresh JWT) — after sending a first one, if there is none.
 */
export async function testWebhook({
  request,
  state,
  ctx,
}: OperationCall<C1State, C1Principal>): Promise<VendorResponse> {
  const webhook = findWebhook(state, request.params.id ?? '');
  const created = ctx.clock.now();
  const negative = ctx.negativeFor?.(request.requestId);
  const previous = lastC1Events(state);

  const freshEvent = (): C1Event => {
    const instanceId = newC1Id(ctx.ids);
    const callbackToken = base62(ctx.ids, 64);
    const callbackUrl = `${ctx.vendorBaseUrl}/api/v1/webhooks/callback/${callbackToken}`;
    const body = c1EventBody({
      instanceId,
      callbackUrl,
      event: TEST_EVENT,
      payload: { '@type': typeUrl(TEST_EVENT) },
    });
    return { instanceId, callbackToken, callbackUrl, event: TEST_EVENT, body };
  };

  /** Sends the event and books its WebhookInstance (a re-sent event counts one more attempt). */
  const send = async (event: C1Event, kind?: NegativeKind): Promise<WebhookInstance> => {
    const outcome = await ctx.deliver({
      requestId: request.requestId,
      vendor: 'c1',
      webhookId: webhook.id,
      event: event.event,
      request: await buildC1Delivery(
        state.keys.current,
        {
          url: webhook.url,
          event,
          issuer: new URL(ctx.publicUrl).host,
          jti: newC1Id(ctx.ids),
          issuedAt: Math.floor(created.getTime() / 1000),
        },
        kind,
      ),
      ...(kind === undefined ? {} : { negative: kind }),
    });
    if (kind === undefined) previous.set(webhook.id, event);

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
      source: { test: {} },
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
  };

  let instance: WebhookInstance;
  if (negative === 'duplicate-event-id') {
    let event = previous.get(webhook.id);
    if (event === undefined) {
      event = freshEvent();
      await send(event);
    }
    instance = await send(event, negative);
  } else {
    instance = await send(freshEvent(), negative);
  }
  return { status: 200, body: { webhook: instance } };
}

/**
 * POST /api/v1/webhooks/callback/{token}: completes a delivery the receiver answered with 202. The URL works
 * once; a reused, unknown or expired URL, or a body without `"version": "v1"`, gets 400.
 */
export const completeCallback: PublicOperationHandler<C1State> = ({ request, state, ctx }) => {
  const token = request.params.token ?? '';
  const pending = state.callbacks.get(token);
  const now = ctx.clock.now();
  if (pending === undefined) throw new MockError('invalid-request', 'unknown callback URL');
  if (pending.used) throw new MockError('invalid-request', 'this callback URL has already been used');
  if (pending.expiresAt <= now) throw new MockError('invalid-request', 'this callback URL has expired');
  const body = request.body as { version?: unknown } | undefined;
  if (body === undefined || body === null || typeof body !== 'object' || body.version !== 'v1') {
    throw new MockError(
      'invalid-request',
      'the callback body must be a JSON response document with "version": "v1"',
      {
        fields: [{ field: 'body.version', message: 'must be "v1"' }],
      },
    );
  }
  pending.used = true;
  const instance = state.instances.get(pending.instanceId);
  if (instance !== undefined) {
    instance.state = 'WEBHOOK_STATE_SUCCESS';
    instance.completedAt = now.toISOString();
    instance.updatedAt = now.toISOString();
  }
  return { status: 200, body: {} };
};
