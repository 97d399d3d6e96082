/**
 * End to end: the built CLI as a real process, real receivers on 127.0.0.1, every vendor's signature checked
 * the way a receiver checks it (jose against the mock's JWKS URL for C1, the HMACs recomputed).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchChecked } from '../support/http.js';
import { fixturesCopy, runCli, startMockProcess } from '../support/process.js';
import type { MockProcess } from '../support/process.js';
import { refusedUrl, startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { shodaiSignatureValid, superOfficeSignatureValid, verifyC1Delivery } from '../support/signatures.js';
import { specFor } from '../support/spec-check.js';

const SHODAI_SECRET = `whsec_${'ab'.repeat(32)}`;
const DELIVERY_TIMEOUT_MS = 500;

const c1Auth = { Authorization: 'Bearer demo-c1-token', 'Content-Type': 'application/json' };
const shodaiAuth = { 'X-API-Key': 'cns_pk_demo_free' };
const soAuth = { Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` };

interface LogLine {
  level?: number;
  msg?: string;
  requestId?: string;
  outcome?: string;
  status?: number;
  urls?: Record<string, string>;
}

/** The JSON lines of the CLI's stdout. */
function jsonLines(stdout: string): LogLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{') && line.endsWith('}'))
    .map((line) => JSON.parse(line) as LogLine);
}

