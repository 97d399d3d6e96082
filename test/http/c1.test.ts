/**
 * HTTP tests of the ConductorOne (C1) webhooks API: the test call with every receiver outcome, CRUD, search,
 * and the error answers. Every answer is checked against specs/c1.openapi.yaml by vendorAgent, every delivery
 * against the spec's webhooks entry.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startMockServer } from '../../src/server/index.js';
import { makeFixtures } from '../support/server.js';
import type { MockServer } from '../../src/server/index.js';
import { vendorAgent } from '../support/http.js';
import type { VendorAgent } from '../support/http.js';
import { refusedUrl, startReceiver } from '../support/receiver.js';
import type { Receiver, ReceivedRequest } from '../support/receiver.js';
import { verifyC1Delivery } from '../support/signatures.js';
import { specFor } from '../support/spec-check.js';

const TOKEN = 'Bearer demo-c1-token';
const TEST_EVENT = 'c1.webhooks.v1.PayloadTest';
const C1_ID = /^[0-9A-Za-z]{27}$/;
const DEMO_ID = '2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1';
const HOOK_ID = '2bWkJ8Qv3nYc5hT0dLx9ZfRmRc1';
const REFUSED_ID = '2bWkJ8Qv3nYc5hT0dLx9ZfRmRc2';
const SHORT_CALLBACK_ID = '2bWkJ8Qv3nYc5hT0dLx9ZfRmRc3';
const BODY_LIMIT = 16 * 1024;

interface Status {
  code: number;
  message: string;
  details: { '@type': string; fieldViolations?: { field: string; description: string }[] }[];
}

interface Instance {
  id: string;
  webhookId: string;
  state: string;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  lastAttemptedAt?: string;
  completedAt?: string;
  expiresAt: string;
  source: { test?: object };
  spec: { destination: string };
}

interface Webhook {
  id: string;
  displayName: string;
  description: string;
  url: string;
  callbackTimeout: string;
  createdAt: string;
  updatedAt: string;
}

/** Field names a google.rpc.Status names in its BadRequest detail. */
function violatedFields(body: Status): string[] {
  return body.details.flatMap((detail) => (detail.fieldViolations ?? []).map((entry) => entry.field));
}

function assertStatus(body: Status, code: number): void {
  assert.equal(body.code, code);
  assert.equal(typeof body.message, 'string');
  assert.ok(body.message.length > 0);
  assert.ok(Array.isArray(body.details));
}

let server: MockServer;
let receiver: Receiver;
let c1: VendorAgent;
let fixturesDir: string;
let hookUrl: string;
let offsetMs = 0;

before(async () => {
  receiver = await startReceiver();
  hookUrl = `${receiver.url}/c1/hook?tenant=acme`;
  fixturesDir = await makeFixtures({
    webhooks: {
      c1: [
        {
          id: HOOK_ID,
          displayName: 'Receiver webhook',
          description: 'Points at the test receiver',
          url: hookUrl,
          createdAt: '2026-02-01T10:00:00Z',
        },
        { id: REFUSED_ID, displayName: 'Refused webhook', url: await refusedUrl() },
        {
          id: SHORT_CALLBACK_ID,
          displayName: 'Short callback webhook',
          url: `${receiver.url}/c1/short`,
          callbackTimeout: '60s',
        },
      ],
    },
  });
  server = await startMockServer({
    port: 0,
    fixturesDir,
    deliveryTimeoutMs: 300,
    bodyLimitBytes: BODY_LIMIT,
    clock: { now: () => new Date(Date.now() + offsetMs) },
  });
  c1 = vendorAgent(server.urls.c1, 'c1');
});

after(async () => {
  await server.close();
  await receiver.close();
  await rm(fixturesDir, { recursive: true, force: true });
});

beforeEach(() => {
  receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
  offsetMs = 0;
});

