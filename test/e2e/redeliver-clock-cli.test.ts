/**
 * `vendor-webhook-mock clock` and `vendor-webhook-mock redeliver` as real processes (the built CLI) against a
 * real seeded mock process (its clock frozen: retries fire only when the clock is moved) and a real receiver
 * that fails and then recovers: the waiting retries, a move that fires them (each delivery checked as the
 * receiver checks it), a resend by delivery id and by event id, and the refusals (exit 2).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TriggerResult } from '../../src/core/event-catalogue.js';
import type { ClockReport } from '../../src/events-cli/clock-remote.js';
import type { DeliveryView } from '../../src/events-cli/delivery-report.js';
import { fixturesCopy, runCli, startMockProcess } from '../support/process.js';
import type { MockProcess } from '../support/process.js';
import { refusedUrl, startReceiver } from '../support/receiver.js';
import type { Behaviour, ReceivedRequest, Receiver } from '../support/receiver.js';
import { superOfficeSignatureValid, verifyC1Delivery } from '../support/signatures.js';

const SO_HOOK = '71';
const SO_SECRET = 'clock e2e secret';
const C1_HOOK = '2bWkJ8Qv3nYc5hT0dLx9ZfCLK01';

const failing = (times: number): Behaviour => ({
  kind: 'sequence',
  steps: Array.from({ length: times }, () => ({ kind: 'answer', status: 500, body: 'not now' }) as const),
  then: { kind: 'answer', status: 200, body: '{"version":"v1"}' },
});

describe('the clock and redeliver commands against a seeded mock', () => {
  let receiver: Receiver;
  let mock: MockProcess;

  const cli = (...args: string[]) => runCli([...args, '--mock', mock.url]);

  /** Triggers an event at one webhook through the admin API; the id of its (failed) first delivery. */
  async function trigger(vendor: string, event: string, webhookId: string): Promise<string> {
    const res = await fetch(`${mock.url}/__admin/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ vendor, event, webhookId }),
    });
    assert.equal(res.status, 200);
    const result = (await res.json()) as TriggerResult;
    return result.deliveries[0]!.deliveryId!;
  }

  const eventIdOf = (request: ReceivedRequest): string => request.headers['x-superoffice-eventid']!;

  before(async () => {
    receiver = await startReceiver();
    const fixtures = await fixturesCopy({
      c1: (text) => `${text}  - id: ${C1_HOOK}\n    displayName: e2e clock\n    url: '${receiver.url}/c1'\n`,
      superoffice: (text) =>
        `${text}  - webhookId: ${SO_HOOK}\n    name: e2e clock\n    events: [sale.sold]\n` +
        `    targetUrl: '${receiver.url}/so'\n    secret: ${SO_SECRET}\n    state: Active\n    type: webhook\n`,
    });
    mock = await startMockProcess(['--port', '0', '--fixtures', fixtures, '--seed', 'e2e-clock']);
  });

  after(async () => {
    await mock.stop();
    await receiver.close();
  });

  it('shows the frozen clock and the SuperOffice retry waiting after a failed delivery (exit 0)', async () => {
    receiver.behave(failing(2));
    const first = await trigger('superoffice', 'sale.sold', SO_HOOK);
    const run = await cli('clock');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const eventId = eventIdOf(receiver.received[0]!);
    assert.equal(
      run.stdout,
      'clock 2026-01-01T00:00:00.000Z, frozen\n\nwaiting 1 retry:\n' +
        `  2026-01-01T00:00:01.000Z (in 1s)  attempt 2  superoffice sale.sold → ${SO_HOOK}  ` +
        `(event ${eventId}, after ${first})\n`,
    );
  });

  it('fires the retry on --advance, shows its delivery, and exits 1 while the receiver still fails', async () => {
    const run = await cli('clock', '--advance', '2s');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(receiver.received.length, 2);
    const [first, second] = receiver.received;
    assert.equal(eventIdOf(second!), eventIdOf(first!), 'the same EventId');
    assert.equal(second!.headers['x-superoffice-retry'], '1');
    assert.ok(superOfficeSignatureValid(SO_SECRET, second!.headers, second!.rawBody));
    assert.match(
      run.stdout,
      /^clock 2026-01-01T00:00:02\.000Z, frozen \(moved from 2026-01-01T00:00:00\.000Z\)$/m,
    );
    assert.match(run.stdout, /^fired 1 retry:$/m);
    assert.match(run.stdout, new RegExp(`^${SO_HOOK}: delivered to ${receiver.url}/so$`, 'm'));
    assert.match(run.stdout, /^ {2}attempt {3}2$/m);
    assert.match(run.stdout, /^ {2}receiver {2}500$/m);
    assert.match(run.stdout, /^ {2}retry {5}at 2026-01-01T00:00:05\.000Z$/m);
    assert.match(run.stdout, /^ {2}2026-01-01T00:00:05\.000Z \(in 3s\) {2}attempt 3 /m);
    assert.match(run.stdout, new RegExp(`^FAILED: ${SO_HOOK} answered 500 \\(attempt 2\\)\\.$`, 'm'));
  });

  it('fires the next one once the receiver recovers (exit 0), and prints the move as JSON with --json', async () => {
    const run = await cli('clock', '--advance', '1m', '--json');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = JSON.parse(run.stdout) as ClockReport;
    assert.equal(report.now, '2026-01-01T00:01:02.000Z');
    assert.equal(report.movedFrom, '2026-01-01T00:00:02.000Z');
    assert.deepEqual(
      report.fired.map((retry) => [retry.attempt, retry.dueAt, retry.delivery?.response?.status]),
      [[3, '2026-01-01T00:00:05.000Z', 200]],
    );
    assert.deepEqual(report.retries, []);
    const third = receiver.received[2]!;
    assert.equal(third.headers['x-superoffice-retry'], '2');
    assert.ok(superOfficeSignatureValid(SO_SECRET, third.headers, third.rawBody));
    assert.equal(report.fired[0]!.delivery?.request.url, `${receiver.url}/so`);
  });

  it("resends an event id's latest delivery with the same EventId and a fresh signature (exit 0)", async () => {
    const before = receiver.received.length;
    const eventId = eventIdOf(receiver.received[0]!);
    const latest = (await (await fetch(`${mock.url}/__admin/deliveries/${eventId}`)).json()) as {
      delivery: DeliveryView;
    };
    const run = await cli('redeliver', eventId);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(receiver.received.length, before + 1);
    const resent = receiver.received[before]!;
    assert.equal(eventIdOf(resent), eventId);
    assert.ok(superOfficeSignatureValid(SO_SECRET, resent.headers, resent.rawBody));
    assert.match(
      run.stdout,
      new RegExp(
        `^redeliver ${latest.delivery.id} \\(the latest delivery of event ${eventId}\\): superoffice sale\\.sold`,
      ),
    );
    assert.match(run.stdout, new RegExp(`^ {2}attempt {3}4, a redelivery of ${latest.delivery.id}$`, 'm'));
    assert.match(run.stdout, new RegExp(`^OK: ${SO_HOOK} answered 200\\.$`, 'm'));
  });

  it('resends a C1 delivery by its id with a new JWT that verifies, printing the admin API’s answer with --json', async () => {
    receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
    const first = await trigger('c1', 'c1.webhooks.v1.PayloadTest', C1_HOOK);
    const before = receiver.received.length;
    const run = await cli('redeliver', first, '--json');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const { delivery } = JSON.parse(run.stdout) as { delivery: DeliveryView };
    assert.equal(delivery.redeliveryOf, first);
    assert.equal(delivery.attempt, 2);
    const [original, resent] = receiver.received.slice(before - 1);
    assert.equal(resent!.headers['webhook-id'], original!.headers['webhook-id']);
    assert.notEqual(resent!.headers.authorization, original!.headers.authorization);
    await verifyC1Delivery(`${mock.url}/c1/auth/v1/jwks`, resent!.headers, resent!.rawBody, {
      audience: '127.0.0.1',
      issuer: new URL(mock.url).host,
      url: `${receiver.url}/c1`,
      at: new Date(delivery.startedAt),
    });
  });

  it('exits 1 when the resent delivery is not answered 2xx', async () => {
    receiver.behave({ kind: 'answer', status: 503, body: 'down' });
    const { deliveries } = (await (
      await fetch(`${mock.url}/__admin/deliveries?webhookId=${SO_HOOK}&limit=1`)
    ).json()) as {
      deliveries: DeliveryView[];
    };
    const run = await cli('redeliver', deliveries[0]!.id);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`^FAILED: ${SO_HOOK} answered 503\\.$`, 'm'));
    // a redelivery is one attempt: nothing waits after it
    assert.deepEqual((JSON.parse((await cli('clock', '--json')).stdout) as ClockReport).retries, []);
  });

  it('moves the clock to a moment with --set', async () => {
    const run = await cli('clock', '--set', '2026-02-01T00:00:00Z');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /^clock 2026-02-01T00:00:00\.000Z, frozen \(moved from 2026-01-01T00:01:02\.000Z\)$/m,
    );
    assert.match(run.stdout, /^OK: no retry fell due\.$/m);
  });

  it('refuses an unknown id, a bad duration and two moves at once with exit 2 and one line', async () => {
    const unknown = await cli('redeliver', 'dlv_nope');
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, '');
    assert.equal(
      unknown.stderr,
      'vendor-webhook-mock: nothing to send again: no delivery or event "dlv_nope" in the journal\n',
    );
    const bad = await cli('clock', '--advance', 'soon');
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /^vendor-webhook-mock: option '--advance <duration>' argument 'soon' is invalid\./,
    );
    const both = await cli('clock', '--advance', '5s', '--set', '2026-01-01T00:00:00Z');
    assert.equal(both.code, 2);
    assert.match(both.stderr, /cannot be used with option '--set <date-time>'/);
    for (const run of [bad, both]) assert.equal(run.stderr.split('\n').length, 2, run.stderr);
  });

  it('says when no mock answers at --mock (exit 2)', async () => {
    const nowhere = new URL(await refusedUrl()).origin;
    for (const args of [['clock'], ['redeliver', 'dlv_1']]) {
      const run = await runCli([...args, '--mock', nowhere]);
      assert.equal(run.code, 2);
      assert.match(
        run.stderr,
        new RegExp(`^vendor-webhook-mock: no mock answers at ${nowhere} \\(ECONNREFUSED\\)`),
      );
    }
  });
});

describe('the clock and redeliver commands with an admin token', () => {
  let mock: MockProcess;
  before(async () => {
    mock = await startMockProcess(['--port', '0', '--admin-token', 'clock-token', '--seed', 'e2e-token']);
  });
  after(() => mock.stop());

  it('need --admin-token when the mock has one, and work with it', async () => {
    const without = await runCli(['clock', '--advance', '5m', '--mock', mock.url]);
    assert.equal(without.code, 2);
    assert.match(without.stderr, /wants its token: pass --admin-token/);
    const moved = await runCli([
      'clock',
      '--advance',
      '5m',
      '--mock',
      mock.url,
      '--admin-token',
      'clock-token',
    ]);
    assert.equal(moved.code, 0, moved.stdout + moved.stderr);
    assert.match(moved.stdout, /^clock 2026-01-01T00:05:00\.000Z, frozen/);
    const unknown = await runCli(['redeliver', 'dlv_x', '--mock', mock.url, '--admin-token', 'clock-token']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no delivery or event "dlv_x"/);
  });
});
