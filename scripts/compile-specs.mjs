#!/usr/bin/env node
// @ts-check
/**
 * Compiles the vendored specs (specs/*.yaml) to JSON in dist/specs/, so that the mock parses JSON at start-up
 * rather than YAML (src/core/spec-document.ts). Part of `npm run build`.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'specs');
mkdirSync(out, { recursive: true });
for (const name of readdirSync(path.join(root, 'specs')).filter((file) => /\.ya?ml$/.test(file))) {
  const document = parse(readFileSync(path.join(root, 'specs', name), 'utf8'));
  writeFileSync(path.join(out, `${name.replace(/\.ya?ml$/, '')}.json`), JSON.stringify(document));
}