/** Runs the test call and returns the instance and the delivery the receiver got (if any arrived). */
async function runTest(
  id: string,
  expectDelivery = true,
): Promise<{ instance: Instance; delivery: ReceivedRequest | undefined }> {
  const before = receiver.received.length;
  const res = await c1
    .post(`/api/v1/webhooks/${id}/test`)
    .set('Authorization', TOKEN)
    .send({})
    .expect(200)
    .expect('content-type', /application\/json/);
  const instance = (res.body as { webhook: Instance }).webhook;
  let delivery: ReceivedRequest | undefined;
  if (expectDelivery) {
    const all = await receiver.waitFor(before + 1);
    delivery = all[before];
    assert.ok(delivery);
    assertDeliveryMatchesSpec(delivery);
  }
  return { instance, delivery };
}

function assertDeliveryMatchesSpec(delivery: ReceivedRequest): void {
  assert.deepEqual(
    specFor('c1').checkDelivery(TEST_EVENT, delivery.headers, delivery.rawBody.toString('utf8')),
    [],
  );
}

function callbackPath(callbackUrl: string): string {
  assert.ok(callbackUrl.startsWith(`${server.urls.c1}/api/v1/webhooks/callback/`), callbackUrl);
  return callbackUrl.slice(server.urls.c1.length);
}

