/**
 * The delivery engine: the one way out of the mock. Whatever causes a delivery — a test call, a SuperOffice
 * signal, a triggered event, a retry falling due — hands it here: build and sign the request for this
 * attempt → check the target against `--allow-targets` → simulate (a scenario decided the outcome) or send →
 * journal → log. It never throws: a builder that fails or a transport that rejects is an outcome too. It
 * knows which deliveries are on their way, so the server can wait for them when it stops.
 */
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import { deliver as sendOverHttp } from './delivery.js';
import type { DeliveryOptions, DeliveryOutcome, DeliveryRequest, DeliveryResult } from './delivery.js';
import { deliveryLogLevel } from './delivery-log.js';
import type { BurstNote, EventVerdict } from './event-catalogue.js';
import { prefixedId } from './ids.js';
import type { IdSource } from './ids.js';
import type { DeliveryJournal, DeliveryRecord } from './journal.js';
import { setBounded } from './bounded-map.js';
import type { RetryScheduler } from './retry-scheduler.js';
import type { NegativeKind } from './negative.js';
import type { SimulatedDelivery } from './scenario-file.js';
import { simulatedOutcome } from './simulated-delivery.js';

/** One attempt at a delivery; the first is number 1. */
export interface DeliveryAttempt {
  number: number;
  /** When it is made, on the mock's clock. */
  at: Date;
}

/** An event on its way to one webhook, as a vendor hands it to the engine. */
export interface OutboundEvent {
  webhookId: string;
  event: string;
  /** Builds and signs the request for an attempt (each attempt is signed afresh). */
  build(attempt: DeliveryAttempt): DeliveryRequest | Promise<DeliveryRequest>;
  /** Set when the delivery is wrong on purpose: what is wrong with it (journalled). */
  negative?: NegativeKind;
  /** How much of the receiver's answer to read, when the vendor reads more than the default (C1: 250 KB). */
  maxResponseBytes?: number;
  /** The vendor's reading of the receiver's answer (C1's response documents), journalled with the delivery. */
  judge?(outcome: DeliveryOutcome): EventVerdict | undefined;
  /** The ids the vendor shows for the event (its id header, a delivery id it answered with): journal look-ups. */
  eventIds?: string[];
  /** The vendor's retry rule; without one a failed delivery is not retried. */
  retry?: RetryRule;
  /**
   * The vendor's bookkeeping for an attempt the engine makes by itself — a retry falling due or a redelivery —
   * (C1's WebhookInstance, SuperOffice's LastError and State). The first attempt's caller books its own.
   */
  afterAttempt?(attempt: DeliveryAttempt, outcome: EngineOutcome): void | Promise<void>;
}

/** Why a failed delivery is not retried when retries are off. */
export const RETRIES_OFF = 'retries are off (--no-retries)';

/** What a vendor does after an attempt: nothing more (it succeeded), retry after a delay, or give up and why. */
export type RetryDecision = { done: true } | { retryInMs: number } | { stop: string };

export interface RetryRule {
  /** Decides after each attempt, on the attempt's outcome and the vendor's reading of it. */
  after(attempt: DeliveryAttempt, outcome: DeliveryOutcome & { verdict?: EventVerdict }): RetryDecision;
  /** Asked when a retry falls due: why it should not be made after all (webhook deleted, stopped), if so. */
  cancelled?(): string | undefined;
}

/** Why the engine sends something: the vendor, the request that caused it, and a scenario's decision. */
export interface DeliveryCause {
  vendor: string;
  /** The inbound request that caused it. */
  requestId: string;
  /** A scenario decided the outcome: nothing is sent. */
  simulate?: { scenario: string; simulate: SimulatedDelivery };
  /** Part of a triggered burst: where it stands. */
  burst?: BurstNote;
}

/**
 * An outcome, the id the journal keeps it under, which attempt it was, the vendor's reading of the answer if it
 * judges one, and what follows (the next attempt's time, or why there is none).
 */
export type EngineOutcome = DeliveryOutcome & {
  deliveryId: string;
  attempt: number;
  verdict?: EventVerdict;
  retry?: DeliveryRecord['retry'];
};

/** How one request is put on the wire; Node's http by default. */
export type Transport = (request: DeliveryRequest, options: DeliveryOptions) => Promise<DeliveryOutcome>;

export interface DeliveryEngineOptions extends DeliveryOptions {
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  journal: DeliveryJournal;
  /** Why a URL may not be delivered to (`--allow-targets`), or undefined when it may. */
  targetRefusal?(url: URL): string | undefined;
  transport?: Transport;
  /** Where retries wait for their time; without it (`--no-retries`) every delivery is one attempt. */
  retries?: RetryScheduler;
  /** How many deliveries can be sent again (`redeliver`): the journal's size. */
  redeliverable: number;
}

/** A delivery the engine can make again: why it was sent and the event, with its last attempt's number. */
interface Sent {
  cause: DeliveryCause;
  outbound: OutboundEvent;
}

export class DeliveryEngine {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly transport: Transport;
  /** Deliveries that can be sent again, by journal id (bounded like the journal). */
  private readonly sent = new Map<string, Sent>();
  /** The last attempt number of each event on its way. */
  private readonly attempts = new WeakMap<OutboundEvent, number>();

