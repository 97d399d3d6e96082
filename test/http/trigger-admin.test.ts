/**
 * The admin API around triggered events (issue 13): GET /__admin/catalogue for every vendor, GET
 * /__admin/triggers (the last results, oldest first, cleared by a reset), GET /__admin/instances (C1's
 * WebhookInstances with their outcome, newest first) and the admin token in front of POST /__admin/trigger.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { TriggerResult } from '../../src/core/event-catalogue.js';
import type { MockServer } from '../../src/server/index.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';
import { triggerOverHttp } from '../support/trigger.js';

const C1_HOOK = '2bWkJ8Qv3nYc5hT0dLx9ZfADM01';
const ADMIN_TOKEN = 'trigger-admin-token';
const EXPECTED_COUNTS: Readonly<Record<string, number>> = { c1: 6, shodai: 2, superoffice: 59 };

interface CatalogueView {
  vendors: {
    vendor: string;
    title: string;
    events: {
      name: string;
      summary: string;
      specWebhook: string;
      variants: { name: string; summary: string }[];
    }[];
  }[];
}

function specWebhooks(vendor: string): string[] {
  const spec = parse(
    readFileSync(new URL(`../../specs/${vendor}.openapi.yaml`, import.meta.url), 'utf8'),
  ) as {
    webhooks: Record<string, unknown>;
  };
  return Object.keys(spec.webhooks);
}

let server: MockServer;
let receiver: Receiver;
const admin = (path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${server.url}/__admin${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...init.headers },
  });

before(async () => {
  receiver = await startReceiver();
  server = await startTestServer(
    { webhooks: { c1: [{ id: C1_HOOK, displayName: 'Admin', url: `${receiver.url}/c1` }] } },
    { adminToken: ADMIN_TOKEN },
  );
});

after(async () => {
  await server.close();
  await receiver.close();
});

beforeEach(async () => {
  assert.equal((await admin('/reset', { method: 'POST' })).status, 200);
  receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
});

describe('GET /__admin/catalogue', () => {
  it('lists every vendor’s events with a summary and a spec entry that exists, in the expected numbers', async () => {
    const res = await admin('/catalogue');
    assert.equal(res.status, 200);
    const { vendors } = (await res.json()) as CatalogueView;
    assert.deepEqual(
      vendors.map((entry) => entry.vendor),
      ['c1', 'shodai', 'superoffice'],
    );
    for (const entry of vendors) {
      assert.equal(entry.events.length, EXPECTED_COUNTS[entry.vendor], `${entry.vendor}'s events`);
      const declared = specWebhooks(entry.vendor);
      for (const event of entry.events) {
        assert.ok(
          declared.includes(event.specWebhook),
          `${entry.vendor} webhooks.${event.specWebhook} exists`,
        );
        assert.ok(event.summary.length > 10, `${event.name} has a summary`);
      }
    }
    assert.deepEqual(vendors, server.catalogue(), 'the programmatic catalogue is the same');
  });

  it('refuses an unknown vendor with 400 naming the vendors there are', async () => {
    const res = await admin('/catalogue?vendor=nope');
    assert.equal(res.status, 400);
    const problem = (await res.json()) as { detail: string };
    assert.match(problem.detail, /vendor must be one of c1, shodai, superoffice; got "nope"/);
  });
});

describe('GET /__admin/triggers', () => {
  it('lists the triggers’ results oldest first, from both doors, and a reset clears them', async () => {
    const first = await server.trigger({
      vendor: 'shodai',
      event: 'agreement.transitioned',
      variant: 'deploy',
    });
    const second = await triggerOverHttp(
      server,
      { vendor: 'c1', event: 'c1.webhooks.v1.PayloadTest', webhookId: C1_HOOK },
      ADMIN_TOKEN,
    );
    const res = await admin('/triggers');
    assert.equal(res.status, 200);
    const { triggers } = (await res.json()) as { triggers: TriggerResult[] };
    assert.deepEqual(
      triggers.map((entry) => entry.triggerId),
      [first.triggerId, second.triggerId],
    );
    assert.equal(triggers[0]!.variant, 'deploy');
    assert.deepEqual(
      triggers[1]!.deliveries.map((entry) => entry.webhookId),
      [C1_HOOK],
    );
    assert.deepEqual(
      server.triggers().map((entry) => entry.triggerId),
      [first.triggerId, second.triggerId],
    );

    await admin('/reset', { method: 'POST' });
    assert.deepEqual(((await (await admin('/triggers')).json()) as { triggers: unknown[] }).triggers, []);
  });
});

describe('GET /__admin/instances', () => {
  it('lists C1’s instances newest first with what C1 made of each answer, and no other vendor’s', async () => {
    receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1","deny":{"comment":"No."}}' });
    const denied = await server.trigger({
      vendor: 'c1',
      event: 'c1.webhooks.v1.PayloadPolicyApprovalStep',
      webhookId: C1_HOOK,
    });
    receiver.behave({ kind: 'answer', status: 500, body: 'down' });
    const failed = await server.trigger({
      vendor: 'c1',
      event: 'c1.webhooks.v1.PayloadProvisionStep',
      webhookId: C1_HOOK,
    });
    const res = await admin('/instances?vendor=c1');
    assert.equal(res.status, 200);
    const { instances } = (await res.json()) as {
      instances: { vendor: string; instance: { id: string; state: string; outcome?: { kind: string } } }[];
    };
    const idOf = (result: TriggerResult): string => (result.deliveries[0]!.record as { id: string }).id;
    assert.deepEqual(
      instances.map((entry) => entry.instance.id),
      [idOf(failed), idOf(denied)],
    );
    assert.equal(instances[0]!.instance.state, 'WEBHOOK_STATE_ERROR');
    assert.equal(instances[0]!.instance.outcome, undefined, 'a 500 is retried, not judged');
    assert.equal(instances[1]!.instance.state, 'WEBHOOK_STATE_SUCCESS');
    assert.equal(instances[1]!.instance.outcome?.kind, 'denied');

    const shodai = (await (await admin('/instances?vendor=shodai')).json()) as { instances: unknown[] };
    assert.deepEqual(shodai.instances, []);
  });
});

describe('the admin token', () => {
  it('refuses POST /__admin/trigger without the token with 401 and sends nothing', async () => {
    const before = receiver.received.length;
    const res = await fetch(`${server.url}/__admin/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ vendor: 'c1', event: 'c1.webhooks.v1.PayloadTest', webhookId: C1_HOOK }),
    });
    assert.equal(res.status, 401);
    assert.equal(receiver.received.length, before);
  });

  it('accepts it with the token', async () => {
    const res = await admin('/trigger', {
      method: 'POST',
      body: JSON.stringify({ vendor: 'c1', event: 'c1.webhooks.v1.PayloadTest', webhookId: C1_HOOK }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as TriggerResult).deliveries[0]?.delivered, true);
  });
});

describe('mock.verifyDelivery on a triggered delivery', () => {
  it('answers at once: a trigger has no inbound request whose journal entry it should wait for', async () => {
    const result = await server.trigger({
      vendor: 'c1',
      event: 'c1.webhooks.v1.PayloadTest',
      webhookId: C1_HOOK,
    });
    const record = server.deliveries.all().find((entry) => entry.id === result.deliveries[0]?.deliveryId);
    assert.ok(record);
    const started = performance.now();
    const verification = await server.verifyDelivery(record);
    const elapsed = performance.now() - started;
    assert.equal(verification.verified, true, verification.reason);
    // the default wait for a causing request is 2000 ms
    assert.ok(elapsed < 1000, `took ${Math.round(elapsed)} ms`);
  });
});
