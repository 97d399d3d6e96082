/* global setInterval */
/**
 * The "Clock and retries" panel: the mock's clock (`GET /__admin/clock`: its time, frozen or running), the
 * retries waiting on it (`GET /__admin/schedule`, soonest first; a click shows the delivery that failed), and an
 * "Advance" box that moves it (`PUT /__admin/clock {advanceMs}`): the retries due on the way fire before the
 * answer, and their deliveries reach the traffic list through the event stream like any other.
 */
import { $, el } from './dom.js';
import { clockTime } from './attempts.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `15s`, `5m`, `1h30m`, `2d`, `250ms` or plain milliseconds, with an optional leading `-` — the forms the
 * `clock --advance` command reads; undefined for anything else.
 */
export function durationMs(text) {
  const trimmed = text.trim();
  const sign = trimmed.startsWith('-') ? -1 : 1;
  const rest = trimmed.replace(/^[-+]/, '');
  if (/^\d+$/.test(rest)) return sign * Number(rest);
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(rest)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of rest.matchAll(/(\d+(\.\d+)?)(ms|s|m|h|d)/g))
    total += Number(amount) * UNIT_MS[unit];
  return sign * Math.round(total);
}

/** `3725000` → `1h2m5s`. */
function shortDuration(ms) {
  let rest = Math.max(0, Math.round(ms));
  const parts = [];
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    const amount = Math.floor(rest / UNIT_MS[unit]);
    rest -= amount * UNIT_MS[unit];
    if (amount > 0) parts.push(`${amount}${unit}`);
  }
  return parts.length === 0 ? 'now' : `in ${parts.join('')}`;
}

/** The clock's time now: as read when frozen, else moved on by the time since it was read. */
function nowMs(panel) {
  const read = Date.parse(panel.clock.now);
  return panel.clock.frozen ? read : read + (Date.now() - panel.readAt);
}

function renderClock(panel) {
  const node = $('clock-now');
  if (panel.clock === undefined) return;
  const now = new Date(nowMs(panel)).toISOString();
  node.dataset.now = panel.clock.now;
  node.dataset.frozen = String(panel.clock.frozen);
  node.replaceChildren(
    el('span', { class: 'clock-time', title: now }, now.replace('T', ' ').replace(/\.\d+Z$/, 'Z')),
    el(
      'span',
      { class: `badge clock-state ${panel.clock.frozen ? 'frozen' : 'running'}` },
      panel.clock.frozen ? 'frozen' : 'running',
    ),
  );
}

/** `00:00:05.000 (in 3s)`: the due time, and how long until it on the mock's clock. */
function whenText(panel, dueAt) {
  return `${clockTime(dueAt)} (${shortDuration(Date.parse(dueAt) - nowMs(panel))})`;
}

/** One waiting retry; a click (or Enter) shows the delivery that failed. */
function retryItem(panel, retry, { vendorLabel, showDelivery }) {
  const show = () => showDelivery(retry.after, retry.vendor);
  return el(
    'li',
    {
      class: 'retry-item',
      tabindex: 0,
      title: `after the failed delivery ${retry.after}: click to show it`,
      dataset: { id: retry.id, after: retry.after, attempt: String(retry.attempt) },
      onclick: show,
      onkeydown: (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          show();
        }
      },
    },
    el('span', { class: 'retry-when', dataset: { due: retry.dueAt } }, whenText(panel, retry.dueAt)),
    el('span', { class: 'badge attempt' }, `attempt ${retry.attempt}`),
    el('span', { class: `vendor ${retry.vendor}` }, vendorLabel(retry.vendor)),
    el('span', { class: 'retry-what' }, `${retry.event} → ${retry.webhookId}`),
  );
}

function renderRetries(panel, deps) {
  $('retries').replaceChildren(
    ...(panel.retries.length === 0
      ? [el('li', { class: 'empty' }, 'No retry is waiting.')]
      : panel.retries.map((retry) => retryItem(panel, retry, deps))),
  );
  $('retries-count').textContent = `(${panel.retries.length})`;
}

function setStatus(text, kind) {
  const status = $('clock-status');
  status.textContent = text;
  status.dataset.kind = kind;
}

/** The "Advance" form's submit: moves the clock by the duration typed, then reads it and the schedule again. */
async function advance(event, { api, refresh }) {
  event.preventDefault();
  const input = $('clock-advance');
  const ms = durationMs(input.value);
  if (ms === undefined) {
    input.setAttribute('aria-invalid', 'true');
    setStatus('Not a duration: write 15s, 5m, 1h30m, 2d, 250ms or milliseconds.', 'invalid');
    return;
  }
  input.removeAttribute('aria-invalid');
  const form = $('clock-form');
  form.dataset.state = 'moving';
  setStatus('Moving…', 'moving');
  try {
    const moved = await api('/clock', { method: 'PUT', body: { advanceMs: ms } });
    const fired = moved.fired.length;
    setStatus(
      `Moved to ${clockTime(moved.now)}: ${fired === 0 ? 'no retry fell due' : `fired ${fired} ${fired === 1 ? 'retry' : 'retries'}`}.`,
      'moved',
    );
    form.dataset.fired = String(fired);
    await refresh();
  } catch (error) {
    setStatus(error.message, 'invalid');
  } finally {
    form.dataset.state = 'idle';
  }
}

/**
 * Builds the panel. `api` calls the admin API, `vendorLabel` names a vendor, `showDelivery(id, vendor)` selects
 * a delivery in the traffic list, `showError` reports a failed call.
 */
export function createClockPanel({ api, vendorLabel, showDelivery, showError }) {
  const panel = { clock: undefined, readAt: 0, retries: [], loading: undefined, again: false };

  async function load() {
    const [clock, schedule] = await Promise.all([api('/clock'), api('/schedule')]);
    panel.clock = clock;
    panel.readAt = Date.now();
    panel.retries = schedule.retries;
    renderClock(panel);
    renderRetries(panel, { vendorLabel, showDelivery });
  }

  /** Reads the clock and the schedule again; calls made while one is on its way run once more after it. */
  function refresh() {
    if (panel.loading !== undefined) {
      panel.again = true;
      return panel.loading;
    }
    panel.loading = (async () => {
      try {
        do {
          panel.again = false;
          await load();
        } while (panel.again);
      } catch (error) {
        showError(error);
      } finally {
        panel.loading = undefined;
      }
    })();
    return panel.loading;
  }

  $('clock-form').addEventListener('submit', (event) => advance(event, { api, refresh }));
  // a running clock's time moves on between reads: the time and the waits are updated in place
  setInterval(() => {
    if (panel.clock === undefined || panel.clock.frozen) return;
    renderClock(panel);
    for (const node of $('retries').querySelectorAll('.retry-when'))
      node.textContent = whenText(panel, node.dataset.due);
  }, 1000);

  return {
    refresh,
    clear() {
      setStatus('', 'idle');
    },
  };
}
