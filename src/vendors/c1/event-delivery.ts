/**
 * Delivering one C1 event to a webhook and booking its WebhookInstance: the request is built and signed afresh
 * for each attempt (a new JWT: `jti`, `iat`); the instance's state follows the receiver's answer, and a 2xx
 * answer's body is judged as the event's response document (C1's two-way contract): an invalid one fails the
 * step as C1 fails it.
 */
import { setBounded } from '../../core/bounded-map.js';
import type { DeliveryOutcome } from '../../core/delivery.js';
import { RETRIES_OFF } from '../../core/delivery-engine.js';
import type { EngineOutcome, RetryRule } from '../../core/delivery-engine.js';
import type { EventVerdict } from '../../core/event-catalogue.js';
import type { NegativeKind } from '../../core/negative.js';
import type { Dispatch, VendorContext } from '../../core/vendor-module.js';
import { buildC1Delivery } from './negative.js';
import type { C1Event } from './negative.js';
import { C1_RESPONSE_MAX_BYTES, describeC1Outcome, judgeC1Response } from './responses.js';
import type { C1Outcome, C1ResponseVerdict } from './responses.js';
import type { C1State, C1Webhook, WebhookInstance, WebhookState } from './state.js';
import { durationSeconds, newC1Id } from './state.js';

/** C1's reading of a receiver's answer (webhooks.mdx, "Responding to webhooks"), before its body is judged. */
export function stateFromOutcome(outcome: DeliveryOutcome): WebhookState {
  if (outcome.result.kind !== 'response') return 'WEBHOOK_STATE_ERROR';
  const status = outcome.result.response.status;
  if (status === 202) return 'WEBHOOK_STATE_WAITING_CALLBACK';
  if (status >= 200 && status < 300) return 'WEBHOOK_STATE_SUCCESS';
  if (status === 410) return 'WEBHOOK_STATE_FATAL_ERROR';
  return 'WEBHOOK_STATE_ERROR';
}

/** A C1 judgement as the journal and the trigger's answer keep it. */
export function c1Verdict(verdict: C1ResponseVerdict): EventVerdict {
  return {
    valid: verdict.valid,
    kind: verdict.outcome.kind,
    description: describeC1Outcome(verdict.outcome),
    outcome: verdict.outcome,
  };
}

export interface C1Delivery {
  dispatch: Dispatch;
  state: C1State;
  ctx: VendorContext;
  webhook: C1Webhook;
}

/** The judgement of a synchronous answer: a 2xx other than 202 carries the response document. */
function judgeSync(
  event: C1Event,
  ctx: VendorContext,
  outcome: DeliveryOutcome,
): C1ResponseVerdict | undefined {
  if (stateFromOutcome(outcome) !== 'WEBHOOK_STATE_SUCCESS' || outcome.result.kind !== 'response')
    return undefined;
  const { body, truncated } = outcome.result.response;
  return judgeC1Response({ event: event.event, via: 'sync', body, truncated }, (name, value) =>
    ctx.schemas.component(name, value),
  );
}

/** webhooks.mdx, "Delivery retries and failures": up to 50 attempts, 3 to 15 seconds apart. */
export const C1_MAX_ATTEMPTS = 50;
const C1_RETRY_MIN_MS = 3_000;
const C1_RETRY_SPREAD_MS = 12_000;

/** A random 3–15 s delay, drawn from the mock's id source (so a seeded run repeats it). */
export function c1RetryDelayMs(ctx: Pick<VendorContext, 'ids'>): number {
  return C1_RETRY_MIN_MS + (ctx.ids.bytes(4).readUInt32BE(0) % (C1_RETRY_SPREAD_MS + 1));
}

/** When an instance's callback timeout elapses: its window, counted from the first firing. */
function deadlineOf(delivery: C1Delivery, event: C1Event): number {
  const earlier = delivery.state.instances.get(event.instanceId);
  const created = earlier === undefined ? delivery.ctx.clock.now() : new Date(earlier.createdAt);
  return created.getTime() + durationSeconds(delivery.webhook.callbackTimeout) * 1000;
}

