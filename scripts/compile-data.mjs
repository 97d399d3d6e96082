#!/usr/bin/env node
// @ts-check
/**
 * Compiles the package's YAML to JSON, so that the mock parses JSON at start-up rather than YAML: the vendored
 * specs (specs/*.yaml → dist/specs/, read by src/core/spec-document.ts) and the demo fixtures and built-in
 * scenarios (fixtures/**\/*.yaml → dist/fixtures/, read by src/core/bundled-data.ts). Part of `npm run build`.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every YAML file below `dir`, relative to it. */
function yamlFiles(dir) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => /\.ya?ml$/.test(file));
}

for (const folder of ['specs', 'fixtures']) {
  for (const file of yamlFiles(path.join(root, folder))) {
    const target = path.join(root, 'dist', folder, file.replace(/\.ya?ml$/, '.json'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, JSON.stringify(parse(readFileSync(path.join(root, folder, file), 'utf8'))));
  }
}
