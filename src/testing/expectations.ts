/**
 * `expectDelivery` and `expectNoDelivery`, over any source of delivery views: the journal of a mock in this
 * process, or the admin API of one elsewhere. Each delivery is handed out once (until a reset), so consecutive
 * expectations see consecutive deliveries.
 */
import type { VendorName } from '../core/journal.js';
import type { DeliveryVerification } from '../core/vendor-module.js';
import type { DeliveryView as AdminDeliveryView } from '../http/admin-views.js';

/** Which deliveries an expectation is about; every field given must match. */
export interface DeliveryMatch {
  vendor?: VendorName;
  webhookId?: string;
  /** The event type: `c1.webhooks.v1.PayloadTest`, `webhook.test`, `test`, `contact.created`, ... */
  event?: string;
}

export interface ExpectOptions {
  /** How long to wait, in ms: default 5000 for expectDelivery, 500 for expectNoDelivery. */
  within?: number;
}

/** A delivery the mock made, as its receiver got it, with the receiver's answer and the signature check. */
export interface ExpectedDelivery<Body = unknown> {
  id: string;
  vendor: VendorName;
  webhookId: string;
  event: string;
  /** The id of the request to the mock that caused it (its `x-request-id`). */
  requestId: string;
  startedAt: string;
  durationMs: number;
  url: string;
  /** The headers sent, names in lower case. */
  headers: Record<string, string>;
  /** The body sent, parsed as JSON (the text itself when it is not JSON). */
  body: Body;
  /** The exact bytes sent, as text. */
  rawBody: string;
  /** The receiver's answer; undefined when there was none (see `error`). */
  response?: { status: number; headers: Record<string, string>; body: string };
  /** Why there was no answer: `connection-refused`, `timeout`, `target-not-allowed`, ... */
  error?: { kind: string; message: string };
  /** The scenario that decided the outcome without sending anything, if one did. */
  simulatedBy?: string;
  /** The kind of wrong, for a negative delivery (made wrong on purpose). */
  negative?: string;
  /** Whether the signature verifies, checked as a receiver would (the admin API's `verification`). */
  verification: DeliveryVerification;
}

/** A delivery as the admin API shows it (GET /__admin/deliveries), with its verification. */
export type DeliveryView = AdminDeliveryView & { verification: DeliveryVerification };

/** Where expectations find deliveries. */
export interface DeliverySource {
  /** The deliveries journalled so far, oldest first, at least those matching `match`. */
  list(match: DeliveryMatch): Promise<Pick<DeliveryView, 'id' | 'vendor' | 'webhookId' | 'event'>[]>;
  /** The full view of one listed delivery, with its verification. */
  load(id: string): Promise<DeliveryView>;
  /** Resolves when a new delivery may have come, or after `ms`. */
  changed(ms: number): Promise<void>;
}

/** An expectation that was not met; test runners show its message. */
export class DeliveryExpectationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryExpectationError';
  }
}

function matches(
  delivery: Pick<DeliveryView, 'vendor' | 'webhookId' | 'event'>,
  match: DeliveryMatch,
): boolean {
  return (
    (match.vendor === undefined || delivery.vendor === match.vendor) &&
    (match.webhookId === undefined || delivery.webhookId === match.webhookId) &&
    (match.event === undefined || delivery.event === match.event)
  );
}

function describeMatch(match: DeliveryMatch): string {
  const parts = [
    match.vendor === undefined ? '' : `vendor ${match.vendor}`,
    match.webhookId === undefined ? '' : `webhook ${match.webhookId}`,
    match.event === undefined ? '' : `event ${match.event}`,
  ].filter(Boolean);
  return parts.length === 0 ? 'a delivery' : `a delivery (${parts.join(', ')})`;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toExpected<Body>(view: DeliveryView): ExpectedDelivery<Body> {
  return {
    id: view.id,
    vendor: view.vendor,
    webhookId: view.webhookId,
    event: view.event,
    requestId: view.requestId,
    startedAt: view.startedAt,
    durationMs: view.durationMs,
    url: view.request.url,
    headers: Object.fromEntries(
      Object.entries(view.request.headers).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    body: parseBody(view.request.body) as Body,
    rawBody: view.request.body,
    ...(view.response === null ? {} : { response: view.response }),
    ...(view.error === null ? {} : { error: view.error }),
    ...(view.simulatedBy === undefined ? {} : { simulatedBy: view.simulatedBy }),
    ...(view.negative === undefined ? {} : { negative: view.negative }),
    verification: view.verification,
  };
}

export class DeliveryExpectations {
  /** Deliveries already handed out since the last reset. */
  private readonly claimed = new Set<string>();

  constructor(private readonly source: DeliverySource) {}

  reset(): void {
    this.claimed.clear();
  }

  private async unclaimed(match: DeliveryMatch): Promise<{ id: string } | undefined> {
    return (await this.source.list(match)).find(
      (delivery) => matches(delivery, match) && !this.claimed.has(delivery.id),
    );
  }

  /** What was delivered since the last reset, for a failure message. */
  private async seen(): Promise<string> {
    const all = await this.source.list({});
    if (all.length === 0) return 'nothing was delivered';
    const lines = all.slice(-10).map((d) => `  ${d.vendor} ${d.webhookId} ${d.event} (${d.id})`);
    return `deliveries so far${all.length > 10 ? ' (the last 10)' : ''}:\n${lines.join('\n')}`;
  }

  async expectDelivery<Body>(match: DeliveryMatch, options: ExpectOptions): Promise<ExpectedDelivery<Body>> {
    const within = options.within ?? 5000;
    const deadline = Date.now() + within;
    for (;;) {
      const found = await this.unclaimed(match);
      if (found !== undefined) {
        this.claimed.add(found.id);
        return toExpected<Body>(await this.source.load(found.id));
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new DeliveryExpectationError(
          `expected ${describeMatch(match)} within ${within} ms, but none came; ${await this.seen()}`,
        );
      await this.source.changed(left);
    }
  }

  async expectNoDelivery(match: DeliveryMatch, options: ExpectOptions): Promise<void> {
    const within = options.within ?? 500;
    const deadline = Date.now() + within;
    for (;;) {
      const found = await this.unclaimed(match);
      if (found !== undefined) {
        const delivery = await this.source.load(found.id);
        throw new DeliveryExpectationError(
          `expected no ${describeMatch(match).replace(/^a /, '')} within ${within} ms, but ${delivery.id} went to ${delivery.request.url}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) return;
      await this.source.changed(left);
    }
  }
}
