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
  /**
   * The admin API's delivery view plus `verification`: whether the signature verifies, checked as now. With
   * `waitForCauseMs`, a delivery whose causing request is not journalled yet waits for it that long (see
   * causeOf), so that a check that needs the request has it.
   */
  one(record: DeliveryRecord, waitForCauseMs?: number): Promise<object>;
  many(records: DeliveryRecord[]): Promise<object[]>;
  /** The `verification` alone. */
  verification(record: DeliveryRecord, waitForCauseMs?: number): Promise<DeliveryVerification>;
}

/**
 * The request that caused a delivery. A request is journalled once it is answered, which is after the deliveries
 * it makes (a test call reports its delivery's outcome; a SuperOffice save waits for its test POST): a delivery
 * seen as it happens waits up to `waitMs` for its request.
 */
export function causeOf(
  requests: RequestJournal,
  requestId: string,
  waitMs = 0,
): Promise<RequestRecord | undefined> {
  const found = requests.all().find((entry) => entry.id === requestId);
  if (found !== undefined || waitMs <= 0) return Promise.resolve(found);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(undefined);
    }, waitMs);
    const stop = requests.subscribe((entry) => {
      if (entry.id !== requestId) return;
      clearTimeout(timer);
      stop();
      resolve(entry);
    });
  });
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
    one: async (record, waitForCauseMs = 0) =>
      view(record, await causeOf(requests, record.requestId, waitForCauseMs)),
    verification: async (record, waitForCauseMs = 0) =>
      verify(record, await causeOf(requests, record.requestId, waitForCauseMs)),
    many: (records) => {
      const byId = new Map(requests.all().map((entry) => [entry.id, entry]));
      return Promise.all(records.map((record) => view(record, byId.get(record.requestId))));
    },
  };
}
