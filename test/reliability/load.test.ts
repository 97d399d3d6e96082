/**
 * Load without loss: 60 s (LOAD_SECONDS) at 50 connections of Shodai test calls that deliver to a real
 * receiver. Deliveries in the journal = requests the receiver saw = successful test answers; no unhandled
 * rejection, no error answer.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { send } from '../support/fuzz.js';
import { startTestServer } from '../support/server.js';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONNECTIONS = 50;

test(`${SECONDS} s at ${CONNECTIONS} connections of test calls with deliveries: nothing lost`, async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);

  let seen = 0;
  const receiver = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      seen += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const server = await startTestServer(
    {
      webhooks: {
        shodai: [
          {
            id: 'wh_load',
            principalId: 'prn_demo_alice',
            url: receiverUrl,
            secret: `whsec_${'cd'.repeat(32)}`,
          },
        ],
      },
    },
    { journalSize: 1000 },
  );
  let journaled = 0;
  let journaledOk = 0;
  const stop = server.deliveries.subscribe((record) => {
    journaled += 1;
    if (record.outcome.result.kind === 'response' && record.outcome.result.response.status === 200)
      journaledOk += 1;
  });

  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const deadline = performance.now() + SECONDS * 1000;
  let succeeded = 0;
  const failures: string[] = [];
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      try {
        const answer = await send(agent, server.urls.shodai, {
          method: 'POST',
          path: '/v0/webhooks/wh_load/test',
          headers: { 'x-api-key': 'cns_pk_demo_free' },
        });
        const ok = answer.status === 201 && (JSON.parse(answer.text) as { data: { ok: boolean } }).data.ok;
        if (ok) succeeded += 1;
        else if (failures.length < 20) failures.push(`${answer.status} ${answer.text.slice(0, 200)}`);
      } catch (error) {
        if (failures.length < 20) failures.push(String(error));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
    process.stderr.write(
      `# ${succeeded} test calls in ${SECONDS} s (${Math.round(succeeded / SECONDS)}/s); receiver saw ${seen}; journal recorded ${journaled}\n`,
    );
    assert.deepEqual(failures, [], 'failed test calls');
    assert.ok(succeeded > 0);
    assert.equal(journaled, succeeded, 'deliveries in the journal = successful test answers');
    assert.equal(journaledOk, succeeded, 'every journaled delivery got the receiver’s 200');
    assert.equal(seen, succeeded, 'requests the receiver saw = successful test answers');
    assert.ok(server.deliveries.all().length <= 1000, 'the journal stays bounded');
    assert.deepEqual(unhandled, [], 'unhandled rejections');
  } finally {
    stop();
    agent.destroy();
    process.off('unhandledRejection', onUnhandled);
    await server.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});
