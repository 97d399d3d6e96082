/**
 * How far to move the mock's clock, as people write it: `15s`, `5m`, `1h30m`, `2d`, `250ms`, or a plain number
 * of milliseconds; a leading `-` moves it back. The inspector's "Advance" box reads the same forms.
 */
import { InvalidArgumentError } from 'commander';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The longest move the admin API takes (about 100 years): `PUT /__admin/clock` refuses more. */
export const MAX_MOVE_MS = 100 * 366 * 86_400_000;

/** Milliseconds, or undefined when the text is not a duration. */
export function durationMs(text: string): number | undefined {
  const trimmed = text.trim();
  const sign = trimmed.startsWith('-') ? -1 : 1;
  const rest = trimmed.replace(/^[-+]/, '');
  if (/^\d+$/.test(rest)) return sign * Number(rest);
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(rest)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of rest.matchAll(/(\d+(\.\d+)?)(ms|s|m|h|d)/g))
    total += Number(amount) * UNIT_MS[unit!]!;
  return sign * Math.round(total);
}

/** For commander: `--advance 15m` → 900000; a usage error for anything else. */
export function parseDuration(text: string): number {
  const ms = durationMs(text);
  if (ms === undefined)
    throw new InvalidArgumentError('must be a duration: 15s, 5m, 1h30m, 2d, 250ms or milliseconds (1500)');
  if (Math.abs(ms) > MAX_MOVE_MS)
    throw new InvalidArgumentError('moves the clock by at most about 100 years');
  return ms;
}

/** For commander: `--set 2026-03-01T09:00:00Z`, kept as written; a usage error when it is no date-time. */
export function parseMoment(text: string): string {
  if (Number.isNaN(Date.parse(text)))
    throw new InvalidArgumentError('must be an ISO 8601 date-time, e.g. 2026-03-01T09:00:00Z');
  return text;
}

/** `3725000` → `1h2m5s`, `1500` → `1s500ms`, `0` → `0s`; a negative duration gets a leading `-`. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms));
  const parts: string[] = [];
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = UNIT_MS[unit]!;
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0) parts.push(`${amount}${unit}`);
  }
  return parts.length === 0 ? '0s' : `${sign}${parts.join('')}`;
}
