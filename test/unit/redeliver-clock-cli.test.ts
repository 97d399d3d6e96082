/**
 * The `redeliver` and `clock` commands' own logic: reading durations, judging a delivery the admin API shows
 * (the exit code), and printing a redelivery, fired and waiting retries.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { formatClock, judgeMove } from '../../src/events-cli/clock-command.js';
import type { ClockReport, FiredRetry } from '../../src/events-cli/clock-remote.js';
import {
  burstText,
  deliveryBlock,
  isDeliveryView,
  viewProblem,
} from '../../src/events-cli/delivery-report.js';
import type { DeliveryView } from '../../src/events-cli/delivery-report.js';
import { durationMs, formatDuration, parseDuration, parseMoment } from '../../src/events-cli/duration.js';
import { formatRedelivery } from '../../src/events-cli/redeliver-command.js';

const MOCK = 'http://127.0.0.1:4010';

const view = (overrides: Partial<DeliveryView> = {}): DeliveryView => ({
  id: 'dlv_2',
  vendor: 'superoffice',
  webhookId: '7',
  event: 'sale.sold',
  attempt: 2,
  eventIds: ['ev-1'],
  startedAt: '2026-01-01T00:00:01.000Z',
  request: { url: 'http://127.0.0.1:3000/so' },
  response: { status: 200 },
  error: null,
  ...overrides,
});

const fired = (delivery: DeliveryView | null, attempt = 2): FiredRetry => ({
  id: `rty_${attempt}`,
  vendor: 'superoffice',
  webhookId: '7',
  event: 'sale.sold',
  eventId: 'ev-1',
  attempt,
  dueAt: '2026-01-01T00:00:01.000Z',
  after: 'dlv_1',
  delivery,
});

describe('durations for --advance (and the inspector’s Advance box)', () => {
  it('reads units, compounds, plain milliseconds and a sign', () => {
    assert.equal(durationMs('15s'), 15_000);
    assert.equal(durationMs('5m'), 300_000);
    assert.equal(durationMs('1h30m'), 5_400_000);
    assert.equal(durationMs('2d'), 172_800_000);
    assert.equal(durationMs('250ms'), 250);
    assert.equal(durationMs('1.5s'), 1500);
    assert.equal(durationMs(' 1500 '), 1500);
    assert.equal(durationMs('-5m'), -300_000);
  });

  it('refuses what is no duration, and moves beyond about 100 years', () => {
    for (const text of ['', '5x', 'm', '5 m', '1.5', 'soon', '5m-'])
      assert.equal(durationMs(text), undefined, JSON.stringify(text));
    assert.throws(() => parseDuration('5x'), InvalidArgumentError);
    assert.throws(() => parseDuration('40000d'), /at most about 100 years/);
    assert.equal(parseDuration('15m'), 900_000);
    assert.throws(() => parseMoment('tomorrow'), /ISO 8601/);
    assert.equal(parseMoment('2026-03-01T09:00:00Z'), '2026-03-01T09:00:00Z');
  });

  it('prints durations in the same units', () => {
    assert.equal(formatDuration(3_725_000), '1h2m5s');
    assert.equal(formatDuration(1500), '1s500ms');
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(-60_000), '-1m');
    assert.equal(durationMs(formatDuration(93_784_005)), 93_784_005);
  });
});

describe('a delivery the admin API shows', () => {
  it('is recognised by its fields', () => {
    assert.ok(isDeliveryView(view()));
    assert.equal(isDeliveryView({ ...view(), attempt: '2' }), false);
    assert.equal(isDeliveryView({ id: 'dlv_1' }), false);
    assert.equal(isDeliveryView(null), false);
  });

  it('went wrong when not answered 2xx or refused by the vendor, unless a negative delivery was refused', () => {
    assert.equal(viewProblem(view()), undefined);
    assert.equal(viewProblem(view({ response: { status: 503 } })), 'answered 503');
    assert.equal(
      viewProblem(view({ response: null, error: { kind: 'timeout', message: 'no answer in 10 s' } })),
      'timeout: no answer in 10 s',
    );
    const refused = { valid: false, kind: 'invalid-response', description: 'invalid response: empty' };
    assert.equal(viewProblem(view({ verdict: refused })), 'invalid response: empty');
    assert.equal(viewProblem(view({ negative: 'tampered-body', response: { status: 401 } })), undefined);
    assert.equal(
      viewProblem(view({ negative: 'tampered-body', response: { status: 200 } })),
      'accepted it (200)',
    );
  });

  it('shows which attempt it is, what follows it and where it stands in a burst', () => {
    const waiting = deliveryBlock(view({ retry: { nextAttemptAt: '2026-01-01T00:00:05.000Z' } }), MOCK);
    assert.deepEqual(waiting, [
      '7: delivered to http://127.0.0.1:3000/so',
      '  event     superoffice sale.sold',
      '  attempt   2',
      '  event id  ev-1',
      '  receiver  200',
      '  retry     at 2026-01-01T00:00:05.000Z',
      '  delivery  dlv_2',
      `  body      GET ${MOCK}/__admin/deliveries/dlv_2 (or the inspector)`,
    ]);
    const stopped = deliveryBlock(view({ retry: { stopped: 'TooManyErrors' }, redeliveryOf: 'dlv_1' }), MOCK);
    assert.ok(stopped.includes('  retry     none: TooManyErrors'));
    assert.ok(stopped.includes('  attempt   2, a redelivery of dlv_1'));
    assert.equal(
      burstText({ triggerId: 'trg_1', event: 3, position: 5, duplicate: true }),
      'event 3 of trg_1, sent at position 5 (duplicate)',
    );
    assert.equal(
      burstText({ triggerId: 'trg_1', event: 0, position: 0 }),
      'event 0 of trg_1, sent at position 0',
    );
  });
});

describe('the redeliver command’s report', () => {
  it('names the delivery sent again, and the event when an event id chose it', () => {
    const resent = view({ id: 'dlv_1', attempt: 1 });
    const sent = view({ id: 'dlv_3', attempt: 3, redeliveryOf: 'dlv_1' });
    const byId = formatRedelivery('dlv_1', { resent, answer: { delivery: sent } }, sent, MOCK);
    assert.ok(byId.ok);
    assert.match(
      byId.text,
      /^redeliver dlv_1: superoffice sale\.sold, the same event and ids signed afresh\n/,
    );
    assert.match(byId.text, /\nOK: 7 answered 200\.\n$/);
    const byEvent = formatRedelivery('ev-1', { resent, answer: { delivery: sent } }, sent, MOCK);
    assert.match(byEvent.text, /^redeliver dlv_1 \(the latest delivery of event ev-1\): /);
  });

  it('fails when the receiver does not answer 2xx, and says a refused negative delivery is right', () => {
    const resent = view({ id: 'dlv_1' });
    const failed = view({ id: 'dlv_3', response: { status: 500 } });
    const report = formatRedelivery('dlv_1', { resent, answer: { delivery: failed } }, failed, MOCK);
    assert.equal(report.ok, false);
    assert.match(report.text, /\nFAILED: 7 answered 500\.\n$/);
    const negative = view({ id: 'dlv_4', negative: 'wrong-secret', response: { status: 401 } });
    const refused = formatRedelivery('dlv_1', { resent, answer: { delivery: negative } }, negative, MOCK);
    assert.ok(refused.ok);
    assert.match(refused.text, /\nOK: 7 answered 401: a refusal, as a negative delivery should get\.\n$/);
  });
});

describe('the clock command’s report', () => {
  const report = (overrides: Partial<ClockReport> = {}): ClockReport => ({
    now: '2026-01-01T00:00:02.000Z',
    frozen: true,
    fired: [],
    retries: [],
    ...overrides,
  });

  it('judges a move by the deliveries of the retries it fired', () => {
    assert.deepEqual(judgeMove([]), { ok: true, summary: 'OK: no retry fell due.' });
    assert.deepEqual(judgeMove([fired(view())]), {
      ok: true,
      summary: 'OK: 1 retry fired; each was answered as it should.',
    });
    assert.deepEqual(judgeMove([fired(view()), fired(null, 3)]), {
      ok: true,
      summary: 'OK: 2 retries fired; 1 made (1 not); each made was answered as it should.',
    });
    assert.deepEqual(judgeMove([fired(view({ response: { status: 500 } }))]), {
      ok: false,
      summary: 'FAILED: 7 answered 500 (attempt 2).',
    });
  });

  it('prints the clock and the waiting retries, with how long until each', () => {
    const waiting = { ...fired(null, 3), dueAt: '2026-01-01T00:00:05.000Z', after: 'dlv_2' };
    const { delivery: _none, ...retry } = waiting;
    const text = formatClock(report({ retries: [retry] }), MOCK);
    assert.equal(
      text,
      'clock 2026-01-01T00:00:02.000Z, frozen\n\nwaiting 1 retry:\n' +
        '  2026-01-01T00:00:05.000Z (in 3s)  attempt 3  superoffice sale.sold → 7  (event ev-1, after dlv_2)\n',
    );
    assert.equal(
      formatClock(report({ frozen: false }), MOCK),
      'clock 2026-01-01T00:00:02.000Z, running\n\nno retry is waiting\n',
    );
  });

  it('prints a move: where from, each fired retry’s delivery (or that it was not made) and the verdict', () => {
    const text = formatClock(
      report({ movedFrom: '2026-01-01T00:00:00.000Z', fired: [fired(view()), fired(null, 3)] }),
      MOCK,
    );
    assert.match(
      text,
      /^clock 2026-01-01T00:00:02\.000Z, frozen \(moved from 2026-01-01T00:00:00\.000Z\)\n\nfired 2 retries:\n\n7: delivered to /,
    );
    assert.match(text, /\n7: attempt 3 of superoffice sale\.sold was not made: /);
    assert.match(text, /\nno retry is waiting\n\nOK: 2 retries fired; 1 made \(1 not\)/);
    assert.match(formatClock(report({ movedFrom: '2026-01-01T00:00:00.000Z' }), MOCK), /\nfired no retry\n/);
  });
});