  constructor(private readonly options: DeliveryEngineOptions) {
    this.transport = options.transport ?? sendOverHttp;
  }

  /**
   * Makes the first attempt of an outbound event, journals it, and schedules its retries by the vendor's rule.
   * Resolves with the first attempt's outcome. Never rejects.
   */
  deliver(cause: DeliveryCause, outbound: OutboundEvent): Promise<EngineOutcome> {
    return this.track(this.attempt(cause, outbound, 1));
  }

  /**
   * Sends a journalled delivery's event again, as the vendors' "resend" buttons do: the same event and ids,
   * built and signed afresh, one attempt (no retries). Undefined when the delivery is no longer known.
   */
  redeliver(deliveryId: string, burst?: BurstNote): Promise<EngineOutcome> | undefined {
    const sent = this.sent.get(deliveryId);
    if (sent === undefined) return undefined;
    const number = (this.attempts.get(sent.outbound) ?? 1) + 1;
    // the same cause (its request id finds what verifying it needs), in a burst's place if it is sent in one
    const { burst: _previous, ...rest } = sent.cause;
    const cause: DeliveryCause = { ...rest, ...(burst === undefined ? {} : { burst }) };
    return this.track(
      this.attempt(cause, sent.outbound, number, { redeliveryOf: deliveryId }).then(async (outcome) => {
        await this.book(sent.outbound, number, outcome);
        return outcome;
      }),
    );
  }

  private track(sending: Promise<EngineOutcome>): Promise<EngineOutcome> {
    this.inFlight.add(sending);
    const settled = (): void => {
      this.inFlight.delete(sending);
    };
    sending.then(settled, settled);
    return sending;
  }

  /** Resolves once every delivery on its way has an outcome. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async attempt(
    cause: DeliveryCause,
    outbound: OutboundEvent,
    number: number,
    extra: { redeliveryOf?: string } = {},
  ): Promise<EngineOutcome> {
    this.attempts.set(outbound, Math.max(number, this.attempts.get(outbound) ?? 0));
    const startedAt = this.options.clock.now();
    const attempt = { number, at: startedAt };
    let outcome: DeliveryOutcome;
    try {
      const request = await outbound.build(attempt);
      // the mock's clock, so a seeded run stamps the same times
      outcome = {
        ...(await this.sendOrSimulate(cause, request, outbound.maxResponseBytes)),
        startedAt,
      };
    } catch (error) {
      const failed = { url: '', headers: {}, body: Buffer.alloc(0) };
      const message = `the delivery could not be built: ${(error as Error).message}`;
      outcome = { request: failed, result: { kind: 'invalid-request', message }, startedAt, durationMs: 0 };
    }
    const verdict = this.judge(outbound, outcome);
    // a redelivery is one attempt, as the vendors' resend buttons make it
    const decision =
      extra.redeliveryOf === undefined ? this.decide(outbound, attempt, outcome, verdict) : undefined;
    const recorded = this.record(cause, outbound, outcome, { attempt: number, verdict, ...extra }, decision);
    if (decision !== undefined && 'retryInMs' in decision)
      this.scheduleRetry(cause, outbound, recorded, decision);
    return recorded;
  }

  /** The vendor's rule applied, or `stop` when retries are off; undefined after a success. */
  private decide(
    outbound: OutboundEvent,
    attempt: DeliveryAttempt,
    outcome: DeliveryOutcome,
    verdict: EventVerdict | undefined,
  ): RetryDecision | undefined {
    if (outbound.retry === undefined) return undefined;
    let decision: RetryDecision;
    try {
      decision = outbound.retry.after(attempt, { ...outcome, ...(verdict === undefined ? {} : { verdict }) });
    } catch (error) {
      decision = { stop: `the retry rule failed: ${(error as Error).message}` };
    }
    if ('done' in decision) return undefined;
    if ('retryInMs' in decision && this.options.retries === undefined) return { stop: RETRIES_OFF };
    return decision;
  }

  private scheduleRetry(
    cause: DeliveryCause,
    outbound: OutboundEvent,
    previous: EngineOutcome,
    decision: { retryInMs: number },
  ): void {
    const number = previous.attempt + 1;
    const dueAt = new Date(previous.startedAt.getTime() + decision.retryInMs);
    const eventId = outbound.eventIds?.[0];
    const queued = this.options.retries?.schedule(
      {
        vendor: cause.vendor,
        webhookId: outbound.webhookId,
        event: outbound.event,
        ...(eventId === undefined ? {} : { eventId }),
        attempt: number,
        dueAt: dueAt.toISOString(),
        after: previous.deliveryId,
      },
      async () => {
        const cancelled = outbound.retry?.cancelled?.();
        if (cancelled !== undefined) {
          this.options.logger.info(
            { vendor: cause.vendor, webhookId: outbound.webhookId, attempt: number, reason: cancelled },
            'retry not made',
          );
          return { notMade: cancelled };
        }
        const outcome = await this.track(this.attempt(cause, outbound, number));
        await this.book(outbound, number, outcome);
        return { deliveryId: outcome.deliveryId };
      },
    );
    if (queued !== true)
      this.options.journal.setRetry(previous.deliveryId, { stopped: 'too many retries are waiting' });
  }

