/**
 * Receiver faults: a receiver that hangs, refuses, resets mid-answer, answers 5xx or 410, streams 100 MB or
 * drips one byte a second. Each test call answers within the delivery timeout + 100 ms, with the failure in the
 * vendor's own fields, and memory stays bounded.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { MockServer } from '../../src/server/index.js';
import { refusedUrl, startReceiver } from '../support/receiver.js';
import type { Behaviour, Receiver } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';
import { specFor } from '../support/spec-check.js';

const TIMEOUT_MS = 1000;
const SO_AUTH = `Basic ${Buffer.from('demo:demo').toString('base64')}`;

let server: MockServer;
let receiver: Receiver;
let refused: string;

before(async () => {
  receiver = await startReceiver();
  refused = await refusedUrl();
  const secret = `whsec_${'ab'.repeat(32)}`;
  server = await startTestServer(
    {
      webhooks: {
        c1: [
          { id: '2bWkJ8Qv3nYc5hT0dLxRecvr01', displayName: 'receiver', url: `${receiver.url}/c1` },
          { id: '2bWkJ8Qv3nYc5hT0dLxRefus01', displayName: 'refused', url: refused },
        ],
        shodai: [
          { id: 'wh_receiver', principalId: 'prn_demo_alice', url: `${receiver.url}/shodai`, secret },
          { id: 'wh_refused', principalId: 'prn_demo_alice', url: refused, secret },
        ],
      },
    },
    { deliveryTimeoutMs: TIMEOUT_MS },
  );
  // warm up (first calls compile code and make signing keys), so the timings below are the delivery's
  for (const vendor of ['c1', 'shodai', 'superoffice'] as const) await testCall(vendor, '500');
});

after(async () => {
  await server?.close();
  await receiver?.close();
});

type Fault = 'hang' | 'refuse' | 'reset' | '500' | '503' | '410' | 'stream-100mb' | 'drip';

const behaviours: Record<Exclude<Fault, 'refuse'>, Behaviour> = {
  hang: { kind: 'hang' },
  reset: { kind: 'reset' },
  '500': { kind: 'answer', status: 500, body: '{"error":"boom"}' },
  '503': { kind: 'answer', status: 503, body: 'unavailable' },
  '410': { kind: 'answer', status: 410, body: 'gone' },
  'stream-100mb': { kind: 'stream', bytes: 100 * 1024 * 1024 },
  drip: { kind: 'drip', intervalMs: 1000 },
};

interface Answer {
  status: number;
  body: Record<string, unknown>;
  elapsedMs: number;
}

async function testCall(vendor: 'c1' | 'shodai' | 'superoffice', fault: Fault): Promise<Answer> {
  const target = fault === 'refuse';
  let url: string;
  let init: RequestInit;
  let specPath: string;
  if (vendor === 'c1') {
    const id = target ? '2bWkJ8Qv3nYc5hT0dLxRefus01' : '2bWkJ8Qv3nYc5hT0dLxRecvr01';
    specPath = `/api/v1/webhooks/${id}/test`;
    url = `${server.urls.c1}${specPath}`;
    init = {
      method: 'POST',
      headers: { authorization: 'Bearer demo-c1-token', 'content-type': 'application/json' },
      body: '{}',
    };
  } else if (vendor === 'shodai') {
    specPath = `/v0/webhooks/${target ? 'wh_refused' : 'wh_receiver'}/test`;
    url = `${server.urls.shodai}${specPath}`;
    init = { method: 'POST', headers: { 'x-api-key': 'cns_pk_demo_free' } };
  } else {
    specPath = '/api/v1/Webhook/Test';
    url = `${server.urls.superoffice}${specPath}`;
    init = {
      method: 'POST',
      headers: { authorization: SO_AUTH, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        Name: 'fault',
        TargetUrl: target ? refused : `${receiver.url}/so`,
        Secret: 's',
      }),
    };
  }
  const started = performance.now();
  const response = await fetch(url, init);
  const text = await response.text();
  const elapsedMs = performance.now() - started;
  const body = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(
    specFor(vendor).checkResponse(
      'POST',
      specPath,
      response.status,
      response.headers.get('content-type') ?? undefined,
      body,
      text,
    ),
    [],
  );
  return { status: response.status, body, elapsedMs };
}

/** The vendor's failure fields for one fault: [succeeded?, a detail the answer must show]. */
function check(vendor: 'c1' | 'shodai' | 'superoffice', fault: Fault, answer: Answer): void {
  const streamed = fault === 'stream-100mb'; // a 200 whose body is cut off at the read limit: still a 200
  if (vendor === 'c1') {
    assert.equal(answer.status, 200);
    const state = (answer.body.webhook as { state: string }).state;
    const expected = streamed
      ? 'WEBHOOK_STATE_SUCCESS'
      : fault === '410'
        ? 'WEBHOOK_STATE_FATAL_ERROR'
        : 'WEBHOOK_STATE_ERROR';
    assert.equal(state, expected, `${fault}: ${JSON.stringify(answer.body)}`);
  } else if (vendor === 'shodai') {
    assert.equal(answer.status, 201);
    const data = answer.body.data as { ok: boolean; status: string; responseStatus?: number; error?: string };
    assert.equal(data.ok, streamed, `${fault}: ${JSON.stringify(data)}`);
    if (!streamed) assert.equal(data.status, 'failed');
    const expectedError: Partial<Record<Fault, RegExp>> = {
      hang: /^timeout/,
      drip: /^timeout/,
      refuse: /^connection-refused/,
      reset: /^connection-error/,
      '500': /HTTP 500/,
      '503': /HTTP 503/,
      '410': /HTTP 410/,
    };
    if (expectedError[fault] !== undefined) assert.match(data.error ?? '', expectedError[fault]!);
  } else {
    assert.equal(answer.status, 200);
    assert.equal(answer.body.Success, streamed, `${fault}: ${JSON.stringify(answer.body)}`);
    assert.ok(typeof answer.body.Message === 'string' && answer.body.Message !== '');
  }
}

for (const vendor of ['c1', 'shodai', 'superoffice'] as const) {
  for (const fault of ['hang', 'refuse', 'reset', '500', '503', '410', 'stream-100mb', 'drip'] as const) {
    test(`${vendor}: a receiver that ${fault === 'refuse' ? 'refuses connections' : fault} → the vendor's failure fields within the timeout + 100 ms`, async () => {
      if (fault !== 'refuse') receiver.behave(behaviours[fault]);
      const answer = await testCall(vendor, fault);
      check(vendor, fault, answer);
      assert.ok(answer.elapsedMs <= TIMEOUT_MS + 100, `answered after ${Math.round(answer.elapsedMs)} ms`);
      receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
    });
  }
}

test('memory stays bounded: ten 100 MB answers in a row', async () => {
  receiver.behave(behaviours['stream-100mb']);
  await testCall('shodai', 'stream-100mb');
  global.gc?.();
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 10; i += 1) {
    const answer = await testCall('shodai', 'stream-100mb');
    check('shodai', 'stream-100mb', answer);
  }
  const grownMb = (process.memoryUsage().rss - before) / 1024 / 1024;
  assert.ok(grownMb < 64, `RSS grew by ${grownMb.toFixed(1)} MB over ten 100 MB answers`);
  receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
});
