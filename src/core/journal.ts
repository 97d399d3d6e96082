import type { DeliveryOutcome } from './delivery.js';
import { RingBuffer } from './ring-buffer.js';

export type VendorName = 'c1' | 'shodai' | 'superoffice';

/** One outbound delivery as the journal keeps it: what was sent, what came back, and why it was sent. */
export interface DeliveryRecord {
  id: string;
  vendor: VendorName;
  webhookId: string;
  event: string;
  outcome: DeliveryOutcome;
}

export class DeliveryJournal {
  private readonly entries: RingBuffer<DeliveryRecord>;

  constructor(capacity = 1000) {
    this.entries = new RingBuffer(capacity);
  }

  record(entry: DeliveryRecord): void {
    this.entries.push(entry);
  }

  list(filter: { vendor?: VendorName; webhookId?: string } = {}): DeliveryRecord[] {
    return this.entries
      .toArray()
      .filter(
        (entry) =>
          (filter.vendor === undefined || entry.vendor === filter.vendor) &&
          (filter.webhookId === undefined || entry.webhookId === filter.webhookId),
      );
  }

  clear(): void {
    this.entries.clear();
  }
}
