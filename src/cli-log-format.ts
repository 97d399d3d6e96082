/**
 * One readable line per log record, for the CLI's pretty logs (pino-pretty's `messageFormat`): the requests and
 * deliveries the mock logs get a layout of their own, any other record is its message and its fields.
 */
import type PinoPretty from 'pino-pretty';

type Log = Record<string, unknown>;
/** The colour functions pino-pretty hands over (colorette's; plain ones when colours are off). */
type Colorette = Parameters<PinoPretty.MessageFormatFunc>[3]['colors'];

/** Fields pino itself adds, and the ones the layouts below already show. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/** Control characters (a stray escape sequence) never reach the terminal. */
function text(value: unknown): string {
  const raw = typeof value === 'string' ? value : JSON.stringify(value);
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return (raw ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function statusText(status: unknown, colors: Colorette): string {
  if (typeof status !== 'number') return colors.red(text(status));
  if (status >= 200 && status < 300) return colors.green(String(status));
  return status >= 500 ? colors.red(String(status)) : colors.yellow(String(status));
}

function duration(log: Log): string {
  return typeof log.durationMs === 'number' ? ` ${Math.round(log.durationMs)} ms` : '';
}

function vendorTag(log: Log, colors: Colorette): string {
  return typeof log.vendor === 'string' ? `${colors.magenta(log.vendor)} ` : '';
}

/** `c1 POST /c1/api/v1/webhooks/…/test → 200 12 ms (c1.api.….Test) req_…` */
function requestLine(log: Log, colors: Colorette): string {
  const operation = typeof log.operationId === 'string' ? colors.gray(` ${log.operationId}`) : '';
  return `${vendorTag(log, colors)}${text(log.method)} ${text(log.url)} → ${statusText(log.status, colors)}${duration(log)}${operation} ${colors.gray(text(log.requestId))}`;
}

/** `shodai delivery webhook.test → http://…/hook: 200 8 ms dlv_… (req_…)`, or the failure instead of a status. */
function deliveryLine(log: Log, colors: Colorette): string {
  const result = log.outcome === 'response' ? statusText(log.status, colors) : colors.red(text(log.outcome));
  const notes = [
    typeof log.negative === 'string' ? `negative: ${log.negative}` : '',
    typeof log.simulatedBy === 'string' ? `simulated by ${log.simulatedBy}` : '',
  ].filter(Boolean);
  return (
    `${vendorTag(log, colors)}delivery ${text(log.event)} → ${text(log.url)}: ${result}${duration(log)}` +
    `${notes.length > 0 ? colors.yellow(` [${notes.join(', ')}]`) : ''} ${colors.gray(`${text(log.deliveryId)} (${text(log.requestId)})`)}`
  );
}

/** Any other record: its message, then `key=value` for each field. */
function genericLine(log: Log, messageKey: string, colors: Colorette): string {
  const fields = Object.entries(log)
    .filter(([key, value]) => !HIDDEN.has(key) && key !== messageKey && key !== 'err' && value !== undefined)
    .map(([key, value]) => colors.gray(`${key}=${text(value)}`));
  return [text(log[messageKey] ?? ''), ...fields].join(' ');
}

export const formatLogLine: PinoPretty.MessageFormatFunc = (log, messageKey, _levelLabel, { colors }) => {
  if (log[messageKey] === 'request' && typeof log.method === 'string') return requestLine(log, colors);
  if (log[messageKey] === 'delivery' && typeof log.outcome === 'string') return deliveryLine(log, colors);
  return genericLine(log, messageKey, colors);
};