describe('the CLI as a real process', () => {
  let receiver: Receiver;
  let mock: MockProcess;
  let refused: string;

  before(async () => {
    receiver = await startReceiver();
    refused = await refusedUrl();
    const fixtures = await fixturesCopy({
      c1: (text) =>
        `${text}  - id: 2bWkJ8Qv3nYc5hT0dLx9ZfE2E01\n    displayName: e2e\n    url: '${receiver.url}/c1/hook?q=1'\n` +
        `  - id: 2bWkJ8Qv3nYc5hT0dLx9ZfE2E02\n    displayName: e2e refused\n    url: '${refused}'\n`,
      shodai: (text) =>
        `${text}  - id: wh_e2e_1\n    principalId: prn_demo_alice\n    url: '${receiver.url}/shodai'\n    secret: ${SHODAI_SECRET}\n` +
        `  - id: wh_e2e_refused\n    principalId: prn_demo_alice\n    url: '${refused}'\n    secret: ${SHODAI_SECRET}\n`,
    });
    mock = await startMockProcess([
      '--port',
      '0',
      '--fixtures',
      fixtures,
      '--delivery-timeout',
      String(DELIVERY_TIMEOUT_MS),
      // one attempt per delivery: a retry firing seconds later would reach a later test's receiver
      // (retries through a real process: test/e2e/retries.test.ts)
      '--no-retries',
    ]);
  });

  after(async () => {
    await mock.stop();
    await receiver.close();
  });

  it('prints its banner as a JSON line on stdout, with the base URLs, the inspector and the admin API', async () => {
    const banner = jsonLines(mock.stdout()).find((line) => / listening on /.test(String(line.msg)));
    assert.ok(banner, mock.stdout());
    assert.match(
      String(banner.msg),
      /^vendor-webhook-mock \d+\.\d+\.\d+\S* listening on http:\/\/127\.0\.0\.1:\d+$/,
    );
    assert.deepEqual(banner.urls, {
      c1: `${mock.url}/c1`,
      shodai: `${mock.url}/shodai`,
      superoffice: `${mock.url}/superoffice`,
      inspector: `${mock.url}/__inspector/`,
      admin: `${mock.url}/__admin`,
      sink: `${mock.url}/__sink/{name}`,
    });
    assert.equal(mock.stderr(), '', 'nothing on stderr');
    const res = await fetch(`${mock.url}/__admin/health`);
    assert.equal(res.status, 200);
  });

  describe('C1', () => {
    const c1Test = (id: string) =>
      fetchChecked('c1', `${mock.url}/c1`, 'POST', `/api/v1/webhooks/${id}/test`, {
        headers: c1Auth,
        body: '{}',
      });

    for (const [status, expected] of [
      [200, 'WEBHOOK_STATE_SUCCESS'],
      [204, 'WEBHOOK_STATE_SUCCESS'],
      [500, 'WEBHOOK_STATE_ERROR'],
      [410, 'WEBHOOK_STATE_FATAL_ERROR'],
    ] as const) {
      it(`reports ${expected} when the receiver answers ${status}, after a delivery that verifies with the JWKS`, async () => {
        receiver.behave({ kind: 'answer', status, body: status === 204 ? '' : '{"version":"v1"}' });
        const count = receiver.received.length;
        const res = await c1Test('2bWkJ8Qv3nYc5hT0dLx9ZfE2E01');
        assert.equal(res.status, 200);
        const instance = (res.body as { webhook: { state: string; id: string } }).webhook;
        assert.equal(instance.state, expected);
        const [delivery] = (await receiver.waitFor(count + 1)).slice(count);
        assert.equal(delivery!.path, '/c1/hook?q=1');
        const claims = await verifyC1Delivery(
          `${mock.url}/c1/auth/v1/jwks`,
          delivery!.headers,
          delivery!.rawBody,
          {
            audience: '127.0.0.1',
            issuer: new URL(mock.url).host,
            url: `${receiver.url}/c1/hook?q=1`,
          },
        );
        assert.ok(typeof claims.jti === 'string');
        const body = JSON.parse(delivery!.rawBody.toString()) as { webhookId: string; event: string };
        assert.equal(body.webhookId, instance.id);
        assert.equal(delivery!.headers['webhook-id'], instance.id);
        assert.equal(body.event, 'c1.webhooks.v1.PayloadTest');
        assert.deepEqual(
          specFor('c1').checkDelivery(
            'c1.webhooks.v1.PayloadTest',
            delivery!.headers,
            delivery!.rawBody.toString(),
          ),
          [],
        );
      });
    }

    it('waits for the callback after a 202 and accepts that callback URL once', async () => {
      receiver.behave({ kind: 'answer', status: 202, body: '' });
      const count = receiver.received.length;
      const res = await c1Test('2bWkJ8Qv3nYc5hT0dLx9ZfE2E01');
      assert.equal(
        (res.body as { webhook: { state: string } }).webhook.state,
        'WEBHOOK_STATE_WAITING_CALLBACK',
      );
      const [delivery] = (await receiver.waitFor(count + 1)).slice(count);
      const { callbackUrl } = JSON.parse(delivery!.rawBody.toString()) as { callbackUrl: string };
      assert.ok(callbackUrl.startsWith(`${mock.url}/c1/api/v1/webhooks/callback/`));
      assert.equal(delivery!.headers['webhook-callback-url'], callbackUrl);
      const callbackPath = callbackUrl.slice(`${mock.url}/c1`.length);
      const options = { headers: { 'Content-Type': 'application/json' }, body: '{"version":"v1"}' };
      const first = await fetchChecked('c1', `${mock.url}/c1`, 'POST', callbackPath, options);
      assert.equal(first.status, 200);
      const again = await fetchChecked('c1', `${mock.url}/c1`, 'POST', callbackPath, options);
      assert.equal(again.status, 400);
    });

    it('reports an error state when the receiver hangs past the delivery timeout', async () => {
      receiver.behave({ kind: 'hang' });
      const started = performance.now();
      const res = await c1Test('2bWkJ8Qv3nYc5hT0dLx9ZfE2E01');
      assert.equal((res.body as { webhook: { state: string } }).webhook.state, 'WEBHOOK_STATE_ERROR');
      assert.ok(performance.now() - started < DELIVERY_TIMEOUT_MS + 1000);
      receiver.behave({ kind: 'answer', status: 200 });
    });

    it('reports an error state when the receiver refuses the connection', async () => {
      const res = await c1Test('2bWkJ8Qv3nYc5hT0dLx9ZfE2E02');
      assert.equal((res.body as { webhook: { state: string } }).webhook.state, 'WEBHOOK_STATE_ERROR');
    });
  });

  describe('Shodai', () => {
    const shodaiTest = (id: string) =>
      fetchChecked('shodai', `${mock.url}/shodai`, 'POST', `/v0/webhooks/${id}/test`, {
        headers: shodaiAuth,
      });

    for (const status of [200, 500, 410]) {
      it(`answers 201 with ok ${status === 200} when the receiver answers ${status}, after a verifiable delivery`, async () => {
        receiver.behave({ kind: 'answer', status });
        const count = receiver.received.length;
        const res = await shodaiTest('wh_e2e_1');
        assert.equal(res.status, 201);
        const data = (res.body as { data: { ok: boolean; responseStatus?: number; status: string } }).data;
        assert.equal(data.ok, status === 200);
        assert.equal(data.responseStatus, status);
        assert.equal(data.status, status === 200 ? 'succeeded' : 'failed');
        const [delivery] = (await receiver.waitFor(count + 1)).slice(count);
        assert.equal(delivery!.path, '/shodai');
        assert.ok(shodaiSignatureValid(SHODAI_SECRET, delivery!.headers, delivery!.rawBody));
        assert.ok(!shodaiSignatureValid(`${SHODAI_SECRET}0`, delivery!.headers, delivery!.rawBody));
        const body = JSON.parse(delivery!.rawBody.toString()) as { id: string; type: string };
        assert.equal(delivery!.headers['x-shodai-webhook-id'], body.id);
        assert.equal(body.type, 'webhook.test');
        assert.deepEqual(
          specFor('shodai').checkDelivery('webhook.test', delivery!.headers, delivery!.rawBody.toString()),
          [],
        );
      });
    }

    it('answers ok false with the reason when the receiver hangs past the timeout', async () => {
      receiver.behave({ kind: 'hang' });
      const res = await shodaiTest('wh_e2e_1');
      const data = (res.body as { data: { ok: boolean; error?: string } }).data;
      assert.equal(data.ok, false);
      assert.match(data.error ?? '', /timeout/);
      receiver.behave({ kind: 'answer', status: 200 });
    });

    it('answers ok false with the reason when the receiver refuses the connection', async () => {
      const res = await shodaiTest('wh_e2e_refused');
      const data = (res.body as { data: { ok: boolean; error?: string } }).data;
      assert.equal(data.ok, false);
      assert.match(data.error ?? '', /refused/);
    });
  });

  describe('SuperOffice', () => {
    const soTest = (targetUrl: string, secret?: string) =>
      fetchChecked('superoffice', `${mock.url}/superoffice`, 'POST', '/Cust12345/api/v1/Webhook/Test', {
        headers: { ...soAuth, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          Name: 'e2e',
          TargetUrl: targetUrl,
          ...(secret === undefined ? {} : { Secret: secret }),
          Headers: { 'X-Custom': 'c' },
          Properties: { extra: 'property' },
        }),
      });

    it('delivers a test event signed with the secret and reports Success for a 200', async () => {
      receiver.behave({ kind: 'answer', status: 200, body: 'fine' });
      const count = receiver.received.length;
      const res = await soTest(`${receiver.url}/so`, 'so-secret');
      const result = res.body as { Success: boolean; Message: string };
      assert.equal(result.Success, true);
      assert.match(result.Message, /200/);
      const [delivery] = (await receiver.waitFor(count + 1)).slice(count);
      assert.ok(superOfficeSignatureValid('so-secret', delivery!.headers, delivery!.rawBody));
      assert.equal(delivery!.headers['x-custom'], 'c');
      const body = JSON.parse(delivery!.rawBody.toString()) as Record<string, unknown>;
      assert.equal(body.Event, 'test');
      assert.equal(body.ContextIdentifier, 'Cust12345');
      assert.equal(body.extra, 'property');
      assert.deepEqual(
        specFor('superoffice').checkDelivery('test', delivery!.headers, delivery!.rawBody.toString()),
        [],
      );
    });

    it('sends no signature without a secret and reports Success false for a 500', async () => {
      receiver.behave({ kind: 'answer', status: 500, body: 'broken' });
      const count = receiver.received.length;
      const res = await soTest(`${receiver.url}/so`);
      const result = res.body as { Success: boolean; Message: string };
      assert.equal(result.Success, false);
      assert.match(result.Message, /500/);
      assert.match(result.Message, /broken/);
      const [delivery] = (await receiver.waitFor(count + 1)).slice(count);
      assert.equal(delivery!.headers['x-superoffice-signature'], undefined);
      receiver.behave({ kind: 'answer', status: 200 });
    });

    it('reports Success false with the connection error when the target refuses', async () => {
      const res = await soTest(refused);
      const result = res.body as { Success: boolean; Message: string };
      assert.equal(result.Success, false);
      assert.match(result.Message, /refused|ECONNREFUSED/i);
    });
  });

  it('logs one JSON line per request and per delivery, sharing the request id', async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = jsonLines(mock.stdout());
    const deliveries = lines.filter((line) => line.msg === 'delivery');
    const requests = lines.filter((line) => line.msg === 'request');
    assert.ok(deliveries.length >= 10);
    for (const delivery of deliveries) {
      assert.ok(requests.some((request) => request.requestId === delivery.requestId));
    }
  });

  it('logs a delivery the receiver took at info, and a failed one (refused, timed out, 5xx) at warn', () => {
    const deliveries = jsonLines(mock.stdout()).filter((line) => line.msg === 'delivery');
    const levelOf = (line: LogLine): string =>
      line.level === 30 ? 'info' : line.level === 40 ? 'warn' : 'other';
    const taken = deliveries.filter((line) => line.outcome === 'response' && Number(line.status) < 300);
    const failed = deliveries.filter((line) => line.outcome !== 'response' || Number(line.status) >= 300);
    assert.ok(taken.length > 0 && failed.some((line) => line.outcome === 'connection-refused'));
    assert.deepEqual(new Set(taken.map(levelOf)), new Set(['info']));
    assert.deepEqual(new Set(failed.map(levelOf)), new Set(['warn']));
  });

  it('exits with 0 on SIGTERM', async () => {
    assert.equal(await mock.stop('SIGTERM'), 0);
  });
});

