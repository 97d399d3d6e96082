/**
 * The vendors' retry engines on the mock's clock: C1 (3–15 s apart, up to 50 attempts, 410 and the callback
 * timeout stop it), SuperOffice (+1 s, +4 s, the same EventId, X-Superoffice-Retry, TooManyErrors after 9
 * failed attempts) and Shodai (the mock's schedule, `retry_pending`). Real receivers; the clock is walked with
 * `PUT /__admin/clock` and `mock.clock.advance`; seeded runs repeat the whole history.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import type { MockServer } from '../../src/server/index.js';
import type { DeliveryRecord } from '../../src/core/journal.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';
import { shodaiSignatureValid, superOfficeSignatureValid } from '../support/signatures.js';

const C1_HOOK = '2retryRetryRetryRetryRetry1';
const C1_SHORT = '2retryRetryRetryRetryRetry2';
const SO_HOOK = 301;
const SO_WATCHER = 302;
const SO_SECRET = 'retry-secret';
const SHODAI_HOOK = 'wh_retry_1';
const SHODAI_SECRET = `whsec_${'ab'.repeat(32)}`;

let receiver: Receiver;
let watcher: Receiver;

before(async () => {
  receiver = await startReceiver();
  watcher = await startReceiver();
});
after(async () => {
  await receiver.close();
  await watcher.close();
});

/** A seeded mock (frozen clock: retries fire only when the clock is moved) with one webhook per vendor. */
function startSeeded(seed = 'retries', publicUrl?: string): Promise<MockServer> {
  return startTestServer(
    {
      webhooks: {
        c1: [
          { id: C1_HOOK, displayName: 'retries', url: `${receiver.url}/c1`, callbackTimeout: '691200s' },
          { id: C1_SHORT, displayName: 'short', url: `${receiver.url}/c1-short`, callbackTimeout: '30s' },
        ],
        superoffice: [
          {
            webhookId: SO_HOOK,
            name: 'retries',
            events: ['sale.sold'],
            targetUrl: `${receiver.url}/so`,
            secret: SO_SECRET,
            state: 'Active',
            type: 'webhook',
          },
          {
            webhookId: SO_WATCHER,
            name: 'watcher',
            events: [`webhook${SO_HOOK}.errors`],
            targetUrl: `${watcher.url}/so-watch`,
            secret: SO_SECRET,
            state: 'Active',
            type: 'webhook',
          },
        ],
        shodai: [
          {
            id: SHODAI_HOOK,
            principalId: 'prn_demo_alice',
            url: `${receiver.url}/shodai`,
            secret: SHODAI_SECRET,
          },
        ],
      },
    },
    { seed, retries: true, ...(publicUrl === undefined ? {} : { publicUrl }) },
  );
}

function fresh(): void {
  receiver.received.length = 0;
  watcher.received.length = 0;
  receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
}

const failing = (times: number, status = 500) =>
  ({
    kind: 'sequence',
    steps: Array.from({ length: times }, () => ({ kind: 'answer', status, body: 'not now' }) as const),
    then: { kind: 'answer', status: 200, body: '{"version":"v1"}' },
  }) as const;

/** What the admin routes used here answer (each test reads the part its route returns). */
interface AdminAnswer {
  fired: { attempt: number; after: string; deliveryId?: string }[];
  retries: { vendor: string; attempt: number }[];
  instances: {
    instance: { id: string; state: string; attempts: number; lastAttemptedAt: string; completedAt?: string };
  }[];
  delivery: { attempt: number; redeliveryOf?: string; retry: { stopped: string } };
  deliveries: unknown[];
}

