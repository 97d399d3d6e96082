import { verifyRecordedDelivery } from '../core/delivery-verification.js';
import type { DeliveryRecord, RequestJournal, RequestRecord } from '../core/journal.js';
import type { MountedVendor } from '../pipeline/types.js';
import { deliveryView } from './admin-views.js';

export interface DeliveryViews {
  /** The admin API's delivery view plus `verification`: whether the signature verifies, checked as now. */
  one(record: DeliveryRecord): Promise<object>;
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
    one: (record) =>
      view(
        record,
        requests.all().find((entry) => entry.id === record.requestId),
      ),
    many: (records) => {
      const byId = new Map(requests.all().map((entry) => [entry.id, entry]));
      return Promise.all(records.map((record) => view(record, byId.get(record.requestId))));
    },
  };
}
