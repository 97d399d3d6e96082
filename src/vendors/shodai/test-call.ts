import { unixSeconds } from '../../core/clock.js';
import { prefixedId } from '../../core/ids.js';
import type { OperationCall, VendorResponse } from '../../core/vendor-module.js';
import { envelope } from './envelope.js';
import { signShodaiDelivery } from './signing.js';
import type { ApiKey, ShodaiState } from './state.js';
import { DELIVERY_API_VERSION } from './state.js';
import { findSubscription } from './webhooks.js';

export const TEST_EVENT = 'webhook.test';

interface TestResult {
  ok: boolean;
  deliveryId: string;
  status: 'pending' | 'succeeded' | 'failed' | 'retry_pending';
  responseStatus?: number;
  error?: string;
}

/**
 * POST /v0/webhooks/{id}/test: signs and delivers a `webhook.test` envelope and answers 201 with the result of
 * that one attempt (`ok` only for a 2xx). A disabled subscription is not delivered to: the answer says so
 * (`ok: false`, `status: "failed"`).
 */
export async function testWebhook({
  request,
  state,
  principal,
  ctx,
}: OperationCall<ShodaiState, ApiKey>): Promise<VendorResponse> {
  const subscription = findSubscription(state, principal, request.params.id ?? '');
  const deliveryId = prefixedId(ctx.ids, 'whd_');
  if (subscription.status === 'disabled') {
    const result: TestResult = {
      ok: false,
      deliveryId,
      status: 'failed',
      error: 'webhook subscription is disabled',
    };
    return envelope(201, request.requestId, result);
  }

  const eventId = prefixedId(ctx.ids, 'evt_');
  const now = ctx.clock.now();
  const body = Buffer.from(
    JSON.stringify({
      id: eventId,
      type: TEST_EVENT,
      apiVersion: DELIVERY_API_VERSION,
      createdAt: now.toISOString(),
      data: {},
    }),
  );
  const timestamp = String(unixSeconds(ctx.clock));
  const outcome = await ctx.deliver({
    requestId: request.requestId,
    vendor: 'shodai',
    webhookId: subscription.id,
    event: TEST_EVENT,
    request: {
      url: subscription.url,
      headers: {
        'content-type': 'application/json',
        'x-shodai-webhook-id': eventId,
        'x-shodai-webhook-timestamp': timestamp,
        'x-shodai-webhook-signature': signShodaiDelivery(subscription.secret, timestamp, body),
      },
      body,
    },
  });

  let result: TestResult;
  if (outcome.result.kind === 'response') {
    const status = outcome.result.response.status;
    const ok = status >= 200 && status < 300;
    result = { ok, deliveryId, status: ok ? 'succeeded' : 'failed', responseStatus: status };
    if (!ok) result.error = `receiver answered HTTP ${status}`;
  } else {
    result = {
      ok: false,
      deliveryId,
      status: 'failed',
      error: `${outcome.result.kind}: ${outcome.result.message}`,
    };
  }
  return envelope(201, request.requestId, result);
}