async function admin(
  mock: MockServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json(): Promise<AdminAnswer> }> {
  const res = await fetch(`${mock.url}/__admin${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: async () => (await res.json()) as AdminAnswer };
}

function instanceOf(answer: AdminAnswer, id: string): AdminAnswer['instances'][number]['instance'] {
  const found = answer.instances.find((entry) => entry.instance.id === id);
  assert.ok(found, `instance ${id} is listed`);
  return found.instance;
}

const gapsOf = (records: DeliveryRecord[]): number[] =>
  records
    .slice(1)
    .map((record, index) => record.outcome.startedAt.getTime() - records[index]!.outcome.startedAt.getTime());

describe('C1 retries', () => {
  let mock: MockServer;
  before(async () => {
    mock = await startSeeded();
  });
  after(() => mock.close());

  it('retries a failed event 3–15 s apart with the same Webhook-Id and a new JWT, until the receiver answers 2xx', async () => {
    fresh();
    receiver.behave(failing(3));
    const triggered = await mock.trigger({
      vendor: 'c1',
      event: 'c1.webhooks.v1.PayloadTest',
      webhookId: C1_HOOK,
    });
    assert.equal(triggered.deliveries[0]!.result?.status, 500);
    const [waiting] = mock.schedule();
    assert.equal(waiting?.attempt, 2);

    const moved = await (await admin(mock, 'PUT', '/clock', { advanceMs: 60_000 })).json();
    assert.deepEqual(
      moved.fired.map((retry) => retry.attempt),
      [2, 3, 4],
    );
    assert.equal(receiver.received.length, 4);
    const ids = new Set(receiver.received.map((request) => request.headers['webhook-id']));
    assert.equal(ids.size, 1);
    const tokens = receiver.received.map((request) => decodeJwt(request.headers.authorization!.slice(7)));
    assert.equal(new Set(tokens.map((token) => token.jti)).size, 4, 'each attempt has its own jti');

    const attempts = mock.deliveries.list({ eventId: [...ids][0]! });
    assert.deepEqual(
      attempts.map((record) => record.attempt),
      [1, 2, 3, 4],
    );
    // the move names the delivery each fired retry made, and what it followed
    assert.deepEqual(
      moved.fired.map((retry) => [retry.after, retry.deliveryId]),
      attempts.slice(1).map((record, index) => [attempts[index]!.id, record.id]),
    );
    for (const gap of gapsOf(attempts)) assert.ok(gap >= 3_000 && gap <= 15_000, `${gap} ms apart`);
    // each JWT's iat is its attempt's time, and each verifies against the served JWKS at that time
    const jwks = createLocalJWKSet(
      (await (await fetch(`${mock.urls.c1}/auth/v1/jwks`)).json()) as JSONWebKeySet,
    );
    for (const [index, request] of receiver.received.entries()) {
      const at = attempts[index]!.outcome.startedAt;
      assert.equal(tokens[index]!.iat, Math.floor(at.getTime() / 1000));
      await jwtVerify(request.headers.authorization!.slice(7), jwks, { currentDate: at });
    }
    const instance = instanceOf(
      await (await admin(mock, 'GET', '/instances?vendor=c1')).json(),
      [...ids][0]!,
    );
    assert.equal(instance.state, 'WEBHOOK_STATE_SUCCESS');
    assert.equal(instance.attempts, 4);
    assert.equal(instance.lastAttemptedAt, attempts[3]!.outcome.startedAt.toISOString());
    assert.deepEqual(mock.schedule(), []);
  });

  it('stops at once when the receiver answers 410 Gone, and fails the instance', async () => {
    fresh();
    receiver.behave({ kind: 'answer', status: 410, body: '' });
    const triggered = await mock.trigger({
      vendor: 'c1',
      event: 'c1.webhooks.v1.PayloadTest',
      webhookId: C1_HOOK,
    });
    assert.deepEqual(mock.schedule(), []);
    const [record] = mock.deliveries.list({ eventId: receiver.received[0]!.headers['webhook-id']! });
    assert.deepEqual(record?.retry, { stopped: 'the receiver answered 410 Gone: C1 stops at once' });
    assert.equal(triggered.deliveries[0]!.result?.status, 410);
    await mock.clock.advance(3_600_000);
    assert.equal(receiver.received.length, 1);
  });

  it('walks all 50 attempts with the clock, then gives up and records FATAL_ERROR', async () => {
    fresh();
    receiver.behave({ kind: 'answer', status: 503, body: 'down' });
    await mock.trigger({ vendor: 'c1', event: 'c1.webhooks.v1.PayloadTest', webhookId: C1_HOOK });
    const fired = await mock.clock.advance(50 * 15_000);
    assert.equal(fired.length, 49);
    assert.equal(receiver.received.length, 50);
    const eventId = receiver.received[0]!.headers['webhook-id']!;
    const attempts = mock.deliveries.list({ eventId });
    assert.equal(attempts.length, 50);
    assert.deepEqual(attempts.at(-1)!.retry, { stopped: 'C1 makes at most 50 attempts' });
    const instance = instanceOf(await (await admin(mock, 'GET', '/instances?vendor=c1')).json(), eventId);
    assert.equal(instance.state, 'WEBHOOK_STATE_FATAL_ERROR');
    assert.equal(instance.attempts, 50);
    assert.ok(instance.completedAt);
  });

  it("stops early when the webhook's callback timeout would elapse before the next attempt", async () => {
    fresh();
    receiver.behave({ kind: 'answer', status: 500, body: '' });
    await mock.trigger({ vendor: 'c1', event: 'c1.webhooks.v1.PayloadTest', webhookId: C1_SHORT });
    await mock.clock.advance(60_000);
    const attempts = mock.deliveries.list({ eventId: receiver.received[0]!.headers['webhook-id']! });
    const last = attempts.at(-1)!;
    assert.ok(attempts.length >= 2 && attempts.length <= 10, `${attempts.length} attempts in 30 s`);
    assert.deepEqual(last.retry, {
      stopped: "the webhook's callback timeout elapses before the next attempt",
    });
    assert.ok(last.outcome.startedAt.getTime() - attempts[0]!.outcome.startedAt.getTime() < 30_000);
  });

  it('lists waiting retries in GET /__admin/schedule and forgets them on reset', async () => {
    fresh();
    receiver.behave({ kind: 'answer', status: 500, body: '' });
    await mock.trigger({ vendor: 'c1', event: 'c1.webhooks.v1.PayloadTest', webhookId: C1_HOOK });
    const schedule = await (await admin(mock, 'GET', '/schedule')).json();
    assert.equal(schedule.retries.length, 1);
    assert.equal(schedule.retries[0]!.vendor, 'c1');
    assert.equal(schedule.retries[0]!.attempt, 2);
    await mock.reset();
    assert.deepEqual(mock.schedule(), []);
    await mock.clock.advance(60_000);
    assert.equal(receiver.received.length, 1);
  });
});

describe('SuperOffice retries', () => {
  let mock: MockServer;
  before(async () => {
    mock = await startSeeded();
  });
  after(() => mock.close());

  it('tries an event three times, +1 s and +4 s, with the same EventId and X-Superoffice-Retry 0, 1, 2', async () => {
    fresh();
    receiver.behave(failing(2));
    await mock.trigger({ vendor: 'superoffice', event: 'sale.sold' });
    assert.equal(receiver.received.length, 1);
    await mock.clock.advance(10_000);
    assert.equal(receiver.received.length, 3);
    assert.deepEqual(
      receiver.received.map((request) => request.headers['x-superoffice-retry']),
      ['0', '1', '2'],
    );
    assert.equal(
      new Set(receiver.received.map((request) => request.headers['x-superoffice-eventid'])).size,
      1,
    );
    for (const request of receiver.received)
      assert.ok(superOfficeSignatureValid(SO_SECRET, request.headers, request.rawBody));
    const attempts = mock.deliveries.list({
      eventId: receiver.received[0]!.headers['x-superoffice-eventid']!,
    });
    assert.deepEqual(gapsOf(attempts), [1_000, 4_000]);
  });

  it('discards an event after three failed attempts, and sets TooManyErrors after nine, raising webhook<id>.errors', async () => {
    fresh();
    receiver.behave({ kind: 'answer', status: 500, body: 'down' });
    for (let event = 1; event <= 3; event += 1) {
      await mock.trigger({ vendor: 'superoffice', event: 'sale.sold' });
      await mock.clock.advance(10_000);
    }
    assert.equal(receiver.received.length, 9);
    assert.equal(
      new Set(receiver.received.map((request) => request.headers['x-superoffice-eventid'])).size,
      3,
    );
    const events = mock.deliveries.list({ vendor: 'superoffice', webhookId: String(SO_HOOK) });
    assert.deepEqual(events.at(-1)!.retry, {
      stopped: 'SuperOffice makes 3 attempts per event; the event is discarded',
    });
    await watcher.waitFor(1);
    assert.equal(watcher.received[0]!.headers['x-superoffice-event'], `webhook${SO_HOOK}.errors`);
    const stored = await mock.call('superoffice', {
      method: 'GET',
      path: `/api/v1/Webhook/${SO_HOOK}`,
      headers: {
        authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}`,
        accept: 'application/json',
      },
    });
    assert.equal(JSON.parse(stored.body.toString()).State, 'TooManyErrors');
    // no more events for a webhook that is no longer Active
    await mock.trigger({ vendor: 'superoffice', event: 'sale.sold' });
    assert.equal(receiver.received.length, 9);
  });
});

