import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  FixtureError,
  checkFixturesFolder,
  fillPlaceholders,
  loadFixtureFile,
} from '../../src/core/fixtures.js';
import { vendors } from '../../src/vendors/index.js';
import { defaultFixturesDir } from '../../src/server/index.js';

const shodai = vendors.find((vendor) => vendor.name === 'shodai')!;

async function dirWith(content: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vwm-fixtures-'));
  await writeFile(path.join(dir, 'shodai.yaml'), content);
  return dir;
}

async function reasonsFor(content: string): Promise<FixtureError> {
  const dir = await dirWith(content);
  try {
    await loadFixtureFile(dir, shodai);
  } catch (error) {
    assert.ok(error instanceof FixtureError);
    assert.equal(error.file, path.join(dir, 'shodai.yaml'));
    return error;
  }
  assert.fail('the fixture file was accepted');
}

describe('fixture files', () => {
  it('loads every demo fixture file', async () => {
    for (const vendor of vendors) await loadFixtureFile(defaultFixturesDir, vendor);
  });

  it('rejects an unknown key, naming its path', async () => {
    const error = await reasonsFor('apiKeys: []\nwebhooks: []\nsurprise: 1\n');
    assert.match(error.message, /\(top level\): unknown key "surprise"/);
  });

  it('rejects a value of the wrong kind, naming its path', async () => {
    const error = await reasonsFor(
      'apiKeys:\n  - key: cns_pk_x\n    id: k\n    principalId: p\n    entitlement: gold\nwebhooks: []\n',
    );
    assert.match(error.message, /\/apiKeys\/0\/entitlement: must be equal to one of the allowed values/);
  });

  it('rejects broken YAML with the parser reason', async () => {
    const error = await reasonsFor('apiKeys: [\n');
    assert.ok(error.reasons.length > 0);
  });

  it('reports a YAML syntax error once, as file:line:column and the reason', async () => {
    // one stray bracket makes the parser report a dozen errors; the first is the one to fix
    const error = await reasonsFor(
      'apiKeys:\n  - key: cns_pk_x\n    id: k :\n  - [broken\n    principalId: p\n    entitlement: free_allowlist\nwebhooks: []\n',
    );
    assert.equal(error.message.split('\n').length, 1, error.message);
    assert.match(
      error.message,
      new RegExp(`^${error.file.replaceAll('.', '\\.')}:3:\\d+: YAML syntax error: \\S`),
    );
    assert.equal(error.reasons.length, 1);
  });

  it('says that the fixtures folder does not exist, rather than that c1.yaml is missing', async () => {
    const missing = path.join(tmpdir(), 'vwm-no-such-folder');
    await assert.rejects(checkFixturesFolder(missing, ['c1.yaml', 'shodai.yaml']), (error: unknown) => {
      assert.ok(error instanceof FixtureError);
      assert.equal(
        error.message,
        `the fixtures folder ${missing} does not exist (it should hold c1.yaml and shodai.yaml)`,
      );
      assert.equal(error.message.split('\n').length, 1);
      return true;
    });
  });

  describe('webhook URLs, checked as the API checks them', () => {
    const webhook = (url: string) =>
      `apiKeys: []\nwebhooks:\n  - id: wh_x\n    principalId: p\n    url: '${url}'\n    secret: whsec_${'0'.repeat(64)}\n`;

    for (const url of ['not a url', '/relative/path', 'ftp://example.com/hook', 'sink/demo']) {
      it(`refuses ${JSON.stringify(url)}, naming its path`, async () => {
        const error = await reasonsFor(webhook(url));
        assert.match(error.message, /\/webhooks\/0\/url: must be an absolute http\(s\) URL/);
      });
    }

    for (const url of ['http://localhost:3000/hook', 'https://example.com/hook?q=1', '{{sinkUrl}}/demo']) {
      it(`accepts ${JSON.stringify(url)}`, async () => {
        const dir = await dirWith(webhook(url));
        await loadFixtureFile(dir, shodai);
      });
    }

    it("checks C1 URLs and SuperOffice TargetUrls too, but not a crmscript webhook's", async () => {
      const c1 = vendors.find((vendor) => vendor.name === 'c1')!;
      const superoffice = vendors.find((vendor) => vendor.name === 'superoffice')!;
      const dir = await mkdtemp(path.join(tmpdir(), 'vwm-fixtures-'));
      await writeFile(path.join(dir, 'c1.yaml'), 'webhooks:\n  - id: a\n    displayName: a\n    url: nope\n');
      await assert.rejects(loadFixtureFile(dir, c1), /\/webhooks\/0\/url: must be an absolute/);
      const so = (type: string) =>
        `contextIdentifier: Cust1\nassociates:\n  - associateId: 5\n    name: A\nwebhooks:\n  - webhookId: 1\n    name: a\n    events: []\n    targetUrl: MyScript\n${type}`;
      await writeFile(path.join(dir, 'superoffice.yaml'), so(''));
      await assert.rejects(
        loadFixtureFile(dir, superoffice),
        /\/webhooks\/0\/targetUrl: must be an absolute/,
      );
      await writeFile(path.join(dir, 'superoffice.yaml'), so('    type: crmscript\n'));
      await loadFixtureFile(dir, superoffice);
    });
  });

  it('rejects duplicate keys', async () => {
    const error = await reasonsFor('apiKeys: []\napiKeys: []\nwebhooks: []\n');
    assert.match(error.message, /unique|duplicate/i);
  });

  it('says when the file is missing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vwm-empty-'));
    await assert.rejects(loadFixtureFile(dir, shodai), /cannot read/);
  });

  it('fills {{sinkUrl}} and {{publicUrl}} in nested strings only', () => {
    const filled = fillPlaceholders(
      { a: ['{{sinkUrl}}/x', 3, { b: '{{publicUrl}}/y' }], c: true },
      { sinkUrl: 'http://s', publicUrl: 'http://p' },
    );
    assert.deepEqual(filled, { a: ['http://s/x', 3, { b: 'http://p/y' }], c: true });
  });
});
