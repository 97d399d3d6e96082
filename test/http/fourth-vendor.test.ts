/**
 * A fourth vendor is one folder and one line: a made-up vendor (test/support/fourth-vendor/) mounted next to
 * the three real ones runs through the same pipeline, delivery engine, scenarios, journals and admin API, with
 * its own spec, credentials, error format and signature — no change to the core, the pipeline or the server.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defineVendor } from '../../src/core/vendor-runtime.js';
import { startMockServer } from '../../src/server/index.js';
import type { MockServer } from '../../src/server/index.js';
import { vendors } from '../../src/vendors/index.js';
import { acme } from '../support/fourth-vendor/index.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { makeFixtures } from '../support/server.js';

const TOKEN = { authorization: 'Token acme-demo' };

describe('a fourth vendor from a folder of its own', () => {
  let receiver: Receiver;
  let mock: MockServer;
  let fixturesDir: string;

  before(async () => {
    receiver = await startReceiver();
    fixturesDir = await makeFixtures({
      scenarios: {
        'acme-down.yaml':
          'name: acme-down\nrules:\n  - vendor: acme\n    operation: pingHook\n    simulate: { status: 503 }\n',
      },
    });
    await writeFile(
      path.join(fixturesDir, 'acme.yaml'),
      `token: acme-demo\nsecret: s3cret\nhooks:\n  hk_1: ${receiver.url}/acme\n`,
    );
    mock = await startMockServer({ port: 0, fixturesDir, vendors: [...vendors, acme] });
  });
  after(async () => {
    await mock.close();
    await receiver.close();
  });

  const call = (method: string, pathBelow: string, headers: Record<string, string> = {}, body?: string) =>
    fetch(`${mock.url}/acme${pathBelow}`, { method, headers, ...(body === undefined ? {} : { body }) });

  it('delivers a signed event through the delivery engine and answers in its own format', async () => {
    const res = await call(
      'POST',
      '/hooks/hk_1/ping',
      { ...TOKEN, 'content-type': 'application/json' },
      '{"note":"hi"}',
    );
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { delivered: true, status: 200 });
    const [received] = await receiver.waitFor(1);
    assert.equal(received!.rawBody.toString(), '{"hook":"hk_1","note":"hi"}');
    const record = mock.deliveries.list({ vendor: 'acme' }).at(-1)!;
    assert.deepEqual(await mock.verifyDelivery(record), {
      verified: true,
      reason: "HMAC-SHA256 of the body with the fixture's secret matches",
    });
    assert.equal(mock.requests.list({ vendor: 'acme' }).at(-1)?.operationId, 'pingHook');
  });

  it('answers every stage’s errors from its own error table', async () => {
    const cases: [Response, number, string][] = [
      [await call('POST', '/hooks/hk_1/ping'), 401, 'unauthenticated'],
      [await call('POST', '/hooks/nope/ping', TOKEN), 400, 'invalid-request'],
      [await call('POST', '/hooks/hk_9/ping', TOKEN), 404, 'not-found'],
      [await call('GET', '/nowhere', TOKEN), 404, 'route-not-found'],
      [await call('DELETE', '/hooks', TOKEN), 405, 'method-not-allowed'],
      [await call('POST', '/hooks/hk_1/archive', TOKEN), 501, 'not-implemented'],
    ];
    for (const [res, status, problem] of cases) {
      assert.equal(res.status, status, problem);
      assert.equal(((await res.json()) as { problem: string }).problem, problem);
    }
  });

  it('is listed by the admin API, and its scenarios, negative deliveries and test button work', async () => {
    const listed = (await (await fetch(`${mock.url}/__admin/vendors`)).json()) as {
      vendors: { name: string }[];
    };
    assert.deepEqual(
      listed.vendors.map((vendor) => vendor.name),
      ['c1', 'shodai', 'superoffice', 'acme'],
    );
    const test = await fetch(`${mock.url}/__admin/webhooks/acme/hk_1/test`, { method: 'POST' });
    assert.equal(((await test.json()) as { response: { status: number } }).response.status, 200);

    const down = await call('POST', '/hooks/hk_1/ping', { ...TOKEN, 'x-mock-scenario': 'acme-down' });
    assert.deepEqual(await down.json(), { delivered: false, status: 503 });
    assert.equal(mock.deliveries.list({ vendor: 'acme' }).at(-1)?.simulatedBy, 'acme-down');

    const tampered = await call('POST', '/hooks/hk_1/ping', { ...TOKEN, 'x-mock-negative': 'tampered-body' });
    assert.equal(tampered.status, 200);
    const record = mock.deliveries.list({ vendor: 'acme' }).at(-1)!;
    assert.equal(record.negative, 'tampered-body');
    assert.equal((await mock.verifyDelivery(record)).verified, false);
  });

  it('refuses to start with a handler for an operation its spec does not have', async () => {
    const broken = defineVendor({
      ...acmeDefinitionWith({ nope: () => ({ status: 200 }) }),
    });
    await assert.rejects(
      startMockServer({ port: 0, fixturesDir, vendors: [...vendors, broken] }),
      /Acme Hooks: handlers for operations its spec \(acme\.openapi\.yaml\) does not have: nope/,
    );
  });
});

/** The Acme vendor's definition with extra handlers (only what `defineVendor` needs to mount it). */
function acmeDefinitionWith(extra: Record<string, () => { status: number }>) {
  return {
    name: 'acme',
    title: 'Acme Hooks',
    label: 'Acme',
    basePath: '/acme',
    specFile: acme.specFile,
    fixtureFile: 'acme.yaml',
    fixtureSchema: acme.fixtureSchema,
    signatureHeader: 'x-acme-signature',
    createState: () => ({}),
    authenticate: () => 'anyone',
    handlers: extra,
    publicHandlers: {},
    formatError: acme.formatError,
  };
}