describe('Shodai retries (the mock’s schedule)', () => {
  let mock: MockServer;
  before(async () => {
    mock = await startSeeded();
  });
  after(() => mock.close());

  it('answers a failed test call with retry_pending and retries 10 s, 1 min, 10 min, 1 h and 6 h later', async () => {
    fresh();
    receiver.behave({ kind: 'answer', status: 500, body: 'down' });
    const answer = await mock.call('shodai', {
      method: 'POST',
      path: `/v0/webhooks/${SHODAI_HOOK}/test`,
      headers: { 'x-api-key': 'cns_pk_demo_free' },
    });
    const result = JSON.parse(answer.body.toString()).data;
    assert.equal(result.ok, false);
    assert.equal(result.status, 'retry_pending');
    await mock.clock.advance(8 * 3_600_000);
    assert.equal(receiver.received.length, 6);
    for (const request of receiver.received)
      assert.ok(shodaiSignatureValid(SHODAI_SECRET, request.headers, request.rawBody));
    assert.equal(new Set(receiver.received.map((request) => request.headers['x-shodai-webhook-id'])).size, 1);
    // the deliveryId the test call answered with finds every attempt
    const found = await (await admin(mock, 'GET', `/deliveries/${result.deliveryId}`)).json();
    assert.equal(found.deliveries.length, 6);
    assert.deepEqual(
      gapsOf(mock.deliveries.list({ eventId: result.deliveryId })),
      [10_000, 60_000, 600_000, 3_600_000, 21_600_000],
    );
    assert.match(found.delivery.retry.stopped, /makes 6 attempts/);
  });
});

