/**
 * A delivery's place in its event's story, as the admin API's delivery view tells it: which attempt it was
 * (`attempt`), what follows it (`retry`: the next attempt's time on the mock's clock, or why there is none), the
 * delivery it sent again (`redeliveryOf`) and its place in a triggered burst (`burst`, numbered from 0 as the
 * trigger's `burst.sent` is). Badges for the traffic list, facts for the detail, and the list of every attempt.
 */
import { el } from './dom.js';

/** `2026-01-01T00:00:05.000Z` → `00:00:05.000` (UTC, as the traffic list shows times). */
export function clockTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toISOString().slice(11, 23);
}

/** `retry at 00:00:05.000`, or `no retry: <why>`; null when nothing was decided (a success, a redelivery). */
export function retryLabel(retry) {
  if (retry === undefined || retry === null) return null;
  if (typeof retry.nextAttemptAt === 'string') return `retry at ${clockTime(retry.nextAttemptAt)}`;
  return `no retry: ${retry.stopped}`;
}

/** `burst event 3, sent at position 5 (duplicate)`. */
export function burstLabel(burst) {
  if (burst === undefined || burst === null) return null;
  return `burst event ${burst.event}, sent at position ${burst.position}${burst.duplicate ? ' (duplicate)' : ''}`;
}

/** The attempt is worth a badge once the event has more than one: a retry waits, or this is a later one. */
function attemptBadge(data) {
  if (!(data.attempt > 1 || data.retry !== undefined)) return null;
  return el(
    'span',
    { class: 'badge attempt', title: 'which attempt of the event this was' },
    `attempt ${data.attempt}`,
  );
}

/** The list's badges: attempt, what follows it, redelivery, burst. */
export function attemptBadges(data) {
  const retry = retryLabel(data.retry);
  const burst = burstLabel(data.burst);
  return [
    attemptBadge(data),
    retry === null
      ? null
      : el(
          'span',
          {
            class: `badge retry ${data.retry.nextAttemptAt ? 'waiting' : 'stopped'}`,
            title: data.retry.nextAttemptAt ?? data.retry.stopped,
          },
          retry,
        ),
    data.redeliveryOf
      ? el(
          'span',
          { class: 'badge redelivery', title: 'sent again: the same event and ids, signed afresh' },
          `redelivery of ${data.redeliveryOf}`,
        )
      : null,
    burst === null
      ? null
      : el(
          'span',
          { class: `badge burst${data.burst.duplicate ? ' duplicate' : ''}`, title: data.burst.triggerId },
          burst,
        ),
  ];
}

/** The detail's facts (name, value pairs; empty values are left out). */
export function attemptFacts(data) {
  const retry = data.retry;
  return [
    ['attempt', data.attempt === undefined ? undefined : String(data.attempt)],
    ['event ids', (data.eventIds ?? []).join(', ')],
    ['next attempt', retry?.nextAttemptAt === undefined ? undefined : `retry at ${retry.nextAttemptAt}`],
    ['no retry', retry?.stopped],
    ['redelivery of', data.redeliveryOf],
    ['burst', burstLabel(data.burst) ?? undefined],
  ];
}

function attemptStatus(data) {
  return data.response?.status ?? data.error?.kind ?? '';
}

/**
 * Every attempt of the event (`GET /__admin/deliveries/{id}` → `deliveries`), oldest first, the shown one
 * marked; a click on another selects it.
 */
export function attemptsList(attempts, shownId, select) {
  if (attempts === undefined || attempts.length < 2) return null;
  return el(
    'section',
    { class: 'attempts' },
    el('h4', {}, `Attempts of this event (${attempts.length})`),
    el(
      'ol',
      {},
      attempts.map((attempt) =>
        el(
          'li',
          { class: attempt.id === shownId ? 'current' : '', dataset: { id: attempt.id } },
          el(
            'button',
            {
              type: 'button',
              class: 'link',
              disabled: attempt.id === shownId,
              onclick: () => select(attempt),
            },
            `attempt ${attempt.attempt}`,
          ),
          ` ${clockTime(attempt.startedAt)} → ${attemptStatus(attempt)}`,
          attempt.redeliveryOf ? ' (redelivery)' : '',
          attempt.retry ? ` · ${retryLabel(attempt.retry)}` : '',
        ),
      ),
    ),
  );
}
