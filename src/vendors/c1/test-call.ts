import { MockError } from '../../core/errors.js';
import { base62 } from '../../core/ids.js';
import type { NegativeKind } from '../../core/negative.js';
import type {
  OperationCall,
  PublicOperationHandler,
  VendorContext,
  VendorResponse,
} from '../../core/vendor-module.js';
import type { C1Principal } from './auth.js';
import { c1EventBody } from './events/envelope.js';
import { C1_EVENT, typeUrl } from './events/types.js';
import { deliverC1Event } from './event-delivery.js';
import { lastC1Events } from './negative.js';
import type { C1Event } from './negative.js';
import type { C1State, WebhookInstance } from './state.js';
import { newC1Id } from './state.js';
import { findWebhook } from './webhooks.js';

export const TEST_EVENT = C1_EVENT.test;

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
  dispatch,
}: OperationCall<C1State, C1Principal>): Promise<VendorResponse> {
  const webhook = findWebhook(state, request.params.id ?? '');
  const delivery = { dispatch, state, ctx, webhook };
  const negative = dispatch.negative;
  const previous = lastC1Events(state);
  const sendTest = async (event: C1Event, kind?: NegativeKind): Promise<WebhookInstance> => {
    const instance = await deliverC1Event(delivery, event, { test: {} }, kind);
    if (kind === undefined) previous.set(webhook.id, event);
    return instance;
  };

  let instance: WebhookInstance;
  if (negative === 'duplicate-event-id') {
    let event = previous.get(webhook.id);
    if (event === undefined) {
      event = freshTestEvent(ctx);
      await sendTest(event);
    }
    instance = await sendTest(event, negative);
  } else {
    instance = await sendTest(freshTestEvent(ctx), negative);
  }
  return { status: 200, body: { webhook: instance } };
}

/** A new test event: a new instance id and callback URL. */
function freshTestEvent(ctx: VendorContext): C1Event {
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