/** C1's retry rule: retry a failure (not a 410, not an invalid document) until 50 attempts or the timeout. */
function c1RetryRule(delivery: C1Delivery, event: C1Event): RetryRule {
  const deadline = deadlineOf(delivery, event);
  return {
    after: (attempt, outcome) => {
      if (outcome.verdict?.valid === false)
        return { stop: 'the answer is not a response document C1 can use: the step fails' };
      const state = stateFromOutcome(outcome);
      if (state === 'WEBHOOK_STATE_SUCCESS' || state === 'WEBHOOK_STATE_WAITING_CALLBACK')
        return { done: true };
      if (state === 'WEBHOOK_STATE_FATAL_ERROR')
        return { stop: 'the receiver answered 410 Gone: C1 stops at once' };
      if (attempt.number >= C1_MAX_ATTEMPTS) return { stop: `C1 makes at most ${C1_MAX_ATTEMPTS} attempts` };
      const delay = c1RetryDelayMs(delivery.ctx);
      if (attempt.at.getTime() + delay >= deadline)
        return { stop: "the webhook's callback timeout elapses before the next attempt" };
      return { retryInMs: delay };
    },
    cancelled: () =>
      delivery.state.webhooks.has(delivery.webhook.id) ? undefined : 'the webhook was deleted',
  };
}

/** Sends the event through the engine; each attempt gets a fresh JWT from the ring's current key. */
function send(
  delivery: C1Delivery,
  event: C1Event,
  source: WebhookInstance['source'],
  kind: NegativeKind | undefined,
): Promise<EngineOutcome> {
  const { dispatch, state, ctx, webhook } = delivery;
  return dispatch.deliver({
    webhookId: webhook.id,
    event: event.event,
    eventIds: [event.instanceId],
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
    // a document of up to 250 KB, and one byte more to tell a longer one
    maxResponseBytes: C1_RESPONSE_MAX_BYTES + 1,
    judge: (outcome) => {
      const verdict = judgeSync(event, ctx, outcome);
      return verdict === undefined ? undefined : c1Verdict(verdict);
    },
    retry: c1RetryRule(delivery, event),
    afterAttempt: (_attempt, outcome) => {
      bookAttempt(delivery, event, source, outcome);
    },
  });
}

/** The instance's state after an attempt: retries exhausted (or the timeout) make a failure final. */
function instanceStateAfter(outcome: EngineOutcome): WebhookState {
  // a 2xx whose document C1 cannot use fails the step: no retry, as for a 410
  if (outcome.verdict?.valid === false) return 'WEBHOOK_STATE_FATAL_ERROR';
  const state = stateFromOutcome(outcome);
  const stopped =
    outcome.retry !== undefined && 'stopped' in outcome.retry ? outcome.retry.stopped : undefined;
  if (state === 'WEBHOOK_STATE_ERROR' && stopped !== undefined && stopped !== RETRIES_OFF)
    return 'WEBHOOK_STATE_FATAL_ERROR';
  return state;
}

/** Books an attempt on the event's WebhookInstance (attempts, state, times) and its callback, if it waits for one. */
function bookAttempt(
  delivery: C1Delivery,
  event: C1Event,
  source: WebhookInstance['source'],
  outcome: EngineOutcome,
): WebhookInstance {
  const { state, ctx, webhook } = delivery;
  const earlier = state.instances.get(event.instanceId);
  const createdAt = earlier === undefined ? outcome.startedAt : new Date(earlier.createdAt);
  const expiresAt = new Date(createdAt.getTime() + durationSeconds(webhook.callbackTimeout) * 1000);
  const finished = ctx.clock.now().toISOString();
  const instanceState = instanceStateAfter(outcome);
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
  const judged = outcome.verdict?.outcome as C1Outcome | undefined;
  if (judged !== undefined) setBounded(state.outcomes, instance.id, judged, ctx.storeLimit);
  if (instanceState === 'WEBHOOK_STATE_WAITING_CALLBACK') {
    const pending = {
      instanceId: event.instanceId,
      event: event.event,
      deliveryId: outcome.deliveryId,
      expiresAt,
      used: false,
    };
    setBounded(state.callbacks, event.callbackToken, pending, ctx.storeLimit);
  }
  return instance;
}

/**
 * Delivers an event and books its WebhookInstance (an event sent again counts one more attempt). Resolves after
 * the first attempt; a failed one is retried by C1's rule on the mock's clock, each retry booked the same way.
 */
export async function deliverC1Event(
  delivery: C1Delivery,
  event: C1Event,
  source: WebhookInstance['source'],
  kind?: NegativeKind,
): Promise<{ instance: WebhookInstance; outcome: EngineOutcome; verdict?: EventVerdict }> {
  const outcome = await send(delivery, event, source, kind);
  const instance = bookAttempt(delivery, event, source, outcome);
  return { instance, outcome, ...(outcome.verdict === undefined ? {} : { verdict: outcome.verdict }) };
}

/** What C1 made of an instance's answer so far, for views of the instance. */
export function outcomeOf(state: C1State, instanceId: string): C1Outcome | undefined {
  return state.outcomes.get(instanceId);
}
