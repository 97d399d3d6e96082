/**
 * The build's JSON copies of the package's YAML (the vendored specs, the demo fixtures, the built-in scenarios):
 * what start-up reads instead of the YAML, so each copy must say what its YAML says, and an edited YAML must win
 * over it. Needs the build (`npm test` builds first; `npm ci` builds via `prepare`).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { bundledData, compiledDataPath } from '../../src/core/bundled-data.js';
import { readSpec } from '../../src/core/spec-document.js';
import { repoRoot } from '../support/process.js';

/** Every YAML file under the package's specs/ and fixtures/, relative to the package. */
const yamlFiles = ['specs', 'fixtures'].flatMap((folder) =>
  readdirSync(path.join(repoRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => path.join(folder, file)),
);

describe('the compiled copies of the specs, demo fixtures and built-in scenarios', () => {
  test('every YAML file under specs/ and fixtures/ has a copy that parses to the same data', () => {
    assert.ok(yamlFiles.length >= 13, `only ${yamlFiles.length} data files found`);
    for (const file of yamlFiles) {
      const source = path.join(repoRoot, file);
      assert.ok(existsSync(compiledDataPath(file)), `no compiled copy of ${file}`);
      assert.deepEqual(bundledData(source), parse(readFileSync(source, 'utf8')), file);
    }
  });

  test('a YAML file edited after the build is read as YAML, not from its stale copy', () => {
    const source = path.join(repoRoot, 'fixtures', 'c1.yaml');
    const compiled = compiledDataPath(path.join('fixtures', 'c1.yaml'));
    const { atime, mtime } = statSync(compiled);
    const older = new Date(statSync(source).mtimeMs - 60_000);
    utimesSync(compiled, older, older);
    try {
      assert.equal(bundledData(source), undefined);
    } finally {
      utimesSync(compiled, atime, mtime);
    }
    assert.notEqual(bundledData(source), undefined);
  });

  test('a spec is read from its copy, and reads the same from its YAML', () => {
    const spec = path.join(repoRoot, 'specs', 'shodai.openapi.yaml');
    assert.deepEqual(readSpec(spec), parse(readFileSync(spec, 'utf8')));
  });

  test('files outside the package specs and fixtures folders have no copy', () => {
    assert.equal(
      bundledData(path.join(repoRoot, 'test', 'support', 'fourth-vendor', 'acme.openapi.yaml')),
      undefined,
    );
    assert.equal(bundledData('/tmp/my-fixtures/c1.yaml'), undefined);
  });
});
