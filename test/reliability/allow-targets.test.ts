/** `--allow-targets`: deliveries only go to allowed hosts; the built-in sink always works. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { targetPolicy } from '../../src/core/target-policy.js';
import { startReceiver } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';
import { runCli } from '../support/process.js';

test('host patterns: exact names, *.domain, ports and :*', () => {
  const policy = targetPolicy(['*.example.com', 'localhost', '127.0.0.1:*', '[::1]:8080', 'api.test:9000']);
  const allowed = (url: string): boolean => policy.refusal(new URL(url)) === undefined;
  assert.ok(allowed('https://hooks.example.com/x'));
  assert.ok(allowed('http://a.b.example.com/x'));
  assert.ok(!allowed('https://example.com/x'), '*.example.com does not match example.com itself');
  assert.ok(!allowed('https://evil-example.com/x'));
  assert.ok(!allowed('https://example.com.evil.net/x'));
  assert.ok(allowed('http://localhost/x'));
  assert.ok(!allowed('http://localhost:8080/x'), 'no port in the pattern: the default port only');
  assert.ok(allowed('http://127.0.0.1:4567/x'));
  assert.ok(!allowed('http://127.0.0.2:4567/x'));
  assert.ok(allowed('http://[::1]:8080/x'));
  assert.ok(!allowed('http://[::1]:8081/x'));
  assert.ok(allowed('http://API.TEST:9000/x'));
  assert.ok(!allowed('http://api.test/x'));
  assert.match(policy.refusal(new URL('http://10.0.0.1/x')) ?? '', /10\.0\.0\.1 is not allowed/);
  assert.throws(() => targetPolicy(['ex*ample.com']), RangeError);
});

test('a disallowed target is a failed delivery (target-not-allowed) and is refused at creation; the sink always works', async () => {
  const receiver = await startReceiver();
  const server = await startTestServer(
    {
      webhooks: {
        shodai: [
          {
            id: 'wh_elsewhere',
            principalId: 'prn_demo_alice',
            url: `${receiver.url}/hook`,
            secret: `whsec_${'12'.repeat(32)}`,
          },
        ],
      },
    },
    { allowTargets: ['*.example.com'] },
  );
  try {
    const key = { 'x-api-key': 'cns_pk_demo_free' };
    const test1 = await fetch(`${server.urls.shodai}/v0/webhooks/wh_elsewhere/test`, {
      method: 'POST',
      headers: key,
    });
    const data = ((await test1.json()) as { data: { ok: boolean; error?: string } }).data;
    assert.equal(data.ok, false);
    assert.match(data.error ?? '', /^target-not-allowed: delivery target 127\.0\.0\.1:\d+ is not allowed/);
    assert.equal(receiver.received.length, 0, 'nothing was sent');
    const record = server.deliveries.list({ webhookId: 'wh_elsewhere' }).at(-1);
    assert.equal(record?.outcome.result.kind, 'target-not-allowed');

    // the demo subscription delivers to the mock's own sink: always allowed
    const demo = await fetch(`${server.urls.shodai}/v0/webhooks/wh_demo_alice_1/test`, {
      method: 'POST',
      headers: key,
    });
    assert.equal(((await demo.json()) as { data: { ok: boolean } }).data.ok, true);

    const created = await fetch(`${server.urls.shodai}/v0/webhooks`, {
      method: 'POST',
      headers: { ...key, 'content-type': 'application/json' },
      body: JSON.stringify({
        url: `${receiver.url}/hook`,
        eventTypes: ['agreement.transitioned'],
        filters: {},
      }),
    });
    assert.equal(created.status, 400);
    assert.match(await created.text(), /not allowed/);
    const c1 = await fetch(`${server.urls.c1}/api/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-c1-token', 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'x', url: 'https://hooks.example.com/c1' }),
    });
    assert.equal(c1.status, 200, 'an allowed host is fine');
  } finally {
    await server.close();
    await receiver.close();
  }
});

test('the CLI refuses an unreadable pattern', async () => {
  const result = await runCli(['--allow-targets', 'exa*mple.com']);
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /invalid target pattern/);
});
