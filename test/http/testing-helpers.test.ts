/**
 * `vendor-webhook-mock/testing`: setupMock (a mock in this process) and connectMock (one elsewhere, through the
 * admin API) — reset, expectDelivery and expectNoDelivery, with the same verification as the admin API.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { DeliveryExpectationError, connectMock, setupMock } from '../../src/testing.js';
import type { MockHandle } from '../../src/testing.js';

const ALICE = { 'X-API-Key': 'cns_pk_demo_free' };
const SO_AUTH = {
  authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}`,
  'content-type': 'application/json',
};

interface ShodaiEvent {
  id: string;
  type: string;
}

function shodaiTest(mock: MockHandle, id = 'wh_demo_alice_1', headers: Record<string, string> = {}) {
  return fetch(`${mock.urls.shodai}/v0/webhooks/${id}/test`, {
    method: 'POST',
    headers: { ...ALICE, ...headers },
  });
}

describe('setupMock', () => {
  const mock = setupMock();
  before(() => mock.start());
  afterEach(() => mock.reset());
  after(() => mock.close());

  it('says to start the mock first when it is used before start()', () => {
    const idle = setupMock();
    assert.throws(() => idle.urls, /call mock\.start\(\) in a before\/beforeAll hook first/);
  });

  it('starts on a free port and hands a delivery over parsed, with the answer and the verification', async () => {
    assert.notEqual(new URL(mock.url).port, '4010');
    assert.deepEqual(mock.urls, mock.server.urls);
    const call = await shodaiTest(mock);
    assert.equal(call.status, 201);
    const delivery = await mock.expectDelivery<ShodaiEvent>({
      vendor: 'shodai',
      webhookId: 'wh_demo_alice_1',
    });
    assert.equal(delivery.event, 'webhook.test');
    assert.equal(delivery.body.type, 'webhook.test');
    assert.equal(delivery.headers['x-shodai-webhook-id'], delivery.body.id);
    assert.equal(JSON.parse(delivery.rawBody).id, delivery.body.id);
    assert.equal(delivery.requestId, call.headers.get('x-request-id'));
    assert.equal(delivery.response?.status, 200);
    assert.deepEqual(delivery.verification, {
      verified: true,
      reason:
        "HMAC-SHA256 of timestamp + '.' + body with the subscription's secret matches, and the timestamp is the sending time's",
    });
  });

  it('hands each delivery out once, in order, and says what came when the expected one does not', async () => {
    await shodaiTest(mock);
    await shodaiTest(mock);
    const first = await mock.expectDelivery({ vendor: 'shodai' });
    const second = await mock.expectDelivery({ vendor: 'shodai' });
    assert.notEqual(first.id, second.id);
    await assert.rejects(mock.expectDelivery({ vendor: 'shodai' }, { within: 100 }), (error: unknown) => {
      assert.ok(error instanceof DeliveryExpectationError);
      assert.match(
        error.message,
        /^expected a delivery \(vendor shodai\) within 100 ms, but none came; deliveries so far:/,
      );
      assert.ok(error.message.includes(`shodai wh_demo_alice_1 webhook.test (${second.id})`));
      return true;
    });
  });

  it('waits for a delivery that comes later', async () => {
    const expected = mock.expectDelivery({ vendor: 'c1' }, { within: 3000 });
    setTimeout(() => {
      void fetch(`${mock.urls.c1}/api/v1/webhooks/2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1/test`, {
        method: 'POST',
        headers: { authorization: 'Bearer demo-c1-token', 'content-type': 'application/json' },
        body: '{}',
      });
    }, 100);
    const delivery = await expected;
    assert.equal(delivery.event, 'c1.webhooks.v1.PayloadTest');
    assert.equal(delivery.verification.verified, true, delivery.verification.reason);
  });

  it('matches the event type, and verifies a SuperOffice save’s test POST with the Secret it saved', async () => {
    const saved = await fetch(`${mock.urls.superoffice}/api/v1/Webhook`, {
      method: 'POST',
      headers: SO_AUTH,
      body: JSON.stringify({
        Name: 'helpers',
        Events: ['contact.created'],
        TargetUrl: `${mock.url}/__sink/helpers`,
        Secret: 'helpers-secret',
      }),
    });
    assert.equal(saved.status, 200);
    await fetch(`${mock.urls.superoffice}/api/v1/Webhook/contact.created/42`, {
      method: 'POST',
      headers: SO_AUTH,
      body: '{"name":"Acme"}',
    });
    const event = await mock.expectDelivery({ vendor: 'superoffice', event: 'contact.created' });
    const test = await mock.expectDelivery({ vendor: 'superoffice', event: 'test' });
    assert.equal(test.verification.verified, true, test.verification.reason);
    assert.match(test.verification.reason, /the Secret the save's body carried/);
    assert.ok(event.url.endsWith('/__sink/superoffice-demo') || event.url.endsWith('/__sink/helpers'));
  });

  it('expects no delivery from a disabled subscription, and fails when one comes', async () => {
    await fetch(`${mock.urls.shodai}/v0/webhooks/wh_demo_alice_1`, {
      method: 'PATCH',
      headers: { ...ALICE, 'content-type': 'application/json' },
      body: '{"status":"disabled"}',
    });
    await shodaiTest(mock);
    await mock.expectNoDelivery({ vendor: 'shodai' }, { within: 200 });
    await mock.reset();
    await shodaiTest(mock);
    await assert.rejects(mock.expectNoDelivery({ vendor: 'shodai' }), DeliveryExpectationError);
  });

  it('reports a negative delivery as such', async () => {
    await shodaiTest(mock, 'wh_demo_alice_1', { 'X-Mock-Negative': 'tampered-body' });
    const delivery = await mock.expectDelivery({ vendor: 'shodai' });
    assert.equal(delivery.negative, 'tampered-body');
    assert.equal(delivery.verification.verified, false);
  });
});

describe('connectMock: a mock started elsewhere, through its admin API', () => {
  const local = setupMock({ adminToken: 'helpers-token' });
  let remote: MockHandle;
  before(async () => {
    await local.start();
    remote = connectMock(`${local.url}/`, { adminToken: 'helpers-token' });
  });
  afterEach(() => remote.reset());
  after(() => local.close());

  it('has the same base URLs', () => {
    assert.equal(remote.url, local.url);
    assert.deepEqual(remote.urls, local.server.urls);
  });

  it('expects deliveries and resets the mock', async () => {
    await shodaiTest(remote);
    const delivery = await remote.expectDelivery<ShodaiEvent>({ vendor: 'shodai', event: 'webhook.test' });
    assert.equal(delivery.body.type, 'webhook.test');
    assert.equal(delivery.verification.verified, true);
    await remote.expectNoDelivery({ vendor: 'shodai' }, { within: 100 });
    await remote.reset();
    assert.equal(local.server.deliveries.all().length, 0);
  });

  it('says when the admin token is wrong', async () => {
    await assert.rejects(connectMock(local.url, { adminToken: 'wrong' }).reset(), /401/);
  });
});
