/** Reloading fixture and scenario files: by call and with `watch`, keeping the last good set on a bad edit. */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import supertest from 'supertest';
import { startMockServer } from '../../src/server/index.js';
import { FixtureError } from '../../src/core/fixtures.js';
import { ScenarioError } from '../../src/core/scenario-file.js';
import { makeFixtures } from '../support/server.js';

const ALICE = { 'X-API-Key': 'cns_pk_demo_free' };
const scenario = (status: number): string =>
  `name: watched\nrules:\n  - vendor: shodai\n    operation: listWebhooks\n    respond: { status: ${status} }\n`;

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) assert.fail('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('reloading fixtures and scenarios', () => {
  it('picks up a new webhook and a changed scenario on reload()', async () => {
    const dir = await makeFixtures({ scenarios: { 'watched.yaml': scenario(404) } });
    const server = await startMockServer({ port: 0, fixturesDir: dir });
    try {
      const file = path.join(dir, 'shodai.yaml');
      await writeFile(
        file,
        `${await readFile(file, 'utf8')}  - id: wh_reloaded\n    principalId: prn_demo_alice\n    url: https://example.com/h\n    secret: whsec_${'e'.repeat(64)}\n`,
      );
      await writeFile(path.join(dir, 'scenarios', 'watched.yaml'), scenario(403));
      await server.reload();
      await supertest(server.urls.shodai).get('/v0/webhooks/wh_reloaded').set(ALICE).expect(200);
      server.scenarios.activate('watched');
      await supertest(server.urls.shodai).get('/v0/webhooks').set(ALICE).expect(403);
      assert.equal(server.lastReload()?.ok, true);
    } finally {
      await server.close();
    }
  });

  it('keeps the last good set and says why when an edit breaks a file', async () => {
    const dir = await makeFixtures({ scenarios: { 'watched.yaml': scenario(404) } });
    const server = await startMockServer({ port: 0, fixturesDir: dir, scenarios: ['watched'] });
    try {
      await writeFile(
        path.join(dir, 'scenarios', 'watched.yaml'),
        'rules:\n  - vendor: shodai\n    oops: 1\n',
      );
      await assert.rejects(server.reload(), ScenarioError);
      assert.equal(server.lastReload()?.ok, false);
      assert.match(server.lastReload()?.error ?? '', /watched\.yaml[\s\S]*unknown key "oops"/);
      await supertest(server.urls.shodai).get('/v0/webhooks').set(ALICE).expect(404);

      await writeFile(path.join(dir, 'shodai.yaml'), 'apiKeys: [\n');
      await assert.rejects(server.reload(), FixtureError);
      assert.match(server.lastReload()?.error ?? '', /shodai\.yaml/);
      // the store and the scenario from before are still in place
      await supertest(server.urls.shodai).get('/v0/webhooks/wh_demo_alice_1').set(ALICE).expect(200);
      await supertest(server.urls.shodai).get('/v0/webhooks').set(ALICE).expect(404);
    } finally {
      await server.close();
    }
  });

  it('reloads by itself with watch when a file changes', async () => {
    const dir = await makeFixtures({ scenarios: { 'watched.yaml': scenario(404) } });
    const server = await startMockServer({ port: 0, fixturesDir: dir, watch: true, scenarios: ['watched'] });
    try {
      await supertest(server.urls.shodai).get('/v0/webhooks').set(ALICE).expect(404);
      await writeFile(path.join(dir, 'scenarios', 'watched.yaml'), scenario(403));
      await until(
        async () => (await supertest(server.urls.shodai).get('/v0/webhooks').set(ALICE)).status === 403,
      );
      await writeFile(path.join(dir, 'scenarios', 'watched.yaml'), 'not: [valid');
      await until(() => server.lastReload()?.ok === false);
      await supertest(server.urls.shodai).get('/v0/webhooks').set(ALICE).expect(403);
    } finally {
      await server.close();
    }
  });
});
