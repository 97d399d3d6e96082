import type { DeliveryRecord, RequestJournal, RequestRecord, VendorName } from '../core/journal.js';
import type { DeliveryVerification } from '../core/vendor-module.js';
import type { VendorRuntime } from '../core/vendor-runtime.js';
import { deliveryView } from './admin-views.js';

/** A mounted vendor as the admin API sees it. */
export interface InspectableVendor {
  vendor: { name: VendorName; basePath: string };
  runtime: VendorRuntime;
}

export interface DeliveryViews {
  /** The admin API's delivery view plus `verification`: whether the signature verifies, checked as now. */
  one(record: DeliveryRecord): Promise<object>;
  many(records: DeliveryRecord[]): Promise<object[]>;
}

/**
 * Delivery views with a `verification` field, computed on each read by the vendor's own, independent check
 * (HMAC recomputed from the stored secret; C1's JWT against the mock's JWKS). A vendor without a check, or a
 * check that throws, gives `verified: false` with the reason.
 */
export function createDeliveryViews(
  vendors: readonly InspectableVendor[],
  requests: RequestJournal,
): DeliveryViews {
  const runtimes = new Map(vendors.map(({ vendor, runtime }) => [vendor.name, runtime]));

  const verify = async (
    record: DeliveryRecord,
    cause: RequestRecord | undefined,
  ): Promise<DeliveryVerification> => {
    const runtime = runtimes.get(record.vendor);
    if (runtime?.verifyDelivery === undefined)
      return { verified: false, reason: `no signature check for ${record.vendor}` };
    try {
      return await runtime.verifyDelivery({
        webhookId: record.webhookId,
        event: record.event,
        sentAt: record.outcome.startedAt,
        request: record.outcome.request,
        ...(cause === undefined
          ? {}
          : {
              cause: {
                ...(cause.operationId === undefined ? {} : { operationId: cause.operationId }),
                headers: cause.headers,
                body: Buffer.from(cause.body, 'utf8'),
              },
            }),
      });
    } catch (error) {
      return { verified: false, reason: `the check failed: ${(error as Error).message}` };
    }
  };

  const view = async (record: DeliveryRecord, cause: RequestRecord | undefined): Promise<object> => ({
    ...deliveryView(record),
    verification: await verify(record, cause),
  });

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
