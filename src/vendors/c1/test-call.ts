import { setBounded } from '../../core/bounded-map.js';
import { MockError } from '../../core/errors.js';
import type { NegativeKind } from '../../core/negative.js';
import type {
  OperationCall,
  PublicOperationHandler,
  VendorContext,
  VendorResponse,
} from '../../core/vendor-module.js';
import type { C1Principal } from './auth.js';
import { expireCallbacks } from './callback-timeout.js';
import { C1_EVENT, typeUrl } from './events/types.js';
import { c1Verdict, deliverC1Event } from './event-delivery.js';
import { freshC1Event } from './trigger.js';
import { judgeC1Response } from './responses.js';
import { lastC1Events } from './negative.js';
import type { C1Event } from './negative.js';
import type { C1State, WebhookInstance } from './state.js';
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
    const { instance } = await deliverC1Event(delivery, event, { test: {} }, kind);
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
  return freshC1Event(ctx, TEST_EVENT, { '@type': typeUrl(TEST_EVENT) });
}

/**
 * POST /api/v1/webhooks/callback/{token}: completes a delivery the receiver answered with 202. The body is the
 * event's response document, judged as C1 judges it: a valid one completes the instance (200) and records what
 * C1 makes of it (approved, provisioned, …); an invalid one, an empty body included, is 400 and the URL stays
 * usable ("Only a successful callback uses up the URL"). A reused, unknown or expired URL is 400.
 */
/** The rules about the document's `version`, reported on that field. */
const VERSION_RULES: ReadonlySet<string> = new Set(['missing-version', 'wrong-version']);

export const completeCallback: PublicOperationHandler<C1State> = ({ request, state, ctx }) => {
  const token = request.params.token ?? '';
  expireCallbacks(state, ctx);
  const pending = state.callbacks.get(token);
  const now = ctx.clock.now();
  if (pending === undefined) throw new MockError('invalid-request', 'unknown callback URL');
  if (pending.used) throw new MockError('invalid-request', 'this callback URL has already been used');
  if (pending.expiresAt <= now) throw new MockError('invalid-request', 'this callback URL has expired');
  const verdict = judgeC1Response(
    { event: pending.event, via: 'callback', body: request.rawBody },
    (name, value) => ctx.schemas.component(name, value),
  );
  ctx.annotateDelivery(pending.deliveryId, c1Verdict(verdict));
  setBounded(state.outcomes, pending.instanceId, verdict.outcome, ctx.storeLimit);
  if (!verdict.valid) {
    throw new MockError(
      'invalid-request',
      `the callback's response document is not valid: ${verdict.reason}`,
      {
        fields: [
          { field: VERSION_RULES.has(verdict.rule) ? 'body.version' : 'body', message: verdict.reason },
        ],
      },
    );
  }
  pending.used = true;
  const instance = state.instances.get(pending.instanceId);
  if (instance !== undefined) {
    state.instances.set(instance.id, {
      ...instance,
      state: 'WEBHOOK_STATE_SUCCESS',
      completedAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
  }
  return { status: 200, body: {} };
};