describe('C1 test call: POST /api/v1/webhooks/{id}/test', () => {
  it('delivers a signed PayloadTest and answers WEBHOOK_STATE_SUCCESS when the receiver answers 200', async () => {
    const { instance, delivery } = await runTest(HOOK_ID);
    assert.ok(delivery);
    assert.equal(instance.state, 'WEBHOOK_STATE_SUCCESS');
    assert.equal(instance.webhookId, HOOK_ID);
    assert.match(instance.id, C1_ID);
    assert.equal(instance.attempts, 1);
    assert.ok(instance.completedAt);
    assert.ok(instance.lastAttemptedAt);
    assert.deepEqual(instance.source, { test: {} });
    assert.deepEqual(instance.spec, { destination: hookUrl });
    // the callback timeout (default 8 days) sets when the instance expires
    assert.equal(
      Date.parse(instance.expiresAt) - Date.parse(instance.createdAt),
      691200 * 1000,
      'expiresAt is createdAt + callbackTimeout',
    );

    assert.equal(delivery.method, 'POST');
    assert.equal(delivery.path, '/c1/hook?tenant=acme');
    const body = JSON.parse(delivery.rawBody.toString('utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['callbackUrl', 'event', 'payload', 'version', 'webhookId']);
    assert.equal(body.version, 'v1');
    assert.equal(body.event, TEST_EVENT);
    assert.deepEqual(body.payload, { '@type': `type.googleapis.com/${TEST_EVENT}` });
    assert.equal(body.webhookId, instance.id, 'the body webhookId is the delivery (instance) id');
    callbackPath(body.callbackUrl as string);
    assert.match(delivery.headers['content-type'] ?? '', /^application\/json/);
    assert.equal(delivery.headers['webhook-version'], 'v1');
    assert.equal(delivery.headers['webhook-id'], body.webhookId);
    assert.equal(delivery.headers['webhook-event'], TEST_EVENT);
    assert.equal(delivery.headers['webhook-callback-url'], body.callbackUrl);
    assert.match(delivery.headers.authorization ?? '', /^bearer /);

    const claims = await verifyC1Delivery(
      `${server.urls.c1}/auth/v1/jwks`,
      delivery.headers,
      delivery.rawBody,
      { audience: '127.0.0.1', issuer: new URL(server.url).host, url: hookUrl },
    );
    assert.equal(claims.htu, `${receiver.url}/c1/hook`, 'htu is the URL without its query');
    assert.equal(claims.exp! - claims.iat!, 120, 'the token expires two minutes after it is issued');
    assert.equal(claims.iat! - claims.nbf!, 60, 'nbf is one minute before iat');
    assert.equal(typeof claims.jti, 'string');

    const record = server.deliveries.list({ vendor: 'c1', webhookId: HOOK_ID }).at(-1);
    assert.ok(record);
    assert.equal(record.event, TEST_EVENT);
    assert.equal(record.outcome.result.kind, 'response');
  });

  it('gives every delivery a new id and a new callback URL', async () => {
    const first = await runTest(HOOK_ID);
    const second = await runTest(HOOK_ID);
    assert.notEqual(first.instance.id, second.instance.id);
    assert.notEqual(first.delivery?.headers['webhook-id'], second.delivery?.headers['webhook-id']);
    assert.notEqual(
      first.delivery?.headers['webhook-callback-url'],
      second.delivery?.headers['webhook-callback-url'],
    );
  });

  it('answers WEBHOOK_STATE_SUCCESS for a receiver answering another 2xx such as 204', async () => {
    receiver.behave({ kind: 'answer', status: 204 });
    const { instance } = await runTest(HOOK_ID);
    assert.equal(instance.state, 'WEBHOOK_STATE_SUCCESS');
    assert.ok(instance.completedAt);
  });

  it('answers WEBHOOK_STATE_ERROR, not completed, when the receiver answers 500', async () => {
    receiver.behave({ kind: 'answer', status: 500, body: '{"error":"boom"}' });
    const { instance } = await runTest(HOOK_ID);
    assert.equal(instance.state, 'WEBHOOK_STATE_ERROR');
    assert.equal(instance.attempts, 1);
    assert.equal(instance.completedAt, undefined);
  });

  it('answers WEBHOOK_STATE_FATAL_ERROR, completed, when the receiver answers 410 Gone', async () => {
    receiver.behave({ kind: 'answer', status: 410 });
    const { instance } = await runTest(HOOK_ID);
    assert.equal(instance.state, 'WEBHOOK_STATE_FATAL_ERROR');
    assert.ok(instance.completedAt);
  });

  it('answers WEBHOOK_STATE_WAITING_CALLBACK on 202 and accepts one POST to the callback URL', async () => {
    receiver.behave({ kind: 'answer', status: 202, body: '' });
    const { instance, delivery } = await runTest(HOOK_ID);
    assert.equal(instance.state, 'WEBHOOK_STATE_WAITING_CALLBACK');
    assert.equal(instance.completedAt, undefined);
    const callback = callbackPath(delivery!.headers['webhook-callback-url']!);

    // a body without "version": "v1" is refused and does not use the URL up
    const noVersion = await c1.post(callback).send({ complete: {} }).expect(400);
    assertStatus(noVersion.body as Status, 3);
    assert.ok(violatedFields(noVersion.body as Status).includes('body.version'));
    const wrongVersion = await c1.post(callback).send({ version: 'v2' }).expect(400);
    assert.ok(violatedFields(wrongVersion.body as Status).includes('body.version'));
    await c1.post(callback).expect(400);

    // no credentials needed: the token in the URL identifies the delivery
    const done = await c1.post(callback).send({ version: 'v1' }).expect(200);
    assert.deepEqual(done.body, {});

    const again = await c1.post(callback).send({ version: 'v1' }).expect(400);
    assertStatus(again.body as Status, 3);
    assert.match((again.body as Status).message, /already been used/);
  });

  it('refuses a callback after the callback timeout has passed', async () => {
    receiver.behave({ kind: 'answer', status: 202, body: '' });
    const { instance, delivery } = await runTest(SHORT_CALLBACK_ID);
    assert.equal(instance.state, 'WEBHOOK_STATE_WAITING_CALLBACK');
    assert.equal(Date.parse(instance.expiresAt) - Date.parse(instance.createdAt), 60_000);
    offsetMs = 61_000;
    const res = await c1
      .post(callbackPath(delivery!.headers['webhook-callback-url']!))
      .send({ version: 'v1' })
      .expect(400);
    assertStatus(res.body as Status, 3);
    assert.match((res.body as Status).message, /expired/);
  });

  it('refuses an unknown callback URL with 400', async () => {
    const res = await c1.post('/api/v1/webhooks/callback/not-a-token').send({ version: 'v1' }).expect(400);
    assertStatus(res.body as Status, 3);
  });

  it('refuses a callback URL of a delivery that was answered synchronously', async () => {
    const { instance, delivery } = await runTest(HOOK_ID);
    assert.equal(instance.state, 'WEBHOOK_STATE_SUCCESS');
    await c1
      .post(callbackPath(delivery!.headers['webhook-callback-url']!))
      .send({ version: 'v1' })
      .expect(400);
  });

  it('answers WEBHOOK_STATE_ERROR once deliveryTimeoutMs passes while the receiver hangs', async () => {
    receiver.behave({ kind: 'hang' });
    const started = performance.now();
    const { instance } = await runTest(HOOK_ID);
    const elapsed = performance.now() - started;
    assert.equal(instance.state, 'WEBHOOK_STATE_ERROR');
    assert.equal(instance.completedAt, undefined);
    assert.ok(elapsed >= 250 && elapsed < 5000, `answered after ${elapsed} ms`);
    const record = server.deliveries.list({ vendor: 'c1', webhookId: HOOK_ID }).at(-1);
    assert.equal(record?.outcome.result.kind, 'timeout');
  });

  it('answers WEBHOOK_STATE_ERROR when the receiver resets the connection', async () => {
    receiver.behave({ kind: 'reset' });
    const { instance } = await runTest(HOOK_ID);
    assert.equal(instance.state, 'WEBHOOK_STATE_ERROR');
  });

  it('answers WEBHOOK_STATE_ERROR when the connection to the webhook URL is refused', async () => {
    const { instance } = await runTest(REFUSED_ID, false);
    assert.equal(instance.state, 'WEBHOOK_STATE_ERROR');
    assert.equal(instance.webhookId, REFUSED_ID);
    const record = server.deliveries.list({ vendor: 'c1', webhookId: REFUSED_ID }).at(-1);
    assert.equal(record?.outcome.result.kind, 'connection-refused');
  });

  it('returns 404 in google.rpc.Status format for an unknown webhook id, without delivering', async () => {
    const before = receiver.received.length;
    const res = await c1
      .post('/api/v1/webhooks/2bWkJ8Qv3nYc5hT0dLx9ZfRmZZZ/test')
      .set('Authorization', TOKEN)
      .send({})
      .expect(404);
    assertStatus(res.body as Status, 5);
    assert.match((res.body as Status).message, /2bWkJ8Qv3nYc5hT0dLx9ZfRmZZZ/);
    assert.equal(receiver.received.length, before);
  });

  it('returns 401 in google.rpc.Status format without a bearer token', async () => {
    const res = await c1.post(`/api/v1/webhooks/${HOOK_ID}/test`).send({}).expect(401);
    assertStatus(res.body as Status, 16);
  });

  it('returns 400 naming the body when the test request body is not an object', async () => {
    const res = await c1
      .post(`/api/v1/webhooks/${HOOK_ID}/test`)
      .set('Authorization', TOKEN)
      .send([1, 2])
      .expect(400);
    assertStatus(res.body as Status, 3);
    assert.ok(violatedFields(res.body as Status).includes('body'));
  });

  it('returns 415 for a test request body that is not JSON', async () => {
    const res = await c1
      .post(`/api/v1/webhooks/${HOOK_ID}/test`)
      .set('Authorization', TOKEN)
      .set('Content-Type', 'text/plain')
      .send('hello')
      .expect(415);
    assertStatus(res.body as Status, 3);
  });

  it('delivers a test also when the test call has no body at all', async () => {
    const before = receiver.received.length;
    const res = await c1.post(`/api/v1/webhooks/${HOOK_ID}/test`).set('Authorization', TOKEN).expect(200);
    assert.equal((res.body as { webhook: Instance }).webhook.state, 'WEBHOOK_STATE_SUCCESS');
    await receiver.waitFor(before + 1);
  });
});

describe('C1 webhooks: list, create, get, update, delete', () => {
  async function create(body: object): Promise<Webhook> {
    const res = await c1.post('/api/v1/webhooks').set('Authorization', TOKEN).send(body).expect(200);
    return (res.body as { webhook: Webhook }).webhook;
  }

  async function allIds(): Promise<string[]> {
    const res = await c1.get('/api/v1/webhooks?page_size=100').set('Authorization', TOKEN).expect(200);
    return (res.body as { list: Webhook[] }).list.map((webhook) => webhook.id);
  }

  it('lists the fixture webhooks with an empty nextPageToken when all fit on one page', async () => {
    const res = await c1.get('/api/v1/webhooks').set('Authorization', TOKEN).expect(200);
    const body = res.body as { list: Webhook[]; nextPageToken: string };
    const ids = body.list.map((webhook) => webhook.id);
    for (const id of [DEMO_ID, HOOK_ID, REFUSED_ID, SHORT_CALLBACK_ID]) assert.ok(ids.includes(id), id);
    assert.equal(body.nextPageToken, '');
    const demo = body.list.find((webhook) => webhook.id === DEMO_ID);
    assert.equal(demo?.displayName, 'Demo webhook');
    assert.equal(demo?.callbackTimeout, '691200s');
    assert.equal(demo?.createdAt, '2026-01-05T09:00:00Z');
  });

  it('pages with page_size and page_token, each nextPageToken leading to the next page', async () => {
    const expected = await allIds();
    assert.ok(expected.length >= 4);
    const seen: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const query = `page_size=2${token === '' ? '' : `&page_token=${encodeURIComponent(token)}`}`;
      const res = await c1.get(`/api/v1/webhooks?${query}`).set('Authorization', TOKEN).expect(200);
      const body = res.body as { list: Webhook[]; nextPageToken: string };
      assert.ok(body.list.length <= 2);
      seen.push(...body.list.map((webhook) => webhook.id));
      token = body.nextPageToken;
      pages += 1;
      assert.ok(pages <= expected.length, 'paging terminates');
    } while (token !== '');
    assert.deepEqual(seen, expected);
    assert.equal(pages, Math.ceil(expected.length / 2));
  });

  it('returns 400 naming query.page_token for a page token it did not issue', async () => {
    const res = await c1.get('/api/v1/webhooks?page_token=garbage').set('Authorization', TOKEN).expect(400);
    assertStatus(res.body as Status, 3);
    assert.ok(violatedFields(res.body as Status).includes('query.page_token'));
  });

  it('returns 400 naming query.page_size when page_size is not an integer', async () => {
    const res = await c1.get('/api/v1/webhooks?page_size=lots').set('Authorization', TOKEN).expect(400);
    assertStatus(res.body as Status, 3);
    assert.ok(violatedFields(res.body as Status).includes('query.page_size'));
  });

  it('creates a webhook with a new C1-style id and the default 8-day callback timeout', async () => {
    const started = Date.now();
    const webhook = await create({ displayName: 'Created', url: 'https://hooks.example.com/c1' });
    assert.match(webhook.id, C1_ID);
    assert.equal(webhook.displayName, 'Created');
    assert.equal(webhook.description, '');
    assert.equal(webhook.url, 'https://hooks.example.com/c1');
    assert.equal(webhook.callbackTimeout, '691200s');
    assert.equal(webhook.createdAt, webhook.updatedAt);
    assert.ok(Date.parse(webhook.createdAt) >= started - 1000);
    assert.ok((await allIds()).includes(webhook.id));
    const other = await create({ displayName: 'Created', url: 'https://hooks.example.com/c1' });
    assert.notEqual(other.id, webhook.id);
  });

  it('keeps the description and callbackTimeout given on create', async () => {
    const webhook = await create({
      displayName: 'With timeout',
      url: 'https://hooks.example.com/t',
      description: 'one day',
      callbackTimeout: '86400s',
    });
    assert.equal(webhook.description, 'one day');
    assert.equal(webhook.callbackTimeout, '86400s');
  });

  it('gets a webhook by id', async () => {
    const created = await create({ displayName: 'Get me', url: 'https://hooks.example.com/get' });
    const res = await c1.get(`/api/v1/webhooks/${created.id}`).set('Authorization', TOKEN).expect(200);
    assert.deepEqual((res.body as { webhook: Webhook }).webhook, created);
  });

  it('returns 404 in google.rpc.Status format when getting an unknown id', async () => {
    const res = await c1.get('/api/v1/webhooks/2unknownunknownunknownunkno').set('Authorization', TOKEN);
    assert.equal(res.status, 404);
    assertStatus(res.body as Status, 5);
  });

  it('updates only the fields named in updateMask', async () => {
    const created = await create({
      displayName: 'Before',
      url: 'https://hooks.example.com/before',
      description: 'unchanged',
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await c1
      .post(`/api/v1/webhooks/${created.id}`)
      .set('Authorization', TOKEN)
      .send({
        webhook: {
          id: created.id,
          displayName: 'After',
          url: 'https://hooks.example.com/ignored',
          description: 'ignored',
          callbackTimeout: '3600s',
        },
        updateMask: 'displayName',
      })
      .expect(200);
    const updated = (res.body as { webhook: Webhook }).webhook;
    assert.equal(updated.displayName, 'After');
    assert.equal(updated.url, created.url);
    assert.equal(updated.description, 'unchanged');
    assert.equal(updated.callbackTimeout, created.callbackTimeout);
    assert.equal(updated.createdAt, created.createdAt);
    assert.ok(Date.parse(updated.updatedAt) > Date.parse(created.updatedAt));

    const second = await c1
      .post(`/api/v1/webhooks/${created.id}`)
      .set('Authorization', TOKEN)
      .send({
        webhook: { url: 'https://hooks.example.com/after', description: 'new', displayName: 'ignored' },
        updateMask: 'url,description',
      })
      .expect(200);
    const twice = (second.body as { webhook: Webhook }).webhook;
    assert.equal(twice.displayName, 'After');
    assert.equal(twice.url, 'https://hooks.example.com/after');
    assert.equal(twice.description, 'new');

    const stored = await c1.get(`/api/v1/webhooks/${created.id}`).set('Authorization', TOKEN).expect(200);
    assert.deepEqual((stored.body as { webhook: Webhook }).webhook, twice);
  });

  it('applies every field sent when updateMask is empty', async () => {
    const created = await create({ displayName: 'No mask', url: 'https://hooks.example.com/nomask' });
    const res = await c1
      .post(`/api/v1/webhooks/${created.id}`)
      .set('Authorization', TOKEN)
      .send({ webhook: { displayName: 'Renamed', callbackTimeout: '7200s' } })
      .expect(200);
    const updated = (res.body as { webhook: Webhook }).webhook;
    assert.equal(updated.displayName, 'Renamed');
    assert.equal(updated.callbackTimeout, '7200s');
    assert.equal(updated.url, created.url);
  });

  it('returns 400 naming body.updateMask when the mask names a field that cannot be updated', async () => {
    const created = await create({ displayName: 'Mask', url: 'https://hooks.example.com/mask' });
    const res = await c1
      .post(`/api/v1/webhooks/${created.id}`)
      .set('Authorization', TOKEN)
      .send({ webhook: { id: 'other' }, updateMask: 'id' })
      .expect(400);
    assertStatus(res.body as Status, 3);
    assert.ok(violatedFields(res.body as Status).includes('body.updateMask'));
  });

  it('returns 400 naming body.webhook.url when an update sets a URL that is not absolute', async () => {
    const created = await create({ displayName: 'Bad update', url: 'https://hooks.example.com/bad' });
    const res = await c1
      .post(`/api/v1/webhooks/${created.id}`)
      .set('Authorization', TOKEN)
      .send({ webhook: { url: 'not a url' }, updateMask: 'url' })
      .expect(400);
    assert.ok(violatedFields(res.body as Status).includes('body.webhook.url'));
    const stored = await c1.get(`/api/v1/webhooks/${created.id}`).set('Authorization', TOKEN).expect(200);
    assert.equal((stored.body as { webhook: Webhook }).webhook.url, created.url);
  });

  it('returns 404 when updating an unknown id', async () => {
    const res = await c1
      .post('/api/v1/webhooks/2unknownunknownunknownunkno')
      .set('Authorization', TOKEN)
      .send({ webhook: { displayName: 'x' }, updateMask: 'displayName' })
      .expect(404);
    assertStatus(res.body as Status, 5);
  });

  it('deletes a webhook, after which Get, Test and Delete answer 404 and List leaves it out', async () => {
    const created = await create({ displayName: 'Delete me', url: hookUrl });
    const res = await c1
      .delete(`/api/v1/webhooks/${created.id}`)
      .set('Authorization', TOKEN)
      .send({})
      .expect(200);
    assert.deepEqual(res.body, {});
    await c1.get(`/api/v1/webhooks/${created.id}`).set('Authorization', TOKEN).expect(404);
    const before = receiver.received.length;
    const test = await c1
      .post(`/api/v1/webhooks/${created.id}/test`)
      .set('Authorization', TOKEN)
      .send({})
      .expect(404);
    assertStatus(test.body as Status, 5);
    assert.equal(receiver.received.length, before);
    await c1.delete(`/api/v1/webhooks/${created.id}`).set('Authorization', TOKEN).expect(404);
    assert.ok(!(await allIds()).includes(created.id));
  });
});

describe('C1 webhook search: POST /api/v1/search/webhooks', () => {
  async function search(body: object): Promise<{ list: Webhook[]; nextPageToken: string }> {
    const res = await c1.post('/api/v1/search/webhooks').set('Authorization', TOKEN).send(body).expect(200);
    return res.body as { list: Webhook[]; nextPageToken: string };
  }

  it('matches the query against display names and descriptions, ignoring case', async () => {
    const byName = await search({ query: 'RECEIVER webhook' });
    assert.deepEqual(
      byName.list.map((webhook) => webhook.id),
      [HOOK_ID],
    );
    const byDescription = await search({ query: 'built-in sink' });
    assert.deepEqual(
      byDescription.list.map((webhook) => webhook.id),
      [DEMO_ID],
    );
    const none = await search({ query: 'no webhook is called this' });
    assert.deepEqual(none.list, []);
    assert.equal(none.nextPageToken, '');
  });

  it('restricts the results to refs when refs are given', async () => {
    const result = await search({ refs: [{ id: DEMO_ID }, { id: REFUSED_ID }] });
    assert.deepEqual(result.list.map((webhook) => webhook.id).sort(), [DEMO_ID, REFUSED_ID].sort());
    const both = await search({ refs: [{ id: DEMO_ID }, { id: REFUSED_ID }], query: 'refused' });
    assert.deepEqual(
      both.list.map((webhook) => webhook.id),
      [REFUSED_ID],
    );
  });

  it('pages with pageSize and pageToken', async () => {
    const all = (await search({ pageSize: 100 })).list.map((webhook) => webhook.id);
    const seen: string[] = [];
    let pageToken = '';
    do {
      const page = await search({ pageSize: 3, ...(pageToken === '' ? {} : { pageToken }) });
      assert.ok(page.list.length <= 3);
      seen.push(...page.list.map((webhook) => webhook.id));
      pageToken = page.nextPageToken;
    } while (pageToken !== '');
    assert.deepEqual(seen, all);
  });

  it('returns 400 naming body.pageToken for a page token it did not issue', async () => {
    const res = await c1
      .post('/api/v1/search/webhooks')
      .set('Authorization', TOKEN)
      .send({ pageToken: 'garbage' })
      .expect(400);
    assert.ok(violatedFields(res.body as Status).includes('body.pageToken'));
  });

  it('returns 400 naming body.refs when refs is not a list', async () => {
    const res = await c1
      .post('/api/v1/search/webhooks')
      .set('Authorization', TOKEN)
      .send({ refs: 'all' })
      .expect(400);
    assertStatus(res.body as Status, 3);
    assert.ok(violatedFields(res.body as Status).includes('body.refs'));
  });
});

describe('C1 request errors', () => {
  async function createFails(body: object, status = 400): Promise<Status> {
    const res = await c1.post('/api/v1/webhooks').set('Authorization', TOKEN).send(body).expect(status);
    const error = res.body as Status;
    assertStatus(error, 3);
    assert.equal(error.details[0]?.['@type'], 'type.googleapis.com/google.rpc.BadRequest');
    return error;
  }

  it('returns 400 naming body.url for a URL that is not absolute', async () => {
    const error = await createFails({ displayName: 'x', url: 'not a url' });
    assert.deepEqual(violatedFields(error), ['body.url']);
  });

  it('returns 400 naming body.url for a URL that is not http(s)', async () => {
    const error = await createFails({ displayName: 'x', url: 'ftp://files.example.com/hook' });
    assert.deepEqual(violatedFields(error), ['body.url']);
  });

  it('returns 400 naming the missing required fields', async () => {
    const error = await createFails({});
    assert.deepEqual(violatedFields(error).sort(), ['body.displayName', 'body.url']);
  });

  it('returns 400 naming each field of the wrong type', async () => {
    const error = await createFails({ displayName: 42, url: ['https://x.example.com'] });
    assert.deepEqual(violatedFields(error).sort(), ['body.displayName', 'body.url']);
  });

  it('returns 400 naming body.callbackTimeout for a duration that is not "<n>s"', async () => {
    const error = await createFails({
      displayName: 'x',
      url: 'https://x.example.com',
      callbackTimeout: '8d',
    });
    assert.deepEqual(violatedFields(error), ['body.callbackTimeout']);
  });

  it('returns 400 for malformed JSON', async () => {
    const res = await c1
      .post('/api/v1/webhooks')
      .set('Authorization', TOKEN)
      .set('Content-Type', 'application/json')
      .send('{"displayName": "x",')
      .expect(400);
    assertStatus(res.body as Status, 3);
    assert.match((res.body as Status).message, /JSON/);
    assert.deepEqual(violatedFields(res.body as Status), ['body']);
  });

  it('returns 415 for a body that is not application/json', async () => {
    const res = await c1
      .post('/api/v1/webhooks')
      .set('Authorization', TOKEN)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('displayName=x&url=https://x.example.com')
      .expect(415);
    assertStatus(res.body as Status, 3);
    assert.match((res.body as Status).message, /application\/json/);
  });

  it('returns 413 for a body over bodyLimitBytes', async () => {
    const res = await c1
      .post('/api/v1/webhooks')
      .set('Authorization', TOKEN)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ displayName: 'x'.repeat(BODY_LIMIT), url: 'https://x.example.com' }))
      .expect(413);
    assertStatus(res.body as Status, 8);
  });

  it('returns 404 in google.rpc.Status format for an unknown route', async () => {
    const res = await c1.get('/api/v1/nothing-here').set('Authorization', TOKEN).expect(404);
    assertStatus(res.body as Status, 5);
  });

  it('returns 405 in google.rpc.Status format for a method the route does not have', async () => {
    const res = await c1.put('/api/v1/webhooks').set('Authorization', TOKEN).send({}).expect(405);
    assertStatus(res.body as Status, 12);
  });

  it('checks credentials before it reports a validation error', async () => {
    const res = await c1.post('/api/v1/webhooks').send({ displayName: 42 }).expect(401);
    assertStatus(res.body as Status, 16);
  });

  it('sends x-request-id on every answer, errors included', async () => {
    const ok = await c1.get('/api/v1/webhooks').set('Authorization', TOKEN).expect(200);
    const error = await c1.get('/api/v1/webhooks/nope').set('Authorization', TOKEN).expect(404);
    assert.match(String(ok.headers['x-request-id']), /^req_/);
    assert.match(String(error.headers['x-request-id']), /^req_/);
    assert.notEqual(ok.headers['x-request-id'], error.headers['x-request-id']);
  });
});