describe('redelivery, time and reproducibility', () => {
  it('sends a delivery again with the same event id and a fresh signature, counting one more attempt', async () => {
    const mock = await startSeeded();
    try {
      fresh();
      await mock.trigger({ vendor: 'c1', event: 'c1.webhooks.v1.PayloadTest', webhookId: C1_HOOK });
      const [first] = mock.deliveries.list({ vendor: 'c1', webhookId: C1_HOOK });
      const res = await admin(mock, 'POST', `/deliveries/${first!.id}/redeliver`);
      assert.equal(res.status, 200);
      const { delivery } = await res.json();
      assert.equal(delivery.redeliveryOf, first!.id);
      assert.equal(delivery.attempt, 2);
      assert.equal(receiver.received.length, 2);
      const [one, two] = receiver.received;
      assert.equal(one!.headers['webhook-id'], two!.headers['webhook-id']);
      assert.notEqual(one!.headers.authorization, two!.headers.authorization);
      assert.ok(one!.rawBody.equals(two!.rawBody));
      const again = await mock.redeliver(first!.id);
      assert.equal(again?.attempt, 3);
      assert.equal((await admin(mock, 'POST', '/deliveries/dlv_unknown/redeliver')).status, 404);
    } finally {
      await mock.close();
    }
  });

  it('repeats the whole retry history byte for byte in two runs with the same seed', async () => {
    const histories: string[][] = [];
    for (let run = 0; run < 2; run += 1) {
      // the same public URL, so the JWT's issuer and the callback URL do not differ by port
      const mock = await startSeeded('same-seed', 'http://mock.test');
      try {
        fresh();
        receiver.behave(failing(4));
        await mock.trigger({ vendor: 'c1', event: 'c1.webhooks.v1.PayloadTest', webhookId: C1_HOOK });
        await mock.clock.advance(120_000);
        histories.push(
          receiver.received.map(
            (request) => `${request.headers.authorization} ${request.rawBody.toString('base64')}`,
          ),
        );
      } finally {
        await mock.close();
      }
    }
    assert.equal(histories[0]!.length, 5);
    assert.deepEqual(histories[0], histories[1]);
  });

  it('fires a retry by itself in real time when the clock runs', async () => {
    const mock = await startTestServer(
      {
        webhooks: {
          superoffice: [
            {
              webhookId: SO_HOOK,
              name: 'real time',
              events: ['sale.sold'],
              targetUrl: `${receiver.url}/so-real`,
              secret: SO_SECRET,
              state: 'Active',
              type: 'webhook',
            },
          ],
        },
      },
      { retries: true },
    );
    try {
      fresh();
      receiver.behave(failing(1));
      await mock.trigger({ vendor: 'superoffice', event: 'sale.sold' });
      await receiver.waitFor(2, 5_000);
      assert.equal(receiver.received[1]!.headers['x-superoffice-retry'], '1');
    } finally {
      await mock.close();
    }
  });

  it('makes one attempt with retries off', async () => {
    const mock = await startTestServer({}, { seed: 'off', retries: false });
    try {
      const url = `${receiver.url}/c1-off`;
      fresh();
      receiver.behave({ kind: 'answer', status: 500, body: '' });
      const created = await mock.call('c1', {
        method: 'POST',
        path: '/api/v1/webhooks',
        headers: { authorization: 'Bearer demo-c1-token', 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: 'off', url }),
      });
      const { webhook } = JSON.parse(created.body.toString());
      await mock.trigger({ vendor: 'c1', event: 'c1.webhooks.v1.PayloadTest', webhookId: webhook.id });
      assert.deepEqual(mock.schedule(), []);
      const [record] = mock.deliveries.list({ webhookId: webhook.id });
      assert.deepEqual(record?.retry, { stopped: 'retries are off (--no-retries)' });
    } finally {
      await mock.close();
    }
  });
});
