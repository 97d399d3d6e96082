import type { EngineOutcome, RetryRule } from '../../core/delivery-engine.js';
import { prefixedId } from '../../core/ids.js';
import type { NegativeKind } from '../../core/negative.js';
import type { Dispatch, OperationCall, VendorResponse } from '../../core/vendor-module.js';
import { envelope } from './envelope.js';
import { shodaiEventEnvelope } from './events/envelope.js';
import { buildShodaiDelivery, lastShodaiEvents } from './negative.js';
import type { ShodaiEvent } from './negative.js';
import type { ApiKey, ShodaiState, Subscription } from './state.js';
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
  dispatch,
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
  const negative = dispatch.negative;
  const previous = lastShodaiEvents(state);
  const send = async (event: ShodaiEvent, kind?: NegativeKind): Promise<EngineOutcome> => {
    const outcome = await deliverShodaiEvent(dispatch, subscription, event, { state, deliveryId }, kind);
    if (kind === undefined) previous.set(subscription.id, event);
    return outcome;
  };

  let outcome: EngineOutcome;
  if (negative === 'duplicate-event-id') {
    // the subscription's previous valid event again, freshly signed; a first one if there was none
    let event = previous.get(subscription.id);
    if (event === undefined) {
      event = shodaiEventEnvelope(ctx, TEST_EVENT, {});
      await send(event);
    }
    outcome = await send(event, negative);
  } else {
    outcome = await send(shodaiEventEnvelope(ctx, TEST_EVENT, {}), negative);
  }
  return envelope(201, request.requestId, testResult(deliveryId, outcome));
}

/**
 * The test call's answer for the first attempt's outcome: `ok` only for a 2xx; a failure is `retry_pending`
 * when a retry is scheduled, `failed` when none is.
 */
function testResult(deliveryId: string, outcome: EngineOutcome): TestResult {
  const failed = outcome.retry !== undefined && 'nextAttemptAt' in outcome.retry ? 'retry_pending' : 'failed';
  if (outcome.result.kind !== 'response') {
    return {
      ok: false,
      deliveryId,
      status: failed,
      error: `${outcome.result.kind}: ${outcome.result.message}`,
    };
  }
  const status = outcome.result.response.status;
  const ok = status >= 200 && status < 300;
  return {
    ok,
    deliveryId,
    status: ok ? 'succeeded' : failed,
    responseStatus: status,
    ...(ok ? {} : { error: `receiver answered HTTP ${status}` }),
  };
}

/**
 * The mock's retry schedule for Shodai, which documents `retry_pending` but no schedule: after a failed attempt,
 * again 10 s, 1 min, 10 min, 1 h and 6 h later — six attempts in all. Any 2xx ends it.
 */
export const SHODAI_RETRY_DELAYS_MS = [10_000, 60_000, 600_000, 3_600_000, 21_600_000];

function shodaiRetry(state: ShodaiState, subscriptionId: string): RetryRule {
  return {
    after: (attempt, outcome) => {
      if (
        outcome.result.kind === 'response' &&
        outcome.result.response.status < 300 &&
        outcome.result.response.status >= 200
      )
        return { done: true };
      const delay = SHODAI_RETRY_DELAYS_MS[attempt.number - 1];
      if (delay === undefined)
        return { stop: `the mock's Shodai schedule makes ${SHODAI_RETRY_DELAYS_MS.length + 1} attempts` };
      return { retryInMs: delay };
    },
    cancelled: () => {
      const now = state.subscriptions.get(subscriptionId);
      if (now === undefined) return 'the subscription was deleted';
      return now.status === 'active' ? undefined : 'the subscription is disabled';
    },
  };
}

/**
 * Delivers one event to a subscription: each attempt is signed afresh with the attempt's timestamp, and a
 * failed one is retried on the mock's schedule. `deliveryId` is the id Shodai shows for the delivery.
 */
export function deliverShodaiEvent(
  dispatch: Dispatch,
  subscription: Subscription,
  event: ShodaiEvent,
  context: { state: ShodaiState; deliveryId?: string },
  kind?: NegativeKind,
): Promise<EngineOutcome> {
  return dispatch.deliver({
    webhookId: subscription.id,
    event: event.type,
    eventIds: context.deliveryId === undefined ? [event.id] : [event.id, context.deliveryId],
    retry: shodaiRetry(context.state, subscription.id),
    build: (attempt) =>
      buildShodaiDelivery(
        subscription.url,
        subscription.secret,
        event,
        Math.floor(attempt.at.getTime() / 1000),
        kind,
      ),
    ...(kind === undefined ? {} : { negative: kind }),
  });
}
