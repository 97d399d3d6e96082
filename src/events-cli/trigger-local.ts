/**
 * `trigger --url`: no running mock needed. A mock is started in process (as `check-receiver` starts one) with
 * one webhook of the vendor subscribed to the event and pointing at the receiver; the event is triggered to that
 * webhook, the bodies sent are kept for the report, and the mock stops.
 */
import type { TriggerRequest, TriggerResult } from '../core/event-catalogue.js';
import { MockError } from '../core/errors.js';
import { setOwn } from '../core/safe-object.js';
import type { EventReceiverWebhook } from '../core/vendor-module.js';
import type { MockServer } from '../server/index.js';
import { PortInUseError, receiverUrlProblem, withReceiverMock } from '../server/receiver-mock.js';
import { vendors } from '../vendors/index.js';
import { TriggerNotSent } from './not-sent.js';

export interface ReceiverTarget {
  /** The receiver's URL. */
  url: string;
  /** The receiver's signing secret (Shodai: required; SuperOffice: signs with it; C1: not used). */
  secret?: string;
  /** Port of the in-process mock; default the vendor's (C1: 4010, where receivers expect its JWKS), else any. */
  port?: number;
  /** Origin the receiver reaches that mock at (C1: JWT issuer and JWKS URL). */
  publicUrl?: string;
  /** Time allowed for the delivery, in ms. */
  timeoutMs: number;
}

export interface LocalTrigger {
  result: TriggerResult;
  /** The exact bodies sent, by delivery id: the mock that sent them has stopped. */
  bodies: Map<string, string>;
  /** Where that mock listened (C1: its JWKS was at `<mockUrl>/c1/auth/v1/jwks`). */
  mockUrl: string;
}

/** The webhook's own `set` first, then the caller's (which wins on the same path). */
function mergedSet(
  webhook: EventReceiverWebhook,
  request: TriggerRequest,
): Record<string, unknown> | undefined {
  if (webhook.set === undefined && request.set === undefined) return undefined;
  const set: Record<string, unknown> = {};
  for (const [path, value] of [...Object.entries(webhook.set ?? {}), ...Object.entries(request.set ?? {})])
    setOwn(set, path, value);
  return set;
}

async function triggerIn(
  mock: MockServer,
  request: TriggerRequest,
  webhook: EventReceiverWebhook,
): Promise<LocalTrigger> {
  const set = mergedSet(webhook, request);
  let result: TriggerResult;
  try {
    result = await mock.trigger({ ...request, webhookId: webhook.id, ...(set === undefined ? {} : { set }) });
  } catch (error) {
    if (error instanceof MockError) throw new TriggerNotSent(`not sent: ${error.message}`, error.fields);
    throw error;
  }
  const sent = new Set(result.deliveries.map((delivery) => delivery.deliveryId));
  const bodies = new Map(
    mock.deliveries
      .list({ vendor: request.vendor })
      .filter((record) => sent.has(record.id))
      .map((record) => [record.id, record.outcome.request.body.toString('utf8')]),
  );
  return { result, bodies, mockUrl: mock.url };
}

/** Triggers the event straight to the receiver. Throws TriggerNotSent when it cannot. */
export async function triggerLocal(request: TriggerRequest, target: ReceiverTarget): Promise<LocalTrigger> {
  const vendor = vendors.find((candidate) => candidate.name === request.vendor);
  const check = vendor?.receiverCheck;
  if (vendor === undefined || check?.eventWebhook === undefined)
    throw new TriggerNotSent(
      `--url cannot deliver ${request.vendor}'s events: it has no webhook to point at one`,
    );
  if (request.webhookId !== undefined)
    throw new TriggerNotSent(
      '--webhook names a webhook of a running mock; with --url there is only the receiver',
    );
  const problem = receiverUrlProblem(target.url) ?? check.secretProblem?.(target.secret);
  if (problem !== undefined) throw new TriggerNotSent(problem);
  const webhook = check.eventWebhook(target.url, target.secret, request.event);
  const port = target.port ?? check.defaultPort ?? 0;
  const options = {
    vendor,
    webhook: webhook.fixture,
    port,
    deliveryTimeoutMs: target.timeoutMs,
    ...(target.publicUrl === undefined ? {} : { publicUrl: target.publicUrl }),
  };
  try {
    return await withReceiverMock(options, (mock) => triggerIn(mock, request, webhook));
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    throw new TriggerNotSent(
      `port ${port} is in use (is the mock running there?): pass --port with a free one` +
        (check.defaultPort === undefined ? '' : ' and point the receiver at that JWKS URL'),
    );
  }
}
