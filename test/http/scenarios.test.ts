/**
 * Scenarios and Prefer headers over HTTP: the shipped scenario files, X-Mock-Scenario for one call, rules that
 * match on webhook, credential, header and body, sequences, `times`, latency — asserting on the answer (always
 * checked against the vendor's spec), on the receiver and on the journals.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import supertest from 'supertest';
import type { MockServer } from '../../src/server/index.js';
import { startMockServer } from '../../src/server/index.js';
import { UnknownScenarioError } from '../../src/core/scenario-engine.js';
import { ScenarioError } from '../../src/core/scenario-file.js';
import { vendorAgent } from '../support/http.js';
import type { VendorAgent } from '../support/http.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { makeFixtures, startTestServer } from '../support/server.js';

const C1_HOOK = '2bWkJ8Qv3nYc5hT0dLx9ZfSCN01';
const SHODAI_HOOK = 'wh_scenario_1';
const SHODAI_OTHER_HOOK = 'wh_scenario_2';
const C1_AUTH = { Authorization: 'Bearer demo-c1-token', 'Content-Type': 'application/json' };
const ALICE = { 'X-API-Key': 'cns_pk_demo_free' };
const SO_AUTH = {
  Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}`,
  Accept: 'application/json',
};

const customScenario = `
name: custom
description: Rules that exercise every kind of match.
rules:
  - vendor: shodai
    operation: testWebhook
    match: { webhook: ${SHODAI_OTHER_HOOK}, credential: cns_pk_demo_free }
    times: 1
    latency: 250
    respond: { status: 404 }
  - vendor: c1
    operation: c1.api.webhooks.v1.WebhooksService.Create
    match: { body: { displayName: 'make it fail' }, headers: { X-Team: qa } }
    respond:
      status: 400
      body: { code: 3, message: 'scripted failure', details: [] }
      headers: { X-Scripted: 'yes' }
  - vendor: shodai
    operation: getWebhook
    sequence:
      - respond: { status: 404 }
      - pass: true
      - respond: { status: 403 }
`;

describe('scenarios', () => {
  let server: MockServer;
  let receiver: Receiver;
  let c1: VendorAgent;
  let shodai: VendorAgent;
  let superoffice: VendorAgent;

  before(async () => {
    receiver = await startReceiver();
    server = await startTestServer({
      webhooks: {
        c1: [{ id: C1_HOOK, displayName: 'scenario', url: `${receiver.url}/c1` }],
        shodai: [
          {
            id: SHODAI_HOOK,
            principalId: 'prn_demo_alice',
            url: `${receiver.url}/shodai`,
            secret: `whsec_${'1'.repeat(64)}`,
          },
          {
            id: SHODAI_OTHER_HOOK,
            principalId: 'prn_demo_alice',
            url: `${receiver.url}/shodai2`,
            secret: `whsec_${'2'.repeat(64)}`,
          },
        ],
      },
      scenarios: { 'custom.yaml': customScenario },
    });
    c1 = vendorAgent(server.urls.c1, 'c1');
    shodai = vendorAgent(server.urls.shodai, 'shodai');
    superoffice = vendorAgent(server.urls.superoffice, 'superoffice');
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await server.reset();
    receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
  });

  it('lists the shipped scenarios and the fixture folder’s own', () => {
    const names = server.scenarios.list().map((scenario) => scenario.name);
    for (const name of [
      'shodai-paid-required',
      'shodai-blocked',
      'receiver-down',
      'receiver-slow',
      'flaky-then-ok',
      'c1-async-callback',
      'superoffice-too-many-errors',
      'custom',
    ])
      assert.ok(names.includes(name), name);
  });

  it('flaky-then-ok reports two 503s without contacting the receiver, then delivers for real', async () => {
    server.scenarios.activate('flaky-then-ok');
    const before = receiver.received.length;
    const results = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await shodai.post(`/v0/webhooks/${SHODAI_HOOK}/test`).set(ALICE).expect(201);
      results.push(res.body.data as { ok: boolean; responseStatus?: number });
    }
    assert.deepEqual(
      results.map((result) => [result.ok, result.responseStatus]),
      [
        [false, 503],
        [false, 503],
        [true, 200],
      ],
    );
    assert.equal(receiver.received.length, before + 1);
    const journal = server.deliveries.list({ vendor: 'shodai', webhookId: SHODAI_HOOK });
    assert.deepEqual(
      journal.map((record) => record.simulatedBy ?? null),
      ['flaky-then-ok', 'flaky-then-ok', null],
    );
    // the simulated deliveries are still built and signed: the journal shows what would have been sent
    assert.match(
      journal[0]!.outcome.request.headers['x-shodai-webhook-signature'] ?? '',
      /^sha256=[0-9a-f]{64}$/,
    );
  });

  it('receiver-down makes a C1 test call report an error state, and nothing is sent', async () => {
    server.scenarios.activate('receiver-down');
    const before = receiver.received.length;
    const res = await c1.post(`/api/v1/webhooks/${C1_HOOK}/test`).set(C1_AUTH).send({}).expect(200);
    assert.equal(res.body.webhook.state, 'WEBHOOK_STATE_ERROR');
    assert.equal(receiver.received.length, before);
    const record = server.deliveries.list({ vendor: 'c1' }).at(-1)!;
    assert.equal(record.outcome.result.kind, 'connection-refused');
  });

  it('receiver-down makes a SuperOffice test report Success false with a connection error', async () => {
    server.scenarios.activate('receiver-down');
    const res = await superoffice
      .post('/api/v1/Webhook/Test')
      .set(SO_AUTH)
      .send({ Name: 'x', TargetUrl: `${receiver.url}/so` })
      .expect(200);
    assert.equal(res.body.Success, false);
    assert.match(res.body.Message, /ECONNREFUSED/);
  });

  it('c1-async-callback leaves the C1 test waiting for its callback, which then completes it', async () => {
    server.scenarios.activate('c1-async-callback');
    const res = await c1.post(`/api/v1/webhooks/${C1_HOOK}/test`).set(C1_AUTH).send({}).expect(200);
    assert.equal(res.body.webhook.state, 'WEBHOOK_STATE_WAITING_CALLBACK');
    const record = server.deliveries.list({ vendor: 'c1' }).at(-1)!;
    const { callbackUrl } = JSON.parse(record.outcome.request.body.toString()) as { callbackUrl: string };
    await c1
      .post(callbackUrl.slice(server.urls.c1.length))
      .set('Content-Type', 'application/json')
      .send({ version: 'v1' })
      .expect(200);
  });

  it('receiver-slow adds its latency and reports the receiver’s 200', async () => {
    server.scenarios.activate('receiver-slow');
    const started = performance.now();
    const res = await shodai.post(`/v0/webhooks/${SHODAI_HOOK}/test`).set(ALICE).expect(201);
    assert.ok(performance.now() - started >= 2900);
    assert.equal(res.body.data.ok, true);
  });

  it('superoffice-too-many-errors turns a subscribed webhook to TooManyErrors after nine failed events', async () => {
    server.scenarios.activate('superoffice-too-many-errors');
    for (let i = 0; i < 9; i += 1) {
      await superoffice
        .post(`/api/v1/Webhook/contact.created/${100 + i}`)
        .set(SO_AUTH)
        .send({})
        .expect(204);
    }
    const webhook = await superoffice.get('/api/v1/Webhook/1').set(SO_AUTH).expect(200);
    assert.equal(webhook.body.State, 'TooManyErrors');
    const lastError = await superoffice.get('/api/v1/Webhook/1/LastError').set(SO_AUTH).expect(200);
    assert.match(JSON.stringify(lastError.body), /500/);
    assert.ok(
      server.deliveries
        .list({ vendor: 'superoffice' })
        .every((record) => record.simulatedBy === 'superoffice-too-many-errors'),
    );
  });

  it('shodai-paid-required answers 402 paid_required in Shodai’s envelope on every operation', async () => {
    server.scenarios.activate('shodai-paid-required');
    for (const res of [
      await shodai.get('/v0/webhooks').set(ALICE),
      await shodai.get(`/v0/webhooks/${SHODAI_HOOK}`).set(ALICE),
      await shodai.post(`/v0/webhooks/${SHODAI_HOOK}/test`).set(ALICE),
      await shodai.post('/v0/webhooks').set(ALICE).send({ url: 'https://example.com/h', filters: {} }),
    ]) {
      assert.equal(res.status, 402);
      assert.equal(res.body.error.code, 'paid_required');
    }
    assert.equal(
      server.requests
        .list({ vendor: 'shodai' })
        .every((record) => record.scenario === 'shodai-paid-required'),
      true,
    );
  });

  it('shodai-blocked answers 403', async () => {
    server.scenarios.activate('shodai-blocked');
    await shodai.get('/v0/webhooks').set(ALICE).expect(403);
  });

  it('still asks for credentials first: a scenario does not hide a 401', async () => {
    server.scenarios.activate('shodai-blocked');
    await shodai.get('/v0/webhooks').expect(401);
  });

  it('X-Mock-Scenario applies a scenario to that one call only', async () => {
    await shodai.get('/v0/webhooks').set(ALICE).set('X-Mock-Scenario', 'shodai-blocked').expect(403);
    await shodai.get('/v0/webhooks').set(ALICE).expect(200);
  });

  it('answers an unknown X-Mock-Scenario with our own 400 problem', async () => {
    const res = await supertest(server.urls.shodai)
      .get('/v0/webhooks')
      .set(ALICE)
      .set('X-Mock-Scenario', 'no-such-thing')
      .expect(400)
      .expect('content-type', /application\/problem\+json/);
    assert.match(res.body.detail, /no-such-thing/);
  });

  it('matches webhook and credential, waits the latency, and stops after `times`', async () => {
    server.scenarios.activate('custom');
    const started = performance.now();
    await shodai.post(`/v0/webhooks/${SHODAI_OTHER_HOOK}/test`).set(ALICE).expect(404);
    assert.ok(performance.now() - started >= 240);
    await shodai.post(`/v0/webhooks/${SHODAI_OTHER_HOOK}/test`).set(ALICE).expect(201);
    // another webhook never matched
    await shodai.post(`/v0/webhooks/${SHODAI_HOOK}/test`).set(ALICE).expect(201);
  });

  it('matches a body field and a header, and answers with the scripted body and headers', async () => {
    server.scenarios.activate('custom');
    const body = { displayName: 'make it fail', url: 'https://example.com/h' };
    await c1.post('/api/v1/webhooks').set(C1_AUTH).send(body).expect(200);
    const res = await c1.post('/api/v1/webhooks').set(C1_AUTH).set('X-Team', 'qa').send(body).expect(400);
    assert.equal(res.body.message, 'scripted failure');
    assert.equal(res.headers['x-scripted'], 'yes');
  });

  it('runs a sequence once: 404, then the real answer, then 403, then real answers again', async () => {
    server.scenarios.activate('custom');
    const statuses = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push((await shodai.get(`/v0/webhooks/${SHODAI_HOOK}`).set(ALICE)).status);
    assert.deepEqual(statuses, [404, 200, 403, 200]);
  });

  it('starts a scenario’s counters again when it is activated again', async () => {
    server.scenarios.activate('custom');
    await shodai.get(`/v0/webhooks/${SHODAI_HOOK}`).set(ALICE).expect(404);
    server.scenarios.activate('custom');
    await shodai.get(`/v0/webhooks/${SHODAI_HOOK}`).set(ALICE).expect(404);
  });
});

describe('Prefer headers', () => {
  let server: MockServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('code=NNN answers that status with a vendor-format body, for each vendor', async () => {
    const shodai = await vendorAgent(server.urls.shodai, 'shodai')
      .get('/v0/webhooks')
      .set(ALICE)
      .set('Prefer', 'code=404')
      .expect(404);
    assert.equal(shodai.body.error.code, 'not_found');
    const c1 = await vendorAgent(server.urls.c1, 'c1')
      .get('/api/v1/webhooks')
      .set(C1_AUTH)
      .set('Prefer', 'code=401')
      .expect(401);
    assert.equal(c1.body.code, 16);
    await vendorAgent(server.urls.superoffice, 'superoffice')
      .post('/api/v1/Webhook/Test')
      .set(SO_AUTH)
      .set('Prefer', 'code=401')
      .send({ Name: 'x', TargetUrl: 'https://example.com/h' })
      .expect(401);
  });

  it('code=NNN for a success status sends nothing and answers a spec-valid body', async () => {
    const before = server.deliveries.all().length;
    await vendorAgent(server.urls.shodai, 'shodai')
      .post('/v0/webhooks/wh_demo_alice_1/test')
      .set(ALICE)
      .set('Prefer', 'code=201')
      .expect(201);
    assert.equal(server.deliveries.all().length, before);
  });

  it('dynamic=true answers a generated body that is valid for the spec, for each vendor', async () => {
    for (let i = 0; i < 5; i += 1) {
      await vendorAgent(server.urls.shodai, 'shodai')
        .get('/v0/webhooks')
        .set(ALICE)
        .set('Prefer', 'dynamic=true')
        .expect(200);
      await vendorAgent(server.urls.c1, 'c1')
        .get('/api/v1/webhooks')
        .set(C1_AUTH)
        .set('Prefer', 'dynamic=true')
        .expect(200);
      await vendorAgent(server.urls.c1, 'c1')
        .post('/api/v1/webhooks/2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1/test')
        .set(C1_AUTH)
        .set('Prefer', 'dynamic=true')
        .send({})
        .expect(200);
    }
  });

  it('answers a status the spec does not declare with our own 400 problem', async () => {
    const res = await supertest(server.urls.shodai)
      .get('/v0/webhooks')
      .set(ALICE)
      .set('Prefer', 'code=418')
      .expect(400)
      .expect('content-type', /application\/problem\+json/);
    assert.match(res.body.detail, /does not declare 418/);
  });

  it('answers an unknown example name with our own 400 problem', async () => {
    const res = await supertest(server.urls.shodai)
      .get('/v0/webhooks')
      .set(ALICE)
      .set('Prefer', 'example=nope')
      .expect(400);
    assert.match(res.body.detail, /no such example/);
  });
});

describe('scenario files', () => {
  const bad = async (text: string): Promise<ScenarioError> => {
    const fixturesDir = await makeFixtures({ scenarios: { 'bad.yaml': text } });
    try {
      const server = await startMockServer({ port: 0, fixturesDir });
      await server.close();
    } catch (error) {
      assert.ok(error instanceof ScenarioError, String(error));
      assert.match(error.file, /bad\.yaml$/);
      return error;
    }
    assert.fail('the scenario file was accepted');
  };

  it('reports a YAML syntax error once, as file:line:column and the reason', async () => {
    const error = await bad('name: broken\nrules:\n  - vendor: shodai\n    operation: [testWebhook\n');
    assert.equal(error.message.split('\n').length, 1, error.message);
    assert.match(error.message, /bad\.yaml:\d+:\d+: YAML syntax error: \S/);
  });

  it('rejects an unknown key, naming its path', async () => {
    const error = await bad('rules:\n  - vendor: shodai\n    operation: testWebhook\n    explode: true\n');
    assert.match(error.message, /\/rules\/0: unknown key "explode"/);
  });

  it('rejects an unknown vendor', async () => {
    const error = await bad('rules:\n  - vendor: acme\n    operation: x\n');
    assert.match(error.message, /\/rules\/0\/vendor/);
  });

  it('rejects an operationId the vendor’s spec does not have, listing the known ones', async () => {
    const error = await bad('rules:\n  - vendor: shodai\n    operation: explodeWebhook\n');
    assert.match(error.message, /\/rules\/0\/operation: "explodeWebhook" is not an operationId.*testWebhook/);
  });

  it('rejects a status the operation does not declare', async () => {
    const error = await bad(
      'rules:\n  - vendor: shodai\n    operation: listWebhooks\n    sequence:\n      - pass: true\n      - respond: { status: 418 }\n',
    );
    assert.match(
      error.message,
      /\/rules\/0\/sequence\/1\/respond\/status: listWebhooks does not declare 418/,
    );
  });

  it('rejects a step next to a sequence', async () => {
    const error = await bad(
      'rules:\n  - vendor: shodai\n    operation: listWebhooks\n    respond: { status: 404 }\n    sequence:\n      - pass: true\n',
    );
    assert.match(error.message, /\/rules\/0\/respond: put it inside a step/);
  });

  it('refuses to start with an unknown scenario named at start', async () => {
    await assert.rejects(
      startMockServer({ port: 0, scenarios: ['no-such-scenario'] }),
      (error: unknown) => error instanceof UnknownScenarioError && /no-such-scenario/.test(error.message),
    );
  });
});
