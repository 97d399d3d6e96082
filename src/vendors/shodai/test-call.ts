import { unixSeconds } from '../../core/clock.js';
import type { DeliveryOutcome } from '../../core/delivery.js';
import { prefixedId } from '../../core/ids.js';
import type { NegativeKind } from '../../core/negative.js';
import type { OperationCall, VendorResponse } from '../../core/vendor-module.js';
import { envelope } from './envelope.js';
import { shodaiEventEnvelope } from './events/envelope.js';
import { buildShodaiDelivery, lastShodaiEvents } from './negative.js';
import type { ShodaiEvent } from './negative.js';
import type { ApiKey, ShodaiState } from './state.js';
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
 * (`ok: false`, `status: "failed"`). A negative delivery (`X-Mock-Negative`) is made wrong on purpose;
 * `duplicate-event-id` sends the subscription's previous valid event again (same id and body, a fresh
 * timestamp and signature) — after sending a first one, if there is none.
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

  const negative = ctx.negativeFor?.(request.requestId);
  const previous = lastShodaiEvents(state);
  const freshEvent = (): ShodaiEvent => shodaiEventEnvelope(ctx, TEST_EVENT, {});
  const send = async (event: ShodaiEvent, kind?: NegativeKind): Promise<DeliveryOutcome> => {
    const outcome = await ctx.deliver({
      requestId: request.requestId,
      vendor: 'shodai',
      webhookId: subscription.id,
      event: event.type,
      request: buildShodaiDelivery(
        subscription.url,
        subscription.secret,
        event,
        unixSeconds(ctx.clock),
        kind,
      ),
      ...(kind === undefined ? {} : { negative: kind }),
    });
    if (kind === undefined) previous.set(subscription.id, event);
    return outcome;
  };

  let outcome: DeliveryOutcome;
  if (negative === 'duplicate-event-id') {
    // the subscription's previous valid event again, freshly signed; a first one if there was none
    let event = previous.get(subscription.id);
    if (event === undefined) {
      event = freshEvent();
      await send(event);
    }
    outcome = await send(event, negative);
  } else {
    outcome = await send(freshEvent(), negative);
  }

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
