import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deliver, describeResponse } from '../../src/core/delivery.js';
import type { DeliveryOutcome } from '../../src/core/delivery.js';
import { refusedUrl, startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';

const options = { timeoutMs: 300, maxResponseBytes: 1024 };

function post(url: string, body = '{"hello":"world"}'): Promise<DeliveryOutcome> {
  return deliver(
    { url, headers: { 'Content-Type': 'application/json', 'X-Test': 'yes' }, body: Buffer.from(body) },
    options,
  );
}

describe('deliver', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());

  it('sends the exact bytes and headers and keeps the receiver answer', async () => {
    receiver.behave({ kind: 'answer', status: 201, body: 'created', headers: { 'X-Reply': 'r1' } });
    const outcome = await post(`${receiver.url}/hook?x=1`, '{"exact": "bytes" }');
    assert.equal(outcome.result.kind, 'response');
    const sent = receiver.received.at(-1)!;
    assert.equal(sent.method, 'POST');
    assert.equal(sent.path, '/hook?x=1');
    assert.equal(sent.rawBody.toString(), '{"exact": "bytes" }');
    assert.equal(sent.headers['x-test'], 'yes');
    assert.equal(sent.headers['content-length'], '19');
    if (outcome.result.kind !== 'response') return;
    assert.equal(outcome.result.response.status, 201);
    assert.equal(outcome.result.response.body.toString(), 'created');
    assert.equal(outcome.result.response.headers['x-reply'], 'r1');
    assert.equal(outcome.result.response.truncated, false);
    assert.match(describeResponse(outcome.result.response), /^HTTP\/1\.1 201 Created\r\n/);
    assert.match(describeResponse(outcome.result.response), /\r\nX-Reply: r1\r\n[^]*\r\n\r\ncreated$/);
  });

  it('reports a receiver that does not answer in time as a timeout, within the limit', async () => {
    receiver.behave({ kind: 'hang' });
    const started = performance.now();
    const outcome = await post(`${receiver.url}/slow`);
    assert.equal(outcome.result.kind, 'timeout');
    assert.ok(performance.now() - started < options.timeoutMs + 200);
  });

  it('reports a receiver that drips its answer forever as a timeout', async () => {
    receiver.behave({ kind: 'drip', intervalMs: 50 });
    const outcome = await post(`${receiver.url}/drip`);
    assert.equal(outcome.result.kind, 'timeout');
  });

  it('reads at most maxResponseBytes of a huge answer and marks it truncated', async () => {
    receiver.behave({ kind: 'stream', bytes: 50 * 1024 * 1024 });
    const outcome = await post(`${receiver.url}/huge`);
    assert.equal(outcome.result.kind, 'response');
    if (outcome.result.kind !== 'response') return;
    assert.equal(outcome.result.response.body.length, options.maxResponseBytes);
    assert.equal(outcome.result.response.truncated, true);
  });

  it('reports a connection reset as a connection error', async () => {
    receiver.behave({ kind: 'reset' });
    const outcome = await post(`${receiver.url}/reset`);
    assert.equal(outcome.result.kind, 'connection-error');
  });

  it('does not follow redirects', async () => {
    receiver.behave({ kind: 'answer', status: 302, headers: { Location: `${receiver.url}/elsewhere` } });
    const before = receiver.received.length;
    const outcome = await post(`${receiver.url}/moved`);
    assert.equal(outcome.result.kind, 'response');
    if (outcome.result.kind === 'response') assert.equal(outcome.result.response.status, 302);
    assert.equal(receiver.received.length, before + 1);
  });

  it('reports a refused connection', async () => {
    const outcome = await post(await refusedUrl());
    assert.equal(outcome.result.kind, 'connection-refused');
  });

  it('refuses URLs that are not http(s) without sending anything', async () => {
    assert.equal((await post('ftp://127.0.0.1/x')).result.kind, 'invalid-url');
    assert.equal((await post('not a url')).result.kind, 'invalid-url');
  });
});
