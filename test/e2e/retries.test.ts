/**
 * Retries through the built CLI as a real process, walked with the admin API's clock: a seeded mock, a real
 * receiver that fails and then recovers, `GET /__admin/schedule`, `PUT /__admin/clock`, and a redelivery.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixturesCopy, startMockProcess } from '../support/process.js';
import type { MockProcess } from '../support/process.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { shodaiSignatureValid } from '../support/signatures.js';

const SECRET = `whsec_${'5e'.repeat(32)}`;

describe('retries of a running mock, on its clock', () => {
  let receiver: Receiver;
  let mock: MockProcess;

  before(async () => {
    receiver = await startReceiver();
    const fixtures = await fixturesCopy({
      shodai: (text) =>
        `${text}  - id: wh_e2e_retry\n    principalId: prn_demo_alice\n    url: '${receiver.url}/shodai'\n    secret: ${SECRET}\n`,
    });
    mock = await startMockProcess(['--port', '0', '--fixtures', fixtures, '--seed', 'e2e-retries']);
  });

  after(async () => {
    await mock.stop();
    await receiver.close();
  });

  const admin = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${mock.url}/__admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };

  it('answers retry_pending, lists the retry, and delivers it when the clock is moved past it', async () => {
    receiver.behave({
      kind: 'sequence',
      steps: [{ kind: 'answer', status: 503, body: 'busy' }],
      then: { kind: 'answer', status: 204 },
    });
    const res = await fetch(`${mock.url}/shodai/v0/webhooks/wh_e2e_retry/test`, {
      method: 'POST',
      headers: { 'x-api-key': 'cns_pk_demo_free' },
    });
    assert.equal(res.status, 201);
    const { data } = (await res.json()) as { data: { ok: boolean; status: string; deliveryId: string } };
    assert.equal(data.status, 'retry_pending');

    const schedule = (await admin('GET', '/schedule')) as { retries: { attempt: number; dueAt: string }[] };
    assert.equal(schedule.retries.length, 1);
    assert.equal(schedule.retries[0]!.dueAt, '2026-01-01T00:00:10.000Z');
    assert.equal(receiver.received.length, 1);

    const moved = (await admin('PUT', '/clock', { advanceMs: 10_000 })) as { fired: unknown[]; now: string };
    assert.equal(moved.fired.length, 1);
    assert.equal(moved.now, '2026-01-01T00:00:10.000Z');
    assert.equal(receiver.received.length, 2);
    const [first, second] = receiver.received;
    assert.equal(first!.headers['x-shodai-webhook-id'], second!.headers['x-shodai-webhook-id']);
    assert.equal(second!.headers['x-shodai-webhook-timestamp'], String(Date.parse(moved.now) / 1000));
    assert.ok(shodaiSignatureValid(SECRET, second!.headers, second!.rawBody));

    const found = (await admin('GET', `/deliveries/${data.deliveryId}`)) as {
      deliveries: { attempt: number; response: { status: number } | null }[];
    };
    assert.deepEqual(
      found.deliveries.map((delivery) => [delivery.attempt, delivery.response?.status]),
      [
        [1, 503],
        [2, 204],
      ],
    );
    assert.deepEqual((await admin('GET', '/schedule')).retries, []);
  });

  it('sends a delivery again on POST /__admin/deliveries/{id}/redeliver', async () => {
    const before = receiver.received.length;
    const { deliveries } = (await admin('GET', '/deliveries?vendor=shodai&limit=1')) as {
      deliveries: { id: string }[];
    };
    const { delivery } = (await admin('POST', `/deliveries/${deliveries[0]!.id}/redeliver`)) as {
      delivery: { redeliveryOf: string; response: { status: number } };
    };
    assert.equal(delivery.redeliveryOf, deliveries[0]!.id);
    assert.equal(delivery.response.status, 204);
    assert.equal(receiver.received.length, before + 1);
  });
});
