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
import type { EventVerdict } from './event-catalogue.js';
import { prefixedId } from './ids.js';
import type { IdSource } from './ids.js';
import type { DeliveryJournal } from './journal.js';
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
}

/** Why the engine sends something: the vendor, the request that caused it, and a scenario's decision. */
export interface DeliveryCause {
  vendor: string;
  /** The inbound request that caused it. */
  requestId: string;
  /** A scenario decided the outcome: nothing is sent. */
  simulate?: { scenario: string; simulate: SimulatedDelivery };
}

/** An outcome, the id the journal keeps it under, and the vendor's reading of the answer if it judges one. */
export type EngineOutcome = DeliveryOutcome & { deliveryId: string; verdict?: EventVerdict };

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
}

export class DeliveryEngine {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly transport: Transport;

  constructor(private readonly options: DeliveryEngineOptions) {
    this.transport = options.transport ?? sendOverHttp;
  }

  /** Makes one attempt of an outbound event and journals it. Never rejects. */
  deliver(cause: DeliveryCause, outbound: OutboundEvent, attempt = 1): Promise<EngineOutcome> {
    const sending = this.attempt(cause, outbound, attempt);
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
  ): Promise<EngineOutcome> {
    const startedAt = this.options.clock.now();
    let request: DeliveryRequest;
    try {
      request = await outbound.build({ number, at: startedAt });
    } catch (error) {
      const failed = { url: '', headers: {}, body: Buffer.alloc(0) };
      const message = `the delivery could not be built: ${(error as Error).message}`;
      return this.record(cause, outbound, {
        request: failed,
        result: { kind: 'invalid-request', message },
        startedAt,
        durationMs: 0,
      });
    }
    const outcome = await this.sendOrSimulate(cause, request, outbound.maxResponseBytes);
    // the mock's clock, so a seeded run stamps the same times
    return this.record(cause, outbound, { ...outcome, startedAt });
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

  private record(cause: DeliveryCause, outbound: OutboundEvent, outcome: DeliveryOutcome): EngineOutcome {
    const deliveryId = prefixedId(this.options.ids, 'dlv_');
    const verdict = this.judge(outbound, outcome);
    this.options.journal.record({
      id: deliveryId,
      vendor: cause.vendor,
      webhookId: outbound.webhookId,
      event: outbound.event,
      requestId: cause.requestId,
      ...(cause.simulate === undefined ? {} : { simulatedBy: cause.simulate.scenario }),
      ...(outbound.negative === undefined ? {} : { negative: outbound.negative }),
      ...(verdict === undefined ? {} : { verdict }),
      outcome,
    });
    const result = outcome.result;
    this.options.logger[deliveryLogLevel(result, outbound.negative)](
      {
        vendor: cause.vendor,
        requestId: cause.requestId,
        deliveryId,
        webhookId: outbound.webhookId,
        event: outbound.event,
        url: outcome.request.url,
        outcome: result.kind,
        status: result.kind === 'response' ? result.response.status : undefined,
        durationMs: outcome.durationMs,
        simulatedBy: cause.simulate?.scenario,
        negative: outbound.negative,
        verdict: verdict?.description,
      },
      'delivery',
    );
    return { ...outcome, deliveryId, ...(verdict === undefined ? {} : { verdict }) };
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
