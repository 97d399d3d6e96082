/**
 * Vendor actions (VendorDefinition.actions): what a vendor can be told to do besides its API, declared in its
 * own folder and reachable from the admin API — `POST /__admin/vendors/{vendor}/actions/{name}` and the short
 * form `POST /__admin/{vendor}/{name}` — and from `mock.action()`. The made-up fourth vendor's `set-secret`
 * shows that nothing outside a vendor's folder needs to know its actions; C1's `rotate-key` is one of them.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import supertest from 'supertest';
import { MockError } from '../../src/core/errors.js';
import { startMockServer } from '../../src/server/index.js';
import type { MockServer } from '../../src/server/index.js';
import { vendors } from '../../src/vendors/index.js';
import { acme } from '../support/fourth-vendor/index.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { makeFixtures, startTestServer } from '../support/server.js';

interface Problem {
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

describe('vendor actions', () => {
  let receiver: Receiver;
  let mock: MockServer;
  let admin: ReturnType<typeof supertest>;

  before(async () => {
    receiver = await startReceiver();
    const fixturesDir = await makeFixtures();
    await writeFile(
      path.join(fixturesDir, 'acme.yaml'),
      `token: acme-demo\nsecret: fixture-secret\nhooks:\n  hk_1: ${receiver.url}/acme\n`,
    );
    mock = await startMockServer({ port: 0, fixturesDir, vendors: [...vendors, acme] });
    admin = supertest(`${mock.url}/__admin`);
  });
  after(async () => {
    await mock.close();
    await receiver.close();
  });

  /** Pings the Acme hook and returns the signature its delivery carried. */
  async function pingSignature(): Promise<string> {
    const seen = receiver.received.length;
    await fetch(`${mock.url}/acme/hooks/hk_1/ping`, {
      method: 'POST',
      headers: { authorization: 'Token acme-demo' },
    });
    return (await receiver.waitFor(seen + 1))[seen]!.headers['x-acme-signature']!;
  }
  const signedWith = (secret: string): string =>
    createHmac('sha256', secret).update('{"hook":"hk_1","note":"ping"}').digest('hex');

  it('lists each vendor’s actions with a summary, and none for a vendor that declares none', async () => {
    const c1 = (await admin.get('/vendors/c1/actions').expect(200)).body as {
      vendor: string;
      actions: { name: string; summary: string }[];
    };
    assert.equal(c1.vendor, 'c1');
    assert.deepEqual(
      c1.actions.map((action) => action.name),
      ['rotate-key'],
    );
    assert.match(c1.actions[0]!.summary, /signing key/);
    assert.deepEqual((await admin.get('/vendors/shodai/actions').expect(200)).body, {
      vendor: 'shodai',
      actions: [],
    });
    assert.deepEqual(
      mock.actions().map(({ vendor, actions }) => [vendor, actions.map((action) => action.name)]),
      [
        ['c1', ['rotate-key']],
        ['shodai', []],
        ['superoffice', []],
        ['acme', ['set-secret']],
      ],
    );
    const unknown = (await admin.get('/vendors/nope/actions').expect(404)).body as Problem;
    assert.equal(unknown.detail, 'no vendor "nope" is mounted (c1, shodai, superoffice, acme)');
  });

  it('runs an action on the state the vendor’s handlers use, from the long route, the short route and mock.action', async () => {
    assert.equal(await pingSignature(), signedWith('fixture-secret'));
    const long = await admin.post('/vendors/acme/actions/set-secret').send({ secret: 'one' }).expect(200);
    assert.deepEqual(long.body, { secret: 'one' });
    assert.equal(await pingSignature(), signedWith('one'));
    await admin.post('/acme/set-secret').send({ secret: 'two' }).expect(200, { secret: 'two' });
    assert.equal(await pingSignature(), signedWith('two'));
    assert.deepEqual(await mock.action('acme', 'set-secret', { secret: 'three' }), { secret: 'three' });
    assert.equal(await pingSignature(), signedWith('three'));
    await mock.reset();
    assert.equal(
      await pingSignature(),
      signedWith('fixture-secret'),
      'a reset starts again from the fixture',
    );
  });

  it('refuses a body the action cannot use (400, naming the field) and an unknown action or vendor (404)', async () => {
    const refused = (await admin.post('/vendors/acme/actions/set-secret').send({}).expect(400))
      .body as Problem;
    assert.equal(refused.title, 'Action refused');
    assert.deepEqual(refused.errors, [{ field: 'body.secret', message: 'must be a non-empty string' }]);
    const rotateRefused = (await admin.post('/c1/rotate-key').send({ graceMs: 1 }).expect(400))
      .body as Problem;
    assert.equal(rotateRefused.detail, 'rotate-key takes no parameters: send no body, or {}');

    const unknown = (await admin.post('/vendors/acme/actions/nope').expect(404)).body as Problem;
    assert.deepEqual(
      [unknown.title, unknown.detail],
      ['Unknown action', 'acme has no action "nope"; it has "set-secret"'],
    );
    await admin.post('/vendors/nope/actions/set-secret').expect(404);
    await assert.rejects(mock.action('shodai', 'rotate-key'), (error: unknown) => {
      assert.ok(error instanceof MockError);
      assert.equal(error.kind, 'not-found');
      assert.equal(error.message, 'shodai has no action "rotate-key"');
      return true;
    });
  });

  it('has a short route only for each declared action, added after the others: other admin paths answer as before', async () => {
    for (const [method, route] of [
      ['post', '/shodai/rotate-key'],
      ['post', '/acme/nope'],
      ['get', '/c1/rotate-key'],
      ['post', '/c1/rotate-key/now'],
    ] as const) {
      const answer = (await admin[method](route).expect(404)).body as Problem;
      assert.equal(answer.detail, `no admin endpoint ${method.toUpperCase()} /__admin${route}`);
    }
    await admin.post('/reset').expect(200, { status: 'reset' });
    await admin.get('/vendors').expect(200);
    await admin.post('/webhooks/acme/hk_1/test').expect(200);
  });
});

describe('vendor actions behind the admin token', () => {
  it('need the token like every other admin route', async () => {
    const mock = await startTestServer({}, { adminToken: 'actions-token' });
    try {
      const admin = supertest(`${mock.url}/__admin`);
      await admin.post('/c1/rotate-key').expect(401);
      await admin.post('/vendors/c1/actions/rotate-key').expect(401);
      await admin.get('/vendors/c1/actions').expect(401);
      const rotated = await admin
        .post('/c1/rotate-key')
        .set('Authorization', 'Bearer actions-token')
        .expect(200);
      assert.equal(typeof (rotated.body as { kid: unknown }).kid, 'string');
    } finally {
      await mock.close();
    }
  });
});
