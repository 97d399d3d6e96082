/**
 * HTTP tests of the Shodai Agreements API webhooks: the test call with every receiver outcome, API-key auth and
 * entitlements, subscription CRUD and the error envelope. Every answer is checked against
 * specs/shodai.openapi.yaml by vendorAgent, every delivery against the spec's `webhook.test` entry.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Response } from 'supertest';
import { startMockServer } from '../../src/server/index.js';
import { makeFixtures } from '../support/server.js';
import type { MockServer } from '../../src/server/index.js';
import { vendorAgent } from '../support/http.js';
import type { VendorAgent } from '../support/http.js';
import { refusedUrl, startReceiver } from '../support/receiver.js';
import type { Receiver, ReceivedRequest } from '../support/receiver.js';
import { shodaiSignatureValid } from '../support/signatures.js';
import { specFor } from '../support/spec-check.js';

const ALICE = 'cns_pk_demo_free';
const BOB = 'cns_pk_demo_other';
const RECV_ID = 'wh_test_alice_receiver';
const RECV_SECRET = `whsec_${'ab12'.repeat(16)}`;
const REFUSED_ID = 'wh_test_alice_refused';
const DISABLED_ID = 'wh_test_alice_disabled';
const BOB_ID = 'wh_demo_bob_1';
const BODY_LIMIT = 16 * 1024;

interface Meta {
  apiVersion: string;
  requestId: string;
}
interface ErrorBody {
  error: {
    code: string;
    message: string;
    requestId: string;
    details?: { fields?: { path: string; message: string }[] };
  };
}
interface TestResult {
  ok: boolean;
  deliveryId: string;
  status: string;
  responseStatus?: number;
  error?: string;
}
interface Subscription {
  id: string;
  principalId: string;
  createdByApiKeyId?: string;
  url: string;
  status: 'active' | 'disabled';
  eventTypes: string[];
  filters: Record<string, string[]>;
  createdAt: string;
  updatedAt: string;
  secret?: string;
}

let server: MockServer;
let receiver: Receiver;
let shodai: VendorAgent;
let fixturesDir: string;
let hookUrl: string;

before(async () => {
  receiver = await startReceiver();
  hookUrl = `${receiver.url}/shodai/hook`;
  fixturesDir = await makeFixtures({
    webhooks: {
      shodai: [
        {
          id: RECV_ID,
          principalId: 'prn_demo_alice',
          url: hookUrl,
          secret: RECV_SECRET,
          createdAt: '2026-02-01T10:00:00Z',
        },
        {
          id: REFUSED_ID,
          principalId: 'prn_demo_alice',
          url: await refusedUrl(),
          secret: `whsec_${'cd34'.repeat(16)}`,
        },
        {
          id: DISABLED_ID,
          principalId: 'prn_demo_alice',
          url: `${receiver.url}/shodai/disabled`,
          secret: `whsec_${'ef56'.repeat(16)}`,
          status: 'disabled',
        },
      ],
    },
  });
  server = await startMockServer({
    port: 0,
    fixturesDir,
    // one attempt per delivery: the test call's answer for a failure with retries is in retries.test.ts
    retries: false,
    deliveryTimeoutMs: 300,
    bodyLimitBytes: BODY_LIMIT,
  });
  shodai = vendorAgent(server.urls.shodai, 'shodai');
});

after(async () => {
  await server.close();
  await receiver.close();
  await rm(fixturesDir, { recursive: true, force: true });
});

beforeEach(() => {
  receiver.behave({ kind: 'answer', status: 200, body: '{"received":true}' });
});

function meta(res: Response): Meta {
  const body = res.body as { meta: Meta };
  assert.equal(body.meta.apiVersion, 'v0');
  assert.match(body.meta.requestId, /^req_/);
  assert.equal(res.headers['x-request-id'], body.meta.requestId);
  return body.meta;
}

/** Asserts Shodai's error envelope and returns it. */
function shodaiError(res: Response, code: string): ErrorBody['error'] {
  const body = res.body as ErrorBody;
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
  assert.match(body.error.requestId, /^req_/);
  assert.equal(res.headers['x-request-id'], body.error.requestId);
  return body.error;
}

function fieldPaths(error: ErrorBody['error']): string[] {
  return (error.details?.fields ?? []).map((field) => field.path);
}

