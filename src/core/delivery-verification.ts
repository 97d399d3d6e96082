import { isTriggerId } from './event-catalogue.js';
import type { DeliveryRecord, RequestJournal, RequestRecord } from './journal.js';
import type { DeliveryVerification } from './vendor-module.js';
import type { VendorRuntime } from './vendor-runtime.js';

/**
 * Whether a journalled delivery's signature verifies, by the vendor's own independent check (HMAC recomputed
 * from the stored secret; C1's JWT against the JWKS of the moment it was sent), with the request that caused it
 * when the journal still has it. A vendor without a check, or a check that throws, gives `verified: false`.
 */
export async function verifyRecordedDelivery(
  runtime: VendorRuntime | undefined,
  record: DeliveryRecord,
  cause: RequestRecord | undefined,
): Promise<DeliveryVerification> {
  if (runtime === undefined) return { verified: false, reason: `no signature check for ${record.vendor}` };
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
}

/**
 * The request that caused a delivery. A request is journalled once it is answered, which is after the deliveries
 * it makes (a test call reports its delivery's outcome; a SuperOffice save waits for its test POST): a delivery
 * seen as it happens waits up to `waitMs` for its request. A triggered delivery has no request: it waits for none
 * (else each one would hold an event stream up for `waitMs`).
 */
export function causeOf(
  requests: RequestJournal,
  requestId: string,
  waitMs = 0,
): Promise<RequestRecord | undefined> {
  const found = requests.all().find((entry) => entry.id === requestId);
  if (found !== undefined || waitMs <= 0 || isTriggerId(requestId)) return Promise.resolve(found);
  return requests.next((entry) => entry.id === requestId, waitMs);
}
