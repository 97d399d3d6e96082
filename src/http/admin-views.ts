import type { DeliveryRecord } from '../core/journal.js';

/** A delivery as the admin API shows it (GET /__admin/deliveries), before the `verification` read adds. */
export interface DeliveryView extends Pick<
  DeliveryRecord,
  | 'id'
  | 'vendor'
  | 'webhookId'
  | 'event'
  | 'requestId'
  | 'simulatedBy'
  | 'negative'
  | 'verdict'
  | 'attempt'
  | 'eventIds'
  | 'retry'
  | 'redeliveryOf'
  | 'burst'
> {
  startedAt: string;
  durationMs: number;
  request: { method: 'POST'; url: string; headers: Record<string, string>; body: string; bodyBase64: string };
  signature: { header: string; value: string | null };
  response: {
    status: number;
    statusText: string;
    headers: Record<string, string>;
    body: string;
    truncated: boolean;
  } | null;
  error: { kind: string; message: string } | null;
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** A delivery as the admin API shows it: exact bytes sent, the receiver's answer or the failure, timings. */
export function deliveryView(record: DeliveryRecord, signatureHeader: string): DeliveryView {
  const { outcome } = record;
  const sentHeaders = lowerCase(outcome.request.headers);
  const result = outcome.result;
  return {
    id: record.id,
    vendor: record.vendor,
    webhookId: record.webhookId,
    event: record.event,
    requestId: record.requestId,
    ...(record.simulatedBy === undefined ? {} : { simulatedBy: record.simulatedBy }),
    ...(record.negative === undefined ? {} : { negative: record.negative }),
    ...(record.verdict === undefined ? {} : { verdict: record.verdict }),
    attempt: record.attempt,
    eventIds: record.eventIds,
    ...(record.retry === undefined ? {} : { retry: record.retry }),
    ...(record.redeliveryOf === undefined ? {} : { redeliveryOf: record.redeliveryOf }),
    ...(record.burst === undefined ? {} : { burst: record.burst }),
    startedAt: outcome.startedAt.toISOString(),
    durationMs: outcome.durationMs,
    request: {
      method: 'POST',
      url: outcome.request.url,
      headers: outcome.request.headers,
      body: outcome.request.body.toString('utf8'),
      bodyBase64: outcome.request.body.toString('base64'),
    },
    signature: { header: signatureHeader, value: sentHeaders[signatureHeader.toLowerCase()] ?? null },
    response:
      result.kind === 'response'
        ? {
            status: result.response.status,
            statusText: result.response.statusText,
            headers: result.response.headers,
            body: result.response.body.toString('utf8'),
            truncated: result.response.truncated,
          }
        : null,
    error: result.kind === 'response' ? null : { kind: result.kind, message: result.message },
  };
}
