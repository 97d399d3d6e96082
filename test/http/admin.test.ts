/**
 * The admin API (/__admin): journals with filters and bounds, the long-poll wait, scenario switching, reset,
 * the admin token — and the programmatic API that offers the same.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import supertest from 'supertest';
import type { MockServer } from '../../src/server/index.js';
import { vendorAgent } from '../support/http.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';

const HOOK = 'wh_admin_1';
const SECRET = `whsec_${'c'.repeat(64)}`;
const ALICE = { 'X-API-Key': 'cns_pk_demo_free' };

interface DeliveryView {
  id: string;
  vendor: string;
  webhookId: string;
  event: string;
  requestId: string;
  simulatedBy?: string;
  request: { url: string; headers: Record<string, string>; body: string; bodyBase64: string };
  signature: { header: string; value: string | null };
  response: { status: number; headers: Record<string, string>; body: string } | null;
  error: { kind: string; message: string } | null;
  durationMs: number;
}

describe('the admin API', () => {
  let server: MockServer;
  let receiver: Receiver;
  let admin: ReturnType<typeof supertest>;

  before(async () => {
    receiver = await startReceiver();
    server = await startTestServer({
      webhooks: {
        shodai: [{ id: HOOK, principalId: 'prn_demo_alice', url: `${receiver.url}/hook`, secret: SECRET }],
      },
    });
    admin = supertest(`${server.url}/__admin`);
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await admin.post('/reset').expect(200);
    receiver.behave({ kind: 'answer', status: 200, body: 'thanks', headers: { 'X-Receiver': 'r' } });
  });

  const testCall = () =>
    vendorAgent(server.urls.shodai, 'shodai').post(`/v0/webhooks/${HOOK}/test`).set(ALICE).expect(201);

  it('shows each delivery with the exact bytes sent, the signature and the receiver’s answer', async () => {
    const call = await testCall();
    const [received] = await receiver.waitFor(1);
    const res = await admin.get('/deliveries').query({ vendor: 'shodai', webhookId: HOOK }).expect(200);
    const deliveries = res.body.deliveries as DeliveryView[];
    assert.equal(deliveries.length, 1);
    const delivery = deliveries[0]!;
    assert.equal(Buffer.from(delivery.request.bodyBase64, 'base64').equals(received!.rawBody), true);
    assert.equal(delivery.request.url, `${receiver.url}/hook`);
    assert.equal(delivery.signature.header, 'x-shodai-webhook-signature');
    assert.equal(delivery.signature.value, received!.headers['x-shodai-webhook-signature']);
    assert.equal(delivery.response?.status, 200);
    assert.equal(delivery.response?.body, 'thanks');
    assert.equal(delivery.response?.headers['x-receiver'], 'r');
    assert.equal(delivery.requestId, call.headers['x-request-id']);
    assert.equal(delivery.error, null);
    assert.ok(delivery.durationMs >= 0);
  });

  it('records a failed delivery with its error kind', async () => {
    receiver.behave({ kind: 'reset' });
    await testCall();
    const res = await admin.get('/deliveries').expect(200);
    const delivery = (res.body.deliveries as DeliveryView[]).at(-1)!;
    assert.equal(delivery.response, null);
    assert.equal(delivery.error?.kind, 'connection-error');
  });

  it('lists inbound requests with the answer, filtered by vendor and operation', async () => {
    await testCall();
    await vendorAgent(server.urls.shodai, 'shodai').get('/v0/webhooks').set(ALICE).expect(200);
    await vendorAgent(server.urls.c1, 'c1').get('/api/v1/webhooks').expect(401);
    const all = (await admin.get('/requests').expect(200)).body.requests as {
      vendor: string;
      operationId: string;
    }[];
    assert.deepEqual(
      all.map((entry) => [entry.vendor, entry.operationId]),
      [
        ['shodai', 'testWebhook'],
        ['shodai', 'listWebhooks'],
        ['c1', 'c1.api.webhooks.v1.WebhooksService.List'],
      ],
    );
    const filtered = (
      await admin.get('/requests').query({ vendor: 'shodai', operation: 'listWebhooks' }).expect(200)
    ).body.requests as {
      url: string;
      response: { status: number; body: string };
      headers: Record<string, string>;
    }[];
    assert.equal(filtered.length, 1);
    assert.equal(filtered[0]!.url, '/shodai/v0/webhooks');
    assert.equal(filtered[0]!.response.status, 200);
    assert.equal(filtered[0]!.headers['x-api-key'], 'cns_pk_demo_free');
    assert.ok(JSON.parse(filtered[0]!.response.body).data.length >= 1);
    const newest = (await admin.get('/requests').query({ limit: 1 }).expect(200)).body.requests as {
      vendor: string;
    }[];
    assert.deepEqual(
      newest.map((entry) => entry.vendor),
      ['c1'],
    );
  });

  it('long-polls until a matching delivery exists', async () => {
    const waiting = admin
      .get('/deliveries/wait')
      .query({ vendor: 'shodai', webhookId: HOOK, timeoutMs: 5000 })
      .then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await testCall();
    const res = await waiting;
    assert.equal(res.status, 200);
    assert.equal((res.body.delivery as DeliveryView).webhookId, HOOK);
  });

  it('waits for a delivery after a given one, and answers 408 when none comes in time', async () => {
    await testCall();
    const first = (await admin.get('/deliveries/wait').query({ vendor: 'shodai' }).expect(200)).body
      .delivery as DeliveryView;
    const res = await admin
      .get('/deliveries/wait')
      .query({ vendor: 'shodai', after: first.id, timeoutMs: 200 })
      .expect(408)
      .expect('content-type', /application\/problem\+json/);
    assert.match(res.body.detail, /within 200 ms/);
  });

  it('switches scenarios on and off and rejects unknown names', async () => {
    await admin
      .put('/scenarios')
      .send({ activate: ['shodai-blocked'] })
      .expect(200);
    await vendorAgent(server.urls.shodai, 'shodai').get('/v0/webhooks').set(ALICE).expect(403);
    const listed = (await admin.get('/scenarios').expect(200)).body.scenarios as {
      name: string;
      active: boolean;
    }[];
    assert.equal(listed.find((scenario) => scenario.name === 'shodai-blocked')?.active, true);
    await admin
      .put('/scenarios')
      .send({ deactivate: ['shodai-blocked'] })
      .expect(200);
    await vendorAgent(server.urls.shodai, 'shodai').get('/v0/webhooks').set(ALICE).expect(200);
    await admin
      .put('/scenarios')
      .send({ active: ['shodai-paid-required'] })
      .expect(200);
    await vendorAgent(server.urls.shodai, 'shodai').get('/v0/webhooks').set(ALICE).expect(402);
    const res = await admin
      .put('/scenarios')
      .send({ activate: ['nope'] })
      .expect(400);
    assert.match(res.body.detail, /unknown scenario "nope"/);
    await admin.put('/scenarios').send({}).expect(400);
    await admin.put('/scenarios').send({ active: 'shodai-blocked' }).expect(400);
  });

  it('resets store, journals, sink and scenarios to the start', async () => {
    const created = await vendorAgent(server.urls.shodai, 'shodai')
      .post('/v0/webhooks')
      .set(ALICE)
      .send({ url: 'https://example.com/new', filters: {} })
      .expect(201);
    await testCall();
    await admin
      .put('/scenarios')
      .send({ activate: ['shodai-blocked'] })
      .expect(200);
    await admin.post('/reset').expect(200);
    await vendorAgent(server.urls.shodai, 'shodai')
      .get(`/v0/webhooks/${created.body.data.id}`)
      .set(ALICE)
      .expect(404);
    assert.equal((await admin.get('/deliveries').expect(200)).body.deliveries.length, 0);
    // the GET above is the only request since the reset
    assert.equal((await admin.get('/requests').expect(200)).body.requests.length, 1);
    const listed = (await admin.get('/scenarios').expect(200)).body.scenarios as { active: boolean }[];
    assert.equal(
      listed.some((scenario) => scenario.active),
      false,
    );
  });

  it('answers problem+json for bad parameters and unknown endpoints', async () => {
    await admin
      .get('/deliveries')
      .query({ vendor: 'acme' })
      .expect(400)
      .expect('content-type', /problem\+json/);
    await admin.get('/deliveries/wait').query({ timeoutMs: 'soon' }).expect(400);
    await admin
      .get('/nothing-here')
      .expect(404)
      .expect('content-type', /problem\+json/);
    await admin.put('/scenarios').set('Content-Type', 'application/json').send('{broken').expect(400);
  });
});

describe('journal bounds', () => {
  it('keeps only the newest entries of each journal', async () => {
    const server = await startTestServer({}, { journalSize: 3 });
    try {
      for (let i = 0; i < 5; i += 1) {
        await supertest(server.urls.shodai)
          .get(`/v0/webhooks?limit=${i + 1}`)
          .set(ALICE)
          .expect(200);
      }
      const urls = server.requests.all().map((entry) => entry.url);
      assert.deepEqual(urls, [
        '/shodai/v0/webhooks?limit=3',
        '/shodai/v0/webhooks?limit=4',
        '/shodai/v0/webhooks?limit=5',
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('admin access', () => {
  it('requires the bearer token when one is set, but not for health', async () => {
    const server = await startTestServer({}, { adminToken: 's3cret' });
    try {
      const admin = supertest(`${server.url}/__admin`);
      await admin.get('/health').expect(200);
      await admin
        .get('/requests')
        .expect(401)
        .expect('www-authenticate', /Bearer/);
      await admin.get('/requests').set('Authorization', 'Bearer wrong').expect(401);
      await admin.get('/requests').set('Authorization', 'Bearer s3cret').expect(200);
    } finally {
      await server.close();
    }
  });

  it('refuses the admin API on a non-loopback address without a token', async () => {
    const server = await startTestServer({}, { host: '0.0.0.0' });
    try {
      const admin = supertest(`${server.localUrl}/__admin`);
      await admin.get('/health').expect(200);
      const res = await admin.post('/reset').expect(403);
      assert.match(res.body.detail, /--admin-token/);
    } finally {
      await server.close();
    }
  });
});

describe('the programmatic API', () => {
  it('activates scenarios, waits for deliveries and resets, typed', async () => {
    const receiver = await startReceiver();
    const server = await startTestServer({
      webhooks: {
        shodai: [{ id: HOOK, principalId: 'prn_demo_alice', url: `${receiver.url}/hook`, secret: SECRET }],
      },
    });
    try {
      server.scenarios.activate('flaky-then-ok');
      const waiting = server.waitForDelivery({ vendor: 'shodai', webhookId: HOOK }, 5000);
      await supertest(server.urls.shodai).post(`/v0/webhooks/${HOOK}/test`).set(ALICE).expect(201);
      const delivery = await waiting;
      assert.equal(delivery?.simulatedBy, 'flaky-then-ok');
      assert.throws(() => server.scenarios.activate('nope'), /unknown scenario/);
      await server.reset();
      assert.equal(server.deliveries.all().length, 0);
      assert.equal(
        server.scenarios.list().some((scenario) => scenario.active),
        false,
      );
      assert.equal(await server.waitForDelivery({ vendor: 'c1' }, 50), undefined);
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});

describe('the clock', () => {
  it('can be moved through the admin API, so issued C1 tokens expire', async () => {
    const server = await startTestServer();
    try {
      const admin = supertest(`${server.url}/__admin`);
      const token = await supertest(server.urls.c1)
        .post('/auth/v1/token')
        .type('form')
        .send({
          grant_type: 'client_credentials',
          client_id: 'demo-client@demo.conductor.one/pcc',
          client_secret: 'demo-client-secret',
        })
        .expect(200);
      const bearer = `Bearer ${token.body.access_token as string}`;
      await supertest(server.urls.c1).get('/api/v1/webhooks').set('Authorization', bearer).expect(200);
      const moved = await admin
        .put('/clock')
        .send({ advanceMs: ((token.body.expires_in as number) + 1) * 1000 })
        .expect(200);
      assert.equal(moved.body.frozen, false);
      await supertest(server.urls.c1).get('/api/v1/webhooks').set('Authorization', bearer).expect(401);
      const set = await admin.put('/clock').send({ now: '2030-01-01T00:00:00Z' }).expect(200);
      assert.ok(set.body.now >= '2030-01-01T00:00:00');
      await admin.put('/clock').send({ now: 'yesterday' }).expect(400);
      await admin.put('/clock').send({}).expect(400);
    } finally {
      await server.close();
    }
  });

  it('is frozen in a seeded run and moves only when told', async () => {
    const server = await startTestServer({}, { seed: 7 });
    try {
      const admin = supertest(`${server.url}/__admin`);
      const first = await admin.get('/clock').expect(200);
      assert.deepEqual(first.body, { now: '2026-01-01T00:00:00.000Z', frozen: true });
      server.clock.advance(1000);
      assert.equal((await admin.get('/clock').expect(200)).body.now, '2026-01-01T00:00:01.000Z');
    } finally {
      await server.close();
    }
  });
});
