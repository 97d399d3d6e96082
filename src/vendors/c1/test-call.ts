import type { DeliveryOutcome } from '../../core/delivery.js';
import { MockError } from '../../core/errors.js';
import { base62 } from '../../core/ids.js';
import type { OperationCall, PublicOperationHandler, VendorResponse } from '../../core/vendor-module.js';
import type { C1Principal } from './auth.js';
import { bodyDigest, signDeliveryToken } from './signing.js';
import type { C1State, WebhookInstance, WebhookState } from './state.js';
import { durationSeconds, newC1Id } from './state.js';
import { findWebhook } from './webhooks.js';

export const TEST_EVENT = 'c1.webhooks.v1.PayloadTest';

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
 * and answers with the WebhookInstance as the receiver's answer left it.
 */
export async function testWebhook({
  request,
  state,
  ctx,
}: OperationCall<C1State, C1Principal>): Promise<VendorResponse> {
  const webhook = findWebhook(state, request.params.id ?? '');
  const created = ctx.clock.now();
  const instanceId = newC1Id(ctx.ids);
  const callbackToken = base62(ctx.ids, 64);
  const callbackUrl = `${ctx.vendorBaseUrl}/api/v1/webhooks/callback/${callbackToken}`;
  const expiresAt = new Date(created.getTime() + durationSeconds(webhook.callbackTimeout) * 1000);

  const body = Buffer.from(
    JSON.stringify({
      version: 'v1',
      webhookId: instanceId,
      callbackUrl,
      event: TEST_EVENT,
      payload: { '@type': `type.googleapis.com/${TEST_EVENT}` },
    }),
  );
  const destination = new URL(webhook.url);
  const jwt = await signDeliveryToken(state.signer, {
    destination,
    body,
    issuer: new URL(ctx.publicUrl).host,
    jti: newC1Id(ctx.ids),
    issuedAt: Math.floor(created.getTime() / 1000),
  });

  const outcome = await ctx.deliver({
    requestId: request.requestId,
    vendor: 'c1',
    webhookId: webhook.id,
    event: TEST_EVENT,
    request: {
      url: webhook.url,
      headers: {
        Authorization: `bearer ${jwt}`,
        'Content-Digest': `sha-256=${bodyDigest(body)}`,
        'Content-Type': 'application/json',
        'Webhook-Version': 'v1',
        'Webhook-Id': instanceId,
        'Webhook-Event': TEST_EVENT,
        'Webhook-Callback-Url': callbackUrl,
      },
      body,
    },
  });

  const finished = ctx.clock.now().toISOString();
  const instanceState = stateFromOutcome(outcome);
  const instance: WebhookInstance = {
    id: instanceId,
    webhookId: webhook.id,
    state: instanceState,
    attempts: 1,
    createdAt: created.toISOString(),
    updatedAt: finished,
    lastAttemptedAt: outcome.startedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    source: { test: {} },
    spec: { destination: webhook.url },
  };
  if (instanceState !== 'WEBHOOK_STATE_WAITING_CALLBACK' && instanceState !== 'WEBHOOK_STATE_ERROR') {
    instance.completedAt = finished;
  }
  state.instances.set(instance.id, instance);
  if (instanceState === 'WEBHOOK_STATE_WAITING_CALLBACK') {
    state.callbacks.set(callbackToken, { instanceId, expiresAt, used: false });
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