describe('CLI start-up', () => {
  it('exits with 0 on SIGINT', async () => {
    const mock = await startMockProcess(['--port', '0', '--log-level', 'silent']);
    assert.equal(await mock.stop('SIGINT'), 0);
  });

  it('uses --public-url for the callback URL and the JWT issuer', async () => {
    const receiver = await startReceiver();
    const fixtures = await fixturesCopy({
      c1: (text) =>
        `${text}  - id: 2bWkJ8Qv3nYc5hT0dLx9ZfE2E03\n    displayName: p\n    url: '${receiver.url}/p'\n`,
    });
    const mock = await startMockProcess(['--fixtures', fixtures, '--log-level', 'silent'], {
      PORT: '0',
      PUBLIC_URL: 'http://mock.example:9999',
    });
    try {
      const res = await fetch(`${mock.url}/c1/api/v1/webhooks/2bWkJ8Qv3nYc5hT0dLx9ZfE2E03/test`, {
        method: 'POST',
        headers: c1Auth,
        body: '{}',
      });
      assert.equal(res.status, 200);
      const [delivery] = await receiver.waitFor(1);
      const body = JSON.parse(delivery!.rawBody.toString()) as { callbackUrl: string };
      assert.ok(body.callbackUrl.startsWith('http://mock.example:9999/c1/api/v1/webhooks/callback/'));
      const token = delivery!.headers.authorization!.split(' ')[1]!;
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iss: string };
      assert.equal(claims.iss, 'mock.example:9999');
    } finally {
      await mock.stop();
      await receiver.close();
    }
  });

  it('refuses to start on a bad fixture file, naming the file, the path and the reason', async () => {
    const fixtures = await fixturesCopy({
      shodai: (text) => text.replace('entitlement: paid_required', 'entitlement: gold'),
    });
    const result = await runCli(['--port', '0', '--fixtures', fixtures]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /shodai\.yaml/);
    assert.match(result.stderr, /entitlement/);
    assert.match(result.stderr, /paid_required|must be equal to one of/);
  });

  it('rejects a bad option value in one line that points at --help, and lists the options on --help', async () => {
    const bad = await runCli(['--port', 'eighty']);
    assert.notEqual(bad.code, 0);
    assert.match(
      bad.stderr,
      /^vendor-webhook-mock: .*port must be an integer.*; see vendor-webhook-mock --help\n$/,
    );
    assert.equal(bad.stdout, '');
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    for (const option of [
      '--port',
      '--host',
      '--fixtures',
      '--public-url',
      '--delivery-timeout',
      '--log-level',
      '--log-format',
      '--version',
    ])
      assert.ok(help.stdout.includes(option), option);
  });
});
