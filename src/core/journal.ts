import type { DeliveryOutcome } from './delivery.js';
import type { BurstNote, EventVerdict } from './event-catalogue.js';
import type { VendorName } from './vendor-module.js';
import { RingBuffer } from './ring-buffer.js';

export type { VendorName };

/** One outbound delivery as the journal keeps it: what was sent, what came back, and why it was sent. */
export interface DeliveryRecord {
  id: string;
  vendor: VendorName;
  webhookId: string;
  event: string;
  /** The inbound request that caused it. */
  requestId: string;
  /** Set when a scenario decided the outcome and nothing was sent: the scenario's name. */
  simulatedBy?: string;
  /** Set when the delivery was made wrong on purpose (a negative delivery): what is wrong with it. */
  negative?: string;
  /** The vendor's reading of the receiver's answer (C1's response documents), when it judges one. */
  verdict?: EventVerdict;
  /** Which attempt of the event this was: 1, then each retry or redelivery one more. */
  attempt: number;
  /** The ids the vendor shows for the event (C1's instance id, SuperOffice's EventId, Shodai's event and delivery ids). */
  eventIds: string[];
  /** What follows: the next attempt's due time, or why there is none after a failure. */
  retry?: { nextAttemptAt: string } | { stopped: string };
  /** Set for a redelivery (`POST /__admin/deliveries/{id}/redeliver`): the delivery sent again. */
  redeliveryOf?: string;
  /** Part of a triggered burst: the event's place in creation and sending order, and whether it is a duplicate. */
  burst?: BurstNote;
  outcome: DeliveryOutcome;
}

/** One inbound request to a vendor and the mock's answer. */
export interface RequestRecord {
  id: string;
  receivedAt: string;
  durationMs: number;
  vendor: VendorName;
  operationId?: string;
  method: string;
  /** Path and query as the client sent them, below nothing (e.g. `/c1/api/v1/webhooks`). */
  url: string;
  headers: Record<string, string>;
  /** The body as UTF-8 text, cut at the journal's body limit. */
  body: string;
  bodyTruncated: boolean;
  response: { status: number; headers: Record<string, string>; body: string; bodyTruncated: boolean };
  /** The scenario (or `Prefer` header) that shaped the answer, if any. */
  scenario?: string;
}

type Listener<T> = (entry: T) => void;

/** A bounded journal (oldest entries go first) that tells listeners about each new entry and each change. */
export class Journal<T> {
  private readonly entries: RingBuffer<T>;
  private readonly listeners = new Set<Listener<T>>();
  private readonly changeListeners = new Set<Listener<T>>();

  constructor(capacity = 1000) {
    this.entries = new RingBuffer(capacity);
  }

  get capacity(): number {
    return this.entries.capacity;
  }

  record(entry: T): void {
    this.entries.push(entry);
    for (const listener of this.listeners) listener(entry);
  }

  /** Oldest first. */
  all(): T[] {
    return this.entries.toArray();
  }

  /** Calls `listener` for every entry recorded from now on; returns the function that stops it. */
  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the next entry recorded that `matches`, or with undefined once `timeoutMs` has passed. */
  next(matches: (entry: T) => boolean, timeoutMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve(undefined);
      }, timeoutMs);
      const stop = this.subscribe((entry) => {
        if (!matches(entry)) return;
        clearTimeout(timer);
        stop();
        resolve(entry);
      });
    });
  }

  /** Calls `listener` with an entry each time one already recorded changes; returns the function that stops it. */
  subscribeChanges(listener: Listener<T>): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Tells the change listeners that `entry` has changed. */
  protected changed(entry: T): void {
    for (const listener of this.changeListeners) listener(entry);
  }

  clear(): void {
    this.entries.clear();
  }
}

export interface DeliveryFilter {
  vendor?: VendorName;
  webhookId?: string;
  /** A vendor-visible id of the event (C1 instance id, SuperOffice EventId, Shodai event or delivery id). */
  eventId?: string;
}

export class DeliveryJournal extends Journal<DeliveryRecord> {
  /** Records the vendor's later reading of a delivery's answer (C1: the callback's document); false if gone. */
  annotate(deliveryId: string, verdict: EventVerdict): boolean {
    const record = this.all().find((entry) => entry.id === deliveryId);
    if (record === undefined) return false;
    record.verdict = verdict;
    this.changed(record);
    return true;
  }

  /** Replaces a delivery's note on what follows it; false if it is gone. */
  setRetry(deliveryId: string, retry: NonNullable<DeliveryRecord['retry']>): boolean {
    const record = this.all().find((entry) => entry.id === deliveryId);
    if (record === undefined) return false;
    record.retry = retry;
    this.changed(record);
    return true;
  }

  /** The delivery with this journal id, or else the deliveries of the event with this vendor-visible id. */
  find(id: string): DeliveryRecord[] {
    const all = this.all();
    const byId = all.find((entry) => entry.id === id);
    return byId !== undefined ? [byId] : all.filter((entry) => entry.eventIds.includes(id));
  }

  list(filter: DeliveryFilter = {}): DeliveryRecord[] {
    return this.all().filter((entry) => matchesDelivery(entry, filter));
  }

  /**
   * Resolves with the first delivery matching `filter` recorded after the one with id `after` (or any, without
   * `after`), waiting up to `timeoutMs` for it; resolves undefined when none comes.
   */
  waitFor(
    filter: DeliveryFilter & { after?: string },
    timeoutMs: number,
  ): Promise<DeliveryRecord | undefined> {
    const entries = this.all();
    const afterIndex =
      filter.after === undefined ? -1 : entries.findIndex((entry) => entry.id === filter.after);
    const existing = entries.slice(afterIndex + 1).find((entry) => matchesDelivery(entry, filter));
    if (existing !== undefined) return Promise.resolve(existing);
    return this.next((entry) => matchesDelivery(entry, filter), timeoutMs);
  }
}

export interface RequestFilter {
  vendor?: VendorName;
  operationId?: string;
}

export class RequestJournal extends Journal<RequestRecord> {
  list(filter: RequestFilter = {}): RequestRecord[] {
    return this.all().filter(
      (entry) =>
        (filter.vendor === undefined || entry.vendor === filter.vendor) &&
        (filter.operationId === undefined || entry.operationId === filter.operationId),
    );
  }
}

function matchesDelivery(entry: DeliveryRecord, filter: DeliveryFilter): boolean {
  return (
    (filter.vendor === undefined || entry.vendor === filter.vendor) &&
    (filter.webhookId === undefined || entry.webhookId === filter.webhookId) &&
    (filter.eventId === undefined || entry.eventIds.includes(filter.eventId))
  );
}
