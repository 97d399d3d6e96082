import { causeOf, verifyRecordedDelivery } from '../core/delivery-verification.js';
import type { DeliveryRecord, RequestJournal, RequestRecord } from '../core/journal.js';
import type { MountedVendor } from '../pipeline/types.js';
import { deliveryView } from './admin-views.js';

export interface DeliveryViews {
  /**
   * The admin API's delivery view plus `verification`: whether the signature verifies, checked as now. With
   * `waitForCauseMs`, a delivery whose causing request is not journalled yet waits for it that long (see
   * causeOf), so that a check that needs the request has it.
   */
  one(record: DeliveryRecord, waitForCauseMs?: number): Promise<object>;
  many(records: DeliveryRecord[]): Promise<object[]>;
}

/** Delivery views with a `verification` field, computed on each read (core/delivery-verification.ts). */
export function createDeliveryViews(
  vendors: readonly MountedVendor[],
  requests: RequestJournal,
): DeliveryViews {
  const byName = new Map(vendors.map((mounted) => [mounted.module.name, mounted]));
  const view = async (record: DeliveryRecord, cause: RequestRecord | undefined): Promise<object> => {
    const mounted = byName.get(record.vendor);
    return {
      ...deliveryView(record, mounted?.module.signatureHeader ?? 'authorization'),
      verification: await verifyRecordedDelivery(mounted?.runtime, record, cause),
    };
  };
  return {
    one: async (record, waitForCauseMs = 0) =>
      view(record, await causeOf(requests, record.requestId, waitForCauseMs)),
    many: (records) => {
      const byId = new Map(requests.all().map((entry) => [entry.id, entry]));
      return Promise.all(records.map((record) => view(record, byId.get(record.requestId))));
    },
  };
}
