/**
 * Bursts through POST /__admin/trigger: many events at once, concurrent, out of order and duplicated, with the
 * order sent recorded in the answer and the journal, to a real receiver.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MockServer } from '../../src/server/index.js';
import type { TriggerResult } from '../../src/core/event-catalogue.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';
import { shodaiSignatureValid } from '../support/signatures.js';
import { specFor } from '../support/spec-check.js';

const HOOK = 'wh_burst_1';
const SECRET = `whsec_${'b7'.repeat(32)}`;

describe('bursts of triggered events', () => {
  let receiver: Receiver;
  let mock: MockServer;

  before(async () => {
    receiver = await startReceiver();
    mock = await startTestServer(
      {
        webhooks: {
          shodai: [{ id: HOOK, principalId: 'prn_demo_alice', url: `${receiver.url}/burst`, secret: SECRET }],
        },
      },
      { seed: 'bursts' },
    );
  });
  after(async () => {
    await mock.close();
    await receiver.close();
  });

  const trigger = async (
    body: object,
  ): Promise<{ status: number; json: TriggerResult & { errors?: { field: string }[] } }> => {
    const res = await fetch(`${mock.url}/__admin/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ vendor: 'shodai', event: 'agreement.transitioned', webhookId: HOOK, ...body }),
    });
    return {
      status: res.status,
      json: (await res.json()) as TriggerResult & { errors?: { field: string }[] },
    };
  };

  it('sends count events in reversed order, one at a time, and the receiver sees that order', async () => {
    receiver.received.length = 0;
    const { status, json } = await trigger({ count: 5, order: 'reversed' });
    assert.equal(status, 200);
    assert.deepEqual(
      json.burst?.sent.map((send) => send.event),
      [4, 3, 2, 1, 0],
    );
    assert.equal(receiver.received.length, 5);
    const ids = receiver.received.map((request) => request.headers['x-shodai-webhook-id']);
    assert.equal(new Set(ids).size, 5, 'five distinct events');
    const journal = mock.deliveries.list({ webhookId: HOOK });
    assert.deepEqual(
      journal.map((record) => [record.burst?.event, record.burst?.position]),
      [
        [4, 0],
        [3, 1],
        [2, 2],
        [1, 3],
        [0, 4],
      ],
    );
    for (const request of receiver.received) {
      assert.ok(shodaiSignatureValid(SECRET, request.headers, request.rawBody));
      assert.deepEqual(
        specFor('shodai').checkDelivery(
          'agreement.transitioned',
          request.headers,
          request.rawBody.toString(),
        ),
        [],
      );
    }
  });

  it('sends duplicates with the same event id and body and a fresh signature, concurrently and shuffled', async () => {
    receiver.received.length = 0;
    receiver.behave({ kind: 'answer', status: 200, delayMs: 20 });
    const { json } = await trigger({ count: 10, concurrency: 4, order: 'shuffled', duplicates: 0.5 });
    receiver.behave({ kind: 'answer', status: 200 });
    assert.equal(json.burst?.sent.length, 15);
    assert.equal(receiver.received.length, 15);
    const byId = new Map<string, string[]>();
    for (const request of receiver.received) {
      const id = request.headers['x-shodai-webhook-id']!;
      byId.set(id, [...(byId.get(id) ?? []), request.rawBody.toString()]);
    }
    assert.equal(byId.size, 10);
    const twice = [...byId.values()].filter((bodies) => bodies.length === 2);
    assert.equal(twice.length, 5);
    for (const [one, two] of twice) assert.equal(one, two, 'a duplicate carries the same body');
    const duplicates = json.deliveries.filter((delivery) => delivery.burst?.duplicate === true);
    assert.equal(duplicates.length, 5);
    for (const duplicate of duplicates) assert.match(duplicate.reason, /^a duplicate of dlv_/);
  });

  it('refuses a burst setting out of range with 400 naming the field, sending nothing', async () => {
    receiver.received.length = 0;
    for (const [body, field] of [
      [{ count: 0 }, 'count'],
      [{ count: 1001 }, 'count'],
      [{ concurrency: 51 }, 'concurrency'],
      [{ order: 'sideways' }, 'order'],
      [{ duplicates: 2 }, 'duplicates'],
      [{ count: '5' }, 'count'],
    ] as const) {
      const { status, json } = await trigger(body);
      assert.equal(status, 400, JSON.stringify(body));
      assert.equal(json.errors?.[0]?.field, field);
    }
    assert.equal(receiver.received.length, 0);
  });

  it('refuses a trigger that could make more than 10 000 deliveries (events × webhooks) with 400 naming count, before sending any', async () => {
    const many = await startTestServer({
      webhooks: {
        shodai: Array.from({ length: 11 }, (_, index) => ({
          id: `wh_burst_many_${index}`,
          principalId: 'prn_demo_alice',
          url: `${receiver.url}/many`,
          secret: SECRET,
        })),
      },
    });
    try {
      receiver.received.length = 0;
      const res = await fetch(`${many.url}/__admin/trigger`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ vendor: 'shodai', event: 'agreement.transitioned', count: 1000 }),
      });
      const json = (await res.json()) as { errors?: { field: string; message: string }[] };
      assert.equal(res.status, 400);
      assert.equal(json.errors?.[0]?.field, 'count');
      const [, deliveries, webhooks] = /(\d+) deliveries \(1000 events × (\d+) webhooks\)/.exec(
        json.errors?.[0]?.message ?? '',
      ) ?? ['', '0', '0'];
      assert.ok(Number(webhooks) >= 11, `counted ${webhooks} webhooks`);
      assert.equal(Number(deliveries), 1000 * Number(webhooks));
      assert.equal(receiver.received.length, 0);
      assert.equal(many.deliveries.list({}).length, 0);
    } finally {
      await many.close();
    }
  });
});