  /** The vendor's bookkeeping of an attempt the engine made by itself; a failure there is logged. */
  private async book(outbound: OutboundEvent, number: number, outcome: EngineOutcome): Promise<void> {
    try {
      await outbound.afterAttempt?.({ number, at: outcome.startedAt }, outcome);
    } catch (error) {
      this.options.logger.error(
        { deliveryId: outcome.deliveryId, error: (error as Error).message },
        'the vendor could not book a retry',
      );
    }
  }

  private async sendOrSimulate(
    cause: DeliveryCause,
    request: DeliveryRequest,
    maxResponseBytes = this.options.maxResponseBytes,
  ): Promise<DeliveryOutcome> {
    const refusal = this.refusal(request.url);
    if (refusal !== undefined) return { request, result: refusal, startedAt: new Date(), durationMs: 0 };
    if (cause.simulate !== undefined)
      return simulatedOutcome(request, cause.simulate.simulate, this.options.timeoutMs);
    try {
      return await this.transport(request, { timeoutMs: this.options.timeoutMs, maxResponseBytes });
    } catch (error) {
      // deliver() never rejects; a transport that does is reported like a broken connection
      const message = `the delivery failed: ${(error as Error).message}`;
      return { request, result: { kind: 'connection-error', message }, startedAt: new Date(), durationMs: 0 };
    }
  }

  private refusal(url: string): DeliveryResult | undefined {
    if (this.options.targetRefusal === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined; // the transport reports the invalid URL
    }
    const message = this.options.targetRefusal(parsed);
    return message === undefined ? undefined : { kind: 'target-not-allowed', message };
  }

  private record(
    cause: DeliveryCause,
    outbound: OutboundEvent,
    outcome: DeliveryOutcome,
    about: { attempt: number; verdict: EventVerdict | undefined; redeliveryOf?: string },
    decision: RetryDecision | undefined,
  ): EngineOutcome {
    const deliveryId = prefixedId(this.options.ids, 'dlv_');
    const { attempt, verdict } = about;
    const retry = retryNote(outcome, decision);
    this.options.journal.record({
      id: deliveryId,
      vendor: cause.vendor,
      webhookId: outbound.webhookId,
      event: outbound.event,
      requestId: cause.requestId,
      ...(cause.simulate === undefined ? {} : { simulatedBy: cause.simulate.scenario }),
      ...(outbound.negative === undefined ? {} : { negative: outbound.negative }),
      ...(verdict === undefined ? {} : { verdict }),
      attempt,
      eventIds: outbound.eventIds ?? [],
      ...(retry === undefined ? {} : { retry }),
      ...(about.redeliveryOf === undefined ? {} : { redeliveryOf: about.redeliveryOf }),
      ...(cause.burst === undefined ? {} : { burst: cause.burst }),
      outcome,
    });
    setBounded(this.sent, deliveryId, { cause, outbound }, this.options.redeliverable);
    this.log(
      cause,
      outbound,
      { ...outcome, deliveryId, attempt, ...(verdict === undefined ? {} : { verdict }) },
      retry,
    );
    return {
      ...outcome,
      deliveryId,
      attempt,
      ...(verdict === undefined ? {} : { verdict }),
      ...(retry === undefined ? {} : { retry }),
    };
  }

  private log(
    cause: DeliveryCause,
    outbound: OutboundEvent,
    outcome: EngineOutcome,
    retry: DeliveryRecord['retry'],
  ): void {
    const result = outcome.result;
    this.options.logger[deliveryLogLevel(result, outbound.negative)](
      {
        vendor: cause.vendor,
        requestId: cause.requestId,
        deliveryId: outcome.deliveryId,
        webhookId: outbound.webhookId,
        event: outbound.event,
        attempt: outcome.attempt,
        url: outcome.request.url,
        outcome: result.kind,
        status: result.kind === 'response' ? result.response.status : undefined,
        durationMs: outcome.durationMs,
        simulatedBy: cause.simulate?.scenario,
        negative: outbound.negative,
        verdict: outcome.verdict?.description,
        retry,
      },
      'delivery',
    );
  }

  /** The vendor's reading of the answer; a judge that throws is reported, never thrown. */
  private judge(outbound: OutboundEvent, outcome: DeliveryOutcome): EventVerdict | undefined {
    try {
      return outbound.judge?.(outcome);
    } catch (error) {
      const description = `the answer could not be judged: ${(error as Error).message}`;
      return { valid: false, kind: 'judge-failed', description };
    }
  }
}

/** The journal's note on what follows an attempt. */
function retryNote(outcome: DeliveryOutcome, decision: RetryDecision | undefined): DeliveryRecord['retry'] {
  if (decision === undefined || 'done' in decision) return undefined;
  if ('stop' in decision) return { stopped: decision.stop };
  return { nextAttemptAt: new Date(outcome.startedAt.getTime() + decision.retryInMs).toISOString() };
}