async function testCall(id: string, key = ALICE): Promise<{ result: TestResult; res: Response }> {
  const res = await shodai
    .post(`/v0/webhooks/${id}/test`)
    .set('X-API-Key', key)
    .expect(201)
    .expect('content-type', /application\/json/);
  meta(res);
  return { result: (res.body as { data: TestResult }).data, res };
}

async function nextDelivery(count: number): Promise<ReceivedRequest> {
  const delivery = (await receiver.waitFor(count + 1))[count];
  assert.ok(delivery);
  assert.deepEqual(
    specFor('shodai').checkDelivery('webhook.test', delivery.headers, delivery.rawBody.toString('utf8')),
    [],
  );
  return delivery;
}

describe('Shodai test call: POST /v0/webhooks/{id}/test', () => {
  it('delivers a signed webhook.test event and answers 201 ok true when the receiver answers 200', async () => {
    const count = receiver.received.length;
    const startedSeconds = Math.floor(Date.now() / 1000);
    const { result } = await testCall(RECV_ID);
    assert.equal(result.ok, true);
    assert.equal(result.status, 'succeeded');
    assert.equal(result.responseStatus, 200);
    assert.equal(result.error, undefined);
    assert.match(result.deliveryId, /^whd_/);

    const delivery = await nextDelivery(count);
    assert.equal(delivery.method, 'POST');
    assert.equal(delivery.path, '/shodai/hook');
    assert.match(delivery.headers['content-type'] ?? '', /^application\/json/);
    const body = JSON.parse(delivery.rawBody.toString('utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['apiVersion', 'createdAt', 'data', 'id', 'type']);
    assert.equal(body.type, 'webhook.test');
    assert.equal(body.apiVersion, '2026-06-01');
    assert.deepEqual(body.data, {});
    assert.match(body.id as string, /^evt_/);
    assert.equal(delivery.headers['x-shodai-webhook-id'], body.id);
    const timestamp = Number(delivery.headers['x-shodai-webhook-timestamp']);
    assert.ok(Math.abs(timestamp - startedSeconds) <= 5, 'timestamp is unix seconds, now');
    assert.match(delivery.headers['x-shodai-webhook-signature'] ?? '', /^sha256=[0-9a-f]{64}$/);
    assert.ok(shodaiSignatureValid(RECV_SECRET, delivery.headers, delivery.rawBody));
    assert.ok(!shodaiSignatureValid(`whsec_${'00'.repeat(32)}`, delivery.headers, delivery.rawBody));
    // the prefix is part of the key
    assert.ok(!shodaiSignatureValid(RECV_SECRET.slice('whsec_'.length), delivery.headers, delivery.rawBody));

    const record = server.deliveries.list({ vendor: 'shodai', webhookId: RECV_ID }).at(-1);
    assert.equal(record?.event, 'webhook.test');
  });

  it('answers ok true with the receiver status for another 2xx such as 204', async () => {
    receiver.behave({ kind: 'answer', status: 204 });
    const { result } = await testCall(RECV_ID);
    assert.deepEqual(
      { ok: result.ok, status: result.status, responseStatus: result.responseStatus },
      {
        ok: true,
        status: 'succeeded',
        responseStatus: 204,
      },
    );
  });

  it('gives every test a new delivery id and a new event id', async () => {
    const count = receiver.received.length;
    const first = await testCall(RECV_ID);
    const second = await testCall(RECV_ID);
    assert.notEqual(first.result.deliveryId, second.result.deliveryId);
    const a = await nextDelivery(count);
    const b = await nextDelivery(count + 1);
    assert.notEqual(a.headers['x-shodai-webhook-id'], b.headers['x-shodai-webhook-id']);
  });

  for (const status of [500, 410, 404, 301]) {
    it(`answers 201 ok false, failed, with responseStatus ${status} when the receiver answers ${status}`, async () => {
      receiver.behave({ kind: 'answer', status, body: 'nope' });
      const count = receiver.received.length;
      const { result } = await testCall(RECV_ID);
      assert.equal(result.ok, false);
      assert.equal(result.status, 'failed');
      assert.equal(result.responseStatus, status);
      assert.match(result.error ?? '', new RegExp(String(status)));
      await nextDelivery(count);
    });
  }

  it('answers 201 ok false with an error and no responseStatus when the connection is refused', async () => {
    const { result } = await testCall(REFUSED_ID);
    assert.equal(result.ok, false);
    assert.equal(result.status, 'failed');
    assert.equal(result.responseStatus, undefined);
    assert.match(result.error ?? '', /refused/);
  });

  it('answers 201 ok false with a timeout error once deliveryTimeoutMs passes while the receiver hangs', async () => {
    receiver.behave({ kind: 'hang' });
    const started = performance.now();
    const { result } = await testCall(RECV_ID);
    const elapsed = performance.now() - started;
    assert.equal(result.ok, false);
    assert.equal(result.status, 'failed');
    assert.equal(result.responseStatus, undefined);
    assert.match(result.error ?? '', /timeout/);
    assert.ok(elapsed >= 250 && elapsed < 5000, `answered after ${elapsed} ms`);
  });

  it('answers 201 ok false with an error when the receiver resets the connection', async () => {
    receiver.behave({ kind: 'reset' });
    const { result } = await testCall(RECV_ID);
    assert.equal(result.ok, false);
    assert.equal(result.status, 'failed');
    assert.equal(result.responseStatus, undefined);
    assert.equal(typeof result.error, 'string');
  });

  it('does not deliver to a disabled subscription and answers 201 ok false, failed, saying why', async () => {
    const count = receiver.received.length;
    const { result } = await testCall(DISABLED_ID);
    assert.equal(result.ok, false);
    assert.equal(result.status, 'failed');
    assert.equal(result.responseStatus, undefined);
    assert.match(result.error ?? '', /disabled/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(receiver.received.length, count);
  });

  it('ignores a body sent with the test call, which declares none', async () => {
    const res = await shodai
      .post(`/v0/webhooks/${RECV_ID}/test`)
      .set('X-API-Key', ALICE)
      .send({ anything: true })
      .expect(201);
    assert.equal((res.body as { data: TestResult }).data.ok, true);
  });

  it("returns 404 in Shodai's error envelope for an unknown webhook", async () => {
    const res = await shodai.post('/v0/webhooks/wh_nope/test').set('X-API-Key', ALICE).expect(404);
    assert.match(shodaiError(res, 'not_found').message, /wh_nope/);
  });

  it("returns 404 for another principal's webhook and does not deliver", async () => {
    const count = receiver.received.length;
    const res = await shodai.post(`/v0/webhooks/${RECV_ID}/test`).set('X-API-Key', BOB).expect(404);
    shodaiError(res, 'not_found');
    assert.equal(receiver.received.length, count);
  });
});

describe('Shodai authentication and entitlements', () => {
  it('accepts the API key in X-API-Key', async () => {
    await shodai.get('/v0/webhooks').set('X-API-Key', ALICE).expect(200);
  });

  it('accepts the API key as "Authorization: Bearer cns_pk_..."', async () => {
    const res = await shodai.get('/v0/webhooks').set('Authorization', `Bearer ${ALICE}`).expect(200);
    const ids = (res.body as { data: Subscription[] }).data.map((entry) => entry.id);
    assert.ok(ids.includes(RECV_ID));
    await shodai.post(`/v0/webhooks/${RECV_ID}/test`).set('Authorization', `Bearer ${ALICE}`).expect(201);
  });

  it('returns 401 unauthorized when no API key is sent', async () => {
    const res = await shodai.get('/v0/webhooks').expect(401);
    assert.match(shodaiError(res, 'unauthorized').message, /Missing API key/);
    const test = await shodai.post(`/v0/webhooks/${RECV_ID}/test`).expect(401);
    shodaiError(test, 'unauthorized');
  });

  it('returns 401 unauthorized for an unknown API key', async () => {
    const res = await shodai.get('/v0/webhooks').set('X-API-Key', 'cns_pk_unknown').expect(401);
    shodaiError(res, 'unauthorized');
  });

  it('returns 401 for an OAuth/JWT bearer token, which Shodai does not support', async () => {
    const res = await shodai
      .get('/v0/webhooks')
      .set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln')
      .expect(401);
    assert.match(shodaiError(res, 'unauthorized').message, /X-API-Key/);
  });

  it('returns 402 paid_required for a principal whose entitlement is paid_required', async () => {
    const res = await shodai.get('/v0/webhooks').set('X-API-Key', 'cns_pk_demo_paid').expect(402);
    shodaiError(res, 'paid_required');
    const test = await shodai
      .post(`/v0/webhooks/${RECV_ID}/test`)
      .set('X-API-Key', 'cns_pk_demo_paid')
      .expect(402);
    shodaiError(test, 'paid_required');
  });

  it('returns 403 for a blocked principal', async () => {
    const res = await shodai.get('/v0/webhooks').set('X-API-Key', 'cns_pk_demo_blocked').expect(403);
    assert.equal(res.status, 403);
    shodaiError(res, 'blocked');
    const test = await shodai
      .post(`/v0/webhooks/${RECV_ID}/test`)
      .set('X-API-Key', 'cns_pk_demo_blocked')
      .expect(403);
    shodaiError(test, 'blocked');
  });

  it("answers 404 for another principal's webhook on get, update and delete", async () => {
    shodaiError(await shodai.get(`/v0/webhooks/${BOB_ID}`).set('X-API-Key', ALICE).expect(404), 'not_found');
    shodaiError(
      await shodai
        .patch(`/v0/webhooks/${BOB_ID}`)
        .set('X-API-Key', ALICE)
        .send({ status: 'disabled' })
        .expect(404),
      'not_found',
    );
    shodaiError(
      await shodai.delete(`/v0/webhooks/${BOB_ID}`).set('X-API-Key', ALICE).expect(404),
      'not_found',
    );
    const bob = await shodai.get(`/v0/webhooks/${BOB_ID}`).set('X-API-Key', BOB).expect(200);
    assert.equal((bob.body as { data: Subscription }).data.status, 'active');
  });
});

describe('Shodai webhook subscriptions: create, list, get, update, delete', () => {
  async function create(body: object, key = ALICE): Promise<Subscription> {
    const res = await shodai.post('/v0/webhooks').set('X-API-Key', key).send(body).expect(201);
    meta(res);
    return (res.body as { data: Subscription }).data;
  }

  it('creates a subscription answering 201 with its secret, whsec_ and 64 hex digits, only this once', async () => {
    const started = Date.now();
    const created = await create({ url: 'https://hooks.example.com/shodai' });
    assert.match(created.id, /^wh_/);
    assert.match(created.secret ?? '', /^whsec_[0-9a-f]{64}$/);
    assert.equal(created.principalId, 'prn_demo_alice');
    assert.equal(created.createdByApiKeyId, 'key_demo_free');
    assert.equal(created.url, 'https://hooks.example.com/shodai');
    assert.equal(created.status, 'active');
    assert.deepEqual(created.eventTypes, ['agreement.transitioned']);
    assert.deepEqual(created.filters, {});
    assert.equal(created.createdAt, created.updatedAt);
    assert.ok(Date.parse(created.createdAt) >= started - 1000);

    const got = await shodai.get(`/v0/webhooks/${created.id}`).set('X-API-Key', ALICE).expect(200);
    meta(got);
    const shown = (got.body as { data: Subscription }).data;
    assert.equal(shown.secret, undefined);
    const { secret: _secret, ...rest } = created;
    assert.deepEqual(shown, rest);
    const list = await shodai.get('/v0/webhooks?limit=100').set('X-API-Key', ALICE).expect(200);
    for (const entry of (list.body as { data: Subscription[] }).data) assert.equal(entry.secret, undefined);

    const other = await create({ url: 'https://hooks.example.com/shodai' });
    assert.notEqual(other.id, created.id);
    assert.notEqual(other.secret, created.secret);
  });

  it('signs deliveries of a created subscription with the secret from the create answer', async () => {
    const created = await create({ url: `${receiver.url}/shodai/created` });
    const count = receiver.received.length;
    const { result } = await testCall(created.id);
    assert.equal(result.ok, true);
    const delivery = await nextDelivery(count);
    assert.equal(delivery.path, '/shodai/created');
    assert.ok(shodaiSignatureValid(created.secret!, delivery.headers, delivery.rawBody));
  });

  it('keeps the eventTypes and filters given on create', async () => {
    const filters = {
      agreementIds: ['agr_1'],
      templateIds: ['tpl_1', 'tpl_2'],
      inputIds: ['in_1'],
      fromStates: ['draft'],
      toStates: ['signed'],
      ruleIds: ['rule_1'],
    };
    const created = await create({
      url: 'https://hooks.example.com/filtered',
      eventTypes: ['agreement.notification.triggered', 'agreement.transitioned'],
      filters,
    });
    assert.deepEqual(created.eventTypes, ['agreement.notification.triggered', 'agreement.transitioned']);
    assert.deepEqual(created.filters, filters);
  });

  it('uses the default eventTypes when they are null or empty', async () => {
    assert.deepEqual((await create({ url: 'https://h.example.com/a', eventTypes: null })).eventTypes, [
      'agreement.transitioned',
    ]);
    assert.deepEqual((await create({ url: 'https://h.example.com/b', eventTypes: [] })).eventTypes, [
      'agreement.transitioned',
    ]);
  });

  it("lists only the caller's subscriptions, paging with limit, cursor and pageInfo.nextCursor", async () => {
    const all = await shodai.get('/v0/webhooks?limit=100').set('X-API-Key', ALICE).expect(200);
    const allBody = all.body as {
      data: Subscription[];
      pageInfo: { limit: number; nextCursor: string | null; totalCount?: number };
    };
    meta(all);
    const expected = allBody.data.map((entry) => entry.id);
    assert.ok(expected.length >= 4);
    assert.ok(allBody.data.every((entry) => entry.principalId === 'prn_demo_alice'));
    assert.ok(!expected.includes(BOB_ID));
    assert.equal(allBody.pageInfo.limit, 100);
    assert.equal(allBody.pageInfo.nextCursor, null);
    assert.equal(allBody.pageInfo.totalCount, expected.length);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `limit=3${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const res = await shodai.get(`/v0/webhooks?${query}`).set('X-API-Key', ALICE).expect(200);
      const body = res.body as {
        data: Subscription[];
        pageInfo: { limit: number; nextCursor: string | null };
      };
      assert.equal(body.pageInfo.limit, 3);
      assert.ok(body.data.length <= 3);
      seen.push(...body.data.map((entry) => entry.id));
      cursor = body.pageInfo.nextCursor;
      pages += 1;
      assert.ok(pages <= expected.length, 'paging terminates');
    } while (cursor !== null);
    assert.deepEqual(seen, expected);

    const bob = await shodai.get('/v0/webhooks').set('X-API-Key', BOB).expect(200);
    assert.deepEqual(
      (bob.body as { data: Subscription[] }).data.map((entry) => entry.id),
      [BOB_ID],
    );
  });

  it('returns 400 naming query.limit for a limit outside 1..100', async () => {
    for (const limit of ['0', '101', 'many']) {
      const res = await shodai.get(`/v0/webhooks?limit=${limit}`).set('X-API-Key', ALICE).expect(400);
      assert.ok(fieldPaths(shodaiError(res, 'bad_request')).includes('query.limit'), limit);
    }
  });

  it('returns 400 naming query.cursor for a cursor it did not issue', async () => {
    const res = await shodai.get('/v0/webhooks?cursor=garbage').set('X-API-Key', ALICE).expect(400);
    assert.ok(fieldPaths(shodaiError(res, 'bad_request')).includes('query.cursor'));
  });

  it('gets a subscription by id', async () => {
    const res = await shodai.get(`/v0/webhooks/${RECV_ID}`).set('X-API-Key', ALICE).expect(200);
    const data = (res.body as { data: Subscription }).data;
    assert.equal(data.id, RECV_ID);
    assert.equal(data.url, hookUrl);
    assert.equal(data.createdAt, '2026-02-01T10:00:00Z');
    assert.equal(data.secret, undefined);
  });

  it('updates url, eventTypes, filters and status with PATCH, leaving omitted fields as they are', async () => {
    const created = await create({
      url: 'https://hooks.example.com/before',
      eventTypes: ['agreement.notification.triggered'],
      filters: { agreementIds: ['agr_1'] },
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const patch = async (body: object): Promise<Subscription> => {
      const res = await shodai
        .patch(`/v0/webhooks/${created.id}`)
        .set('X-API-Key', ALICE)
        .send(body)
        .expect(200);
      meta(res);
      const data = (res.body as { data: Subscription }).data;
      assert.equal(data.secret, undefined);
      return data;
    };

    const moved = await patch({ url: 'https://hooks.example.com/after' });
    assert.equal(moved.url, 'https://hooks.example.com/after');
    assert.deepEqual(moved.eventTypes, ['agreement.notification.triggered']);
    assert.deepEqual(moved.filters, { agreementIds: ['agr_1'] });
    assert.equal(moved.createdAt, created.createdAt);
    assert.ok(Date.parse(moved.updatedAt) > Date.parse(created.updatedAt));

    const retyped = await patch({
      eventTypes: ['agreement.transitioned', 'agreement.notification.triggered'],
    });
    assert.deepEqual(retyped.eventTypes, ['agreement.transitioned', 'agreement.notification.triggered']);
    assert.equal(retyped.url, 'https://hooks.example.com/after');

    const refiltered = await patch({ filters: { toStates: ['signed'], ruleIds: ['rule_9'] } });
    assert.deepEqual(refiltered.filters, { toStates: ['signed'], ruleIds: ['rule_9'] });

    const reset = await patch({ eventTypes: null });
    assert.deepEqual(reset.eventTypes, ['agreement.transitioned']);

    const disabled = await patch({ status: 'disabled' });
    assert.equal(disabled.status, 'disabled');
    const active = await patch({ status: 'active' });
    assert.equal(active.status, 'active');

    const stored = await shodai.get(`/v0/webhooks/${created.id}`).set('X-API-Key', ALICE).expect(200);
    assert.deepEqual((stored.body as { data: Subscription }).data, active);
  });

  it('returns 400 naming body.status for a status other than active or disabled', async () => {
    const res = await shodai
      .patch(`/v0/webhooks/${RECV_ID}`)
      .set('X-API-Key', ALICE)
      .send({ status: 'paused' })
      .expect(400);
    assert.deepEqual(fieldPaths(shodaiError(res, 'bad_request')), ['body.status']);
  });

  it('returns 404 when patching an unknown subscription', async () => {
    const res = await shodai
      .patch('/v0/webhooks/wh_nope')
      .set('X-API-Key', ALICE)
      .send({ status: 'active' })
      .expect(404);
    shodaiError(res, 'not_found');
  });

  it('disables on DELETE, answering the subscription now disabled; it stays readable and is not delivered to', async () => {
    const created = await create({ url: `${receiver.url}/shodai/deleted` });
    const res = await shodai.delete(`/v0/webhooks/${created.id}`).set('X-API-Key', ALICE).expect(200);
    meta(res);
    const data = (res.body as { data: Subscription }).data;
    assert.equal(data.id, created.id);
    assert.equal(data.status, 'disabled');
    assert.equal(data.secret, undefined);

    const got = await shodai.get(`/v0/webhooks/${created.id}`).set('X-API-Key', ALICE).expect(200);
    assert.equal((got.body as { data: Subscription }).data.status, 'disabled');
    const count = receiver.received.length;
    const { result } = await testCall(created.id);
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', /disabled/);
    assert.equal(receiver.received.length, count);

    const again = await shodai.delete(`/v0/webhooks/${created.id}`).set('X-API-Key', ALICE).expect(200);
    assert.equal((again.body as { data: Subscription }).data.status, 'disabled');
  });

  it('returns 404 when deleting an unknown subscription', async () => {
    shodaiError(await shodai.delete('/v0/webhooks/wh_nope').set('X-API-Key', ALICE).expect(404), 'not_found');
  });
});

describe("Shodai request errors in Shodai's envelope", () => {
  async function createFails(
    body: object | string,
    contentType = 'application/json',
  ): Promise<ErrorBody['error']> {
    const res = await shodai
      .post('/v0/webhooks')
      .set('X-API-Key', ALICE)
      .set('Content-Type', contentType)
      .send(typeof body === 'string' ? body : JSON.stringify(body))
      .expect(400);
    return shodaiError(res, 'bad_request');
  }

  it('returns 400 bad_request naming body.url when url is missing', async () => {
    assert.deepEqual(fieldPaths(await createFails({ eventTypes: ['agreement.transitioned'] })), ['body.url']);
  });

  it('returns 400 bad_request naming body.url for a url that is not a URI', async () => {
    assert.deepEqual(fieldPaths(await createFails({ url: 'not a url' })), ['body.url']);
  });

  it('returns 400 bad_request naming body.url for a URI that is not http(s)', async () => {
    assert.deepEqual(fieldPaths(await createFails({ url: 'mailto:ops@example.com' })), ['body.url']);
  });

  it('returns 400 bad_request naming the event type that is not subscribable', async () => {
    const error = await createFails({ url: 'https://h.example.com', eventTypes: ['webhook.test'] });
    assert.deepEqual(fieldPaths(error), ['body.eventTypes.0']);
  });

  it('returns 400 bad_request naming a filter of the wrong type', async () => {
    const error = await createFails({ url: 'https://h.example.com', filters: { agreementIds: 'agr_1' } });
    assert.deepEqual(fieldPaths(error), ['body.filters.agreementIds']);
  });

  it('returns 400 bad_request naming body.url when url is not a string', async () => {
    assert.ok(fieldPaths(await createFails({ url: 42 })).includes('body.url'));
  });

  it('returns 400 bad_request for malformed JSON', async () => {
    const error = await createFails('{"url": ', 'application/json');
    assert.match(error.message, /JSON/);
    assert.deepEqual(fieldPaths(error), ['body']);
  });

  it('returns 400 bad_request naming body.url when a PATCH sets a url that is not a URI', async () => {
    const res = await shodai
      .patch(`/v0/webhooks/${RECV_ID}`)
      .set('X-API-Key', ALICE)
      .send({ url: 'nope' })
      .expect(400);
    assert.deepEqual(fieldPaths(shodaiError(res, 'bad_request')), ['body.url']);
  });

  it('returns 415 unsupported_media_type naming the content type for a body that is not JSON', async () => {
    const res = await shodai
      .post('/v0/webhooks')
      .set('X-API-Key', ALICE)
      .set('Content-Type', 'text/plain')
      .send('url=https://h.example.com')
      .expect(415);
    assert.deepEqual(fieldPaths(shodaiError(res, 'unsupported_media_type')), ['header.content-type']);
  });

  it('returns 413 payload_too_large for a body over bodyLimitBytes', async () => {
    const res = await shodai
      .post('/v0/webhooks')
      .set('X-API-Key', ALICE)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ url: `https://h.example.com/${'x'.repeat(BODY_LIMIT)}` }))
      .expect(413);
    shodaiError(res, 'payload_too_large');
  });

  it('checks the API key before it reports a validation error', async () => {
    const res = await shodai.post('/v0/webhooks').send({ url: 42 }).expect(401);
    shodaiError(res, 'unauthorized');
  });

  it('returns 404 not_found for an unknown route', async () => {
    const res = await shodai.get('/v0/agreements-of-nobody').set('X-API-Key', ALICE).expect(404);
    shodaiError(res, 'not_found');
  });

  it('returns 405 method_not_allowed for a method the route does not have', async () => {
    const res = await shodai.put(`/v0/webhooks/${RECV_ID}`).set('X-API-Key', ALICE).send({}).expect(405);
    shodaiError(res, 'method_not_allowed');
  });

  it('puts a fresh requestId in every answer, errors included', async () => {
    const ids = [
      meta(await shodai.get('/v0/webhooks').set('X-API-Key', ALICE).expect(200)).requestId,
      meta(await shodai.get('/v0/webhooks').set('X-API-Key', ALICE).expect(200)).requestId,
      meta(await shodai.get(`/v0/webhooks/${RECV_ID}`).set('X-API-Key', ALICE).expect(200)).requestId,
      meta((await testCall(RECV_ID)).res).requestId,
      shodaiError(await shodai.get('/v0/webhooks').expect(401), 'unauthorized').requestId,
      shodaiError(await shodai.get('/v0/webhooks').expect(401), 'unauthorized').requestId,
      shodaiError(await shodai.get('/v0/webhooks/wh_nope').set('X-API-Key', ALICE).expect(404), 'not_found')
        .requestId,
      shodaiError(
        await shodai.get('/v0/webhooks').set('X-API-Key', 'cns_pk_demo_paid').expect(402),
        'paid_required',
      ).requestId,
      (await createFails({})).requestId,
    ];
    assert.equal(new Set(ids).size, ids.length, `request ids repeat: ${ids.join(', ')}`);
  });
});
