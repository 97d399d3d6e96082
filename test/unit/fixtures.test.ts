import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FixtureError, fillPlaceholders, loadFixtureFile } from '../../src/core/fixtures.js';
import { vendors } from '../../src/vendors/index.js';
import { defaultFixturesDir } from '../../src/server.js';

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
    assert.match(error.message, /surprise/);
  });

  it('rejects a value of the wrong kind, naming its path', async () => {
    const error = await reasonsFor(
      'apiKeys:\n  - key: cns_pk_x\n    id: k\n    principalId: p\n    entitlement: gold\nwebhooks: []\n',
    );
    assert.match(error.message, /apiKeys\/0\/entitlement|apiKeys\.0\.entitlement|entitlement/);
  });

  it('rejects broken YAML with the parser reason', async () => {
    const error = await reasonsFor('apiKeys: [\n');
    assert.ok(error.reasons.length > 0);
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
