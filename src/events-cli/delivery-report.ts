/**
 * A journalled delivery as the admin API shows it (`GET /__admin/deliveries/{id}`), read by the commands that
 * make attempts of their own (`redeliver`, a `clock` move that fires retries): a block in the `trigger` report's
 * style — where it went, which attempt of the event, the receiver's answer, the vendor's verdict, what follows —
 * and whether it went as it should (the exit code).
 */
import type { BurstNote, TriggeredDelivery } from '../core/event-catalogue.js';
import type { DeliveryView as AdminDeliveryView } from '../http/admin-views.js';
import { isPlainObject } from '../core/safe-object.js';
import { deliveryProblem, expectationOf, row } from './trigger-report.js';

/** The part of the admin API's delivery view these commands read. */
export type DeliveryView = Pick<
  AdminDeliveryView,
  | 'id'
  | 'vendor'
  | 'webhookId'
  | 'event'
  | 'attempt'
  | 'eventIds'
  | 'startedAt'
  | 'retry'
  | 'redeliveryOf'
  | 'burst'
  | 'negative'
  | 'verdict'
  | 'error'
> & {
  request: Pick<AdminDeliveryView['request'], 'url'>;
  response: Pick<NonNullable<AdminDeliveryView['response']>, 'status'> | null;
};

const strings = (...values: unknown[]): boolean => values.every((value) => typeof value === 'string');

export function isDeliveryView(value: unknown): value is DeliveryView {
  return (
    isPlainObject(value) &&
    strings(value.id, value.vendor, value.webhookId, value.event, value.startedAt) &&
    typeof value.attempt === 'number' &&
    Array.isArray(value.eventIds) &&
    isPlainObject(value.request) &&
    typeof value.request.url === 'string'
  );
}

/** The delivery as the trigger report reads one, so that both judge an answer the same way. */
function asTriggered(view: DeliveryView): TriggeredDelivery {
  const result =
    view.response !== null
      ? { kind: 'response', status: view.response.status }
      : { kind: view.error?.kind ?? 'no answer', ...(view.error ? { message: view.error.message } : {}) };
  return {
    webhookId: view.webhookId,
    delivered: true,
    reason: '',
    deliveryId: view.id,
    url: view.request.url,
    result,
    ...(view.verdict === undefined ? {} : { verdict: view.verdict }),
  };
}

/**
 * What went wrong with the delivery, or undefined when it went as it should: a 2xx the vendor accepts — or, for
 * a negative delivery, the refusal it was after.
 */
export function viewProblem(view: DeliveryView): string | undefined {
  return deliveryProblem(asTriggered(view), expectationOf(view.negative));
}

function received(view: DeliveryView): string {
  if (view.response !== null) return String(view.response.status);
  if (view.error === null) return '-';
  return `${view.error.kind}: ${view.error.message}`;
}

/** `3`, `3, a redelivery of dlv_…`. */
function attemptText(view: DeliveryView): string {
  return view.redeliveryOf === undefined
    ? String(view.attempt)
    : `${view.attempt}, a redelivery of ${view.redeliveryOf}`;
}

/** What follows the attempt: `at <time>`, or `none: <why>`. */
export function retryText(retry: DeliveryView['retry']): string | undefined {
  if (retry === undefined) return undefined;
  return 'nextAttemptAt' in retry ? `at ${retry.nextAttemptAt}` : `none: ${retry.stopped}`;
}

/** `event 2 of trg_…, sent at position 5 (duplicate)`, numbered from 0 as the trigger's `burst.sent` is. */
export function burstText(burst: BurstNote | undefined): string | undefined {
  if (burst === undefined) return undefined;
  const duplicate = burst.duplicate === true ? ' (duplicate)' : '';
  return `event ${burst.event} of ${burst.triggerId}, sent at position ${burst.position}${duplicate}`;
}

/** The delivery's block: a head line, then one labelled line per fact it has. */
export function deliveryBlock(view: DeliveryView, mockUrl: string): string[] {
  const optional = (label: string, value: string | undefined): string[] =>
    value === undefined ? [] : [row(label, value)];
  return [
    `${view.webhookId}: delivered to ${view.request.url}`,
    row('event', `${view.vendor} ${view.event}`),
    row('attempt', attemptText(view)),
    ...optional('event id', view.eventIds.length === 0 ? undefined : view.eventIds.join(', ')),
    row('receiver', received(view)),
    ...optional('verdict', view.verdict?.description),
    ...optional('negative', view.negative),
    ...optional('retry', retryText(view.retry)),
    ...optional('burst', burstText(view.burst)),
    row('delivery', view.id),
    row('body', `GET ${mockUrl}/__admin/deliveries/${view.id} (or the inspector)`),
  ];
}
