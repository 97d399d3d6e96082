/**
 * Shutdown: SIGTERM stops accepting, finishes the calls in flight and their deliveries, and exits 0 within 5 s.
 * Runs the built CLI (`npm run build` first) as a real process.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { fixturesCopy, startMockProcess } from '../support/process.js';

test('SIGTERM: in-flight test calls finish and deliver, new connections are refused, exit 0 within 5 s', async () => {
  // a receiver that takes 1.5 s to answer, so deliveries are on their way when the signal comes
  let received = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }, 1500);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const fixtures = await fixturesCopy({
    shodai: (text) =>
      `${text}\n  - id: wh_slow\n    principalId: prn_demo_alice\n    url: '${receiverUrl}'\n    secret: whsec_${'ef'.repeat(32)}\n`,
  });
  const mock = await startMockProcess(['--port', '0', '--fixtures', fixtures, '--log-level', 'warn']);
  try {
    // an idle keep-alive connection must not hold the shutdown open
    const idle = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) =>
      http
        .get(`${mock.url}/__admin/health`, { agent: idle }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject),
    );

    const calls = Array.from({ length: 5 }, () =>
      fetch(`${mock.url}/shodai/v0/webhooks/wh_slow/test`, {
        method: 'POST',
        headers: { 'x-api-key': 'cns_pk_demo_free' },
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { data: { ok: boolean } },
      })),
    );
    while (received < 5) await new Promise((resolve) => setTimeout(resolve, 10));

    const signalled = performance.now();
    const exited = mock.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // no longer accepting
    await assert.rejects(fetch(`${mock.url}/__admin/health`), 'a new connection after SIGTERM is refused');

    const answers = await Promise.all(calls);
    for (const answer of answers) {
      assert.equal(answer.status, 201);
      assert.equal(answer.body.data.ok, true, 'the delivery in flight completed');
    }
    const code = await exited;
    const tookMs = performance.now() - signalled;
    assert.equal(code, 0, `exit code ${code}; stderr: ${mock.stderr()}`);
    assert.ok(tookMs < 5000, `exited after ${Math.round(tookMs)} ms`);
    idle.destroy();
  } finally {
    await mock.stop('SIGKILL');
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});
