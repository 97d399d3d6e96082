/**
 * What the trigger command makes of a TriggerResult: per webhook, delivered or skipped and why, the target, the
 * receiver's answer, the vendor's verdict on it (C1's reading of its response document) and where to see the
 * body; and whether it went as it should (the exit code).
 */
import type { TriggeredDelivery, TriggerResult } from '../core/event-catalogue.js';
import { isPlainObject } from '../core/safe-object.js';

/** What the receiver should do with the deliveries: accept them, or refuse them (a negative delivery). */
export type Expectation = 'accept' | 'refuse';

/** A negative delivery is to be refused with a 4xx — but a repeated event id is to be accepted again. */
export function expectationOf(negative: string | undefined): Expectation {
  return negative === undefined || negative === 'duplicate-event-id' ? 'accept' : 'refuse';
}

const is2xx = (status: number): boolean => status >= 200 && status < 300;

/** What went wrong with one delivery, or undefined when it went as it should (a skipped one never fails). */
export function deliveryProblem(delivery: TriggeredDelivery, expectation: Expectation): string | undefined {
  if (!delivery.delivered) return undefined;
  const result = delivery.result;
  if (result === undefined) return 'no answer was recorded';
  if (result.kind !== 'response' || result.status === undefined)
    return result.message === undefined ? result.kind : `${result.kind}: ${result.message}`;
  const status = result.status;
  if (expectation === 'refuse') {
    if (status >= 400 && status < 500) return undefined;
    return is2xx(status) ? `accepted it (${status})` : `answered ${status}; a refusal is a 4xx`;
  }
  if (!is2xx(status)) return `answered ${status}`;
  if (delivery.verdict?.valid === false) return delivery.verdict.description;
  return undefined;
}

export interface TriggerJudgement {
  ok: boolean;
  /** One line: `OK: …` or `FAILED: …`. */
  summary: string;
}

const webhooks = (count: number): string => `${count} webhook${count === 1 ? '' : 's'}`;

/** OK when something was delivered and every delivery was answered as it should be (exit 0), else FAILED (1). */
export function judgeTrigger(result: TriggerResult, negative?: string): TriggerJudgement {
  const expectation = expectationOf(negative);
  const delivered = result.deliveries.filter((delivery) => delivery.delivered);
  if (delivered.length === 0) {
    const why =
      result.deliveries.length === 0
        ? `${result.vendor} has no webhook to send it to`
        : `each of ${webhooks(result.deliveries.length)} skipped it`;
    return { ok: false, summary: `FAILED: nothing was delivered: ${why}.` };
  }
  const problems = delivered.flatMap((delivery) => {
    const problem = deliveryProblem(delivery, expectation);
    return problem === undefined ? [] : [`${delivery.webhookId} ${problem}`];
  });
  if (problems.length > 0) return { ok: false, summary: `FAILED: ${problems.join('; ')}.` };
  const what = expectation === 'accept' ? 'each answered 2xx' : `each refused it (4xx)`;
  return { ok: true, summary: `OK: delivered to ${webhooks(delivered.length)}; ${what}.` };
}

export interface ReportContext {
  /** The running mock's origin: its admin API shows each delivery. */
  mockUrl?: string;
  /** The bodies sent, by delivery id, when the mock that sent them has stopped (`--url`). */
  bodies?: ReadonlyMap<string, string>;
  negative?: string;
}

/** A labelled line of a delivery's block: `  receiver  200`. */
export const row = (label: string, value: string): string => `  ${label.padEnd(9)} ${value}`;

function received(delivery: TriggeredDelivery): string {
  const result = delivery.result;
  if (result === undefined) return '-';
  if (result.kind === 'response' && result.status !== undefined) return String(result.status);
  return result.message === undefined ? result.kind : `${result.kind}: ${result.message}`;
}

/** The vendor's own state of the delivery, when its record has one (C1: the WebhookInstance's `state`). */
function recordState(delivery: TriggeredDelivery): string | undefined {
  return isPlainObject(delivery.record) && typeof delivery.record.state === 'string'
    ? delivery.record.state
    : undefined;
}

function bodyRow(deliveryId: string, context: ReportContext): string | undefined {
  const sent = context.bodies?.get(deliveryId);
  if (sent !== undefined) return row('body', sent);
  if (context.mockUrl === undefined) return undefined;
  return row('body', `GET ${context.mockUrl}/__admin/deliveries/${deliveryId} (or the inspector)`);
}

function deliveryLines(delivery: TriggeredDelivery, context: ReportContext): string[] {
  if (!delivery.delivered) {
    return [
      `${delivery.webhookId}: skipped: ${delivery.reason}`,
      ...(delivery.url === undefined ? [] : [row('url', delivery.url)]),
    ];
  }
  const state = recordState(delivery);
  const body = delivery.deliveryId === undefined ? undefined : bodyRow(delivery.deliveryId, context);
  return [
    `${delivery.webhookId}: delivered to ${delivery.url ?? '(no URL)'}`,
    row('why', delivery.reason),
    row('receiver', received(delivery)),
    ...(delivery.verdict === undefined ? [] : [row('verdict', delivery.verdict.description)]),
    ...(state === undefined ? [] : [row('state', state)]),
    ...(delivery.deliveryId === undefined ? [] : [row('delivery', delivery.deliveryId)]),
    ...(body === undefined ? [] : [body]),
  ];
}

/** The human report: a header, a block per webhook, and the OK/FAILED line. */
export function formatTriggerReport(result: TriggerResult, context: ReportContext = {}): string {
  const variant = result.variant === undefined ? '' : ` (variant ${result.variant})`;
  const negative = context.negative === undefined ? '' : `, made wrong: ${context.negative}`;
  const lines = [
    `trigger ${result.triggerId}: ${result.vendor} ${result.event}${variant}${negative} → ${webhooks(result.deliveries.length)}`,
    '',
  ];
  for (const delivery of result.deliveries) lines.push(...deliveryLines(delivery, context), '');
  lines.push(judgeTrigger(result, context.negative).summary, '');
  return lines.join('\n');
}
