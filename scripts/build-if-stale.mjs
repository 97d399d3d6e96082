#!/usr/bin/env node
// @ts-check
/**
 * Builds dist/ (tsc -p tsconfig.build.json) unless it is newer than every source file, so that `npm start` is
 * ready in about a second once the first build is done. Runs as `prepare` (after `npm ci` / `npm install`) and
 * as `prestart`. Does nothing where there is nothing to build from: an installed package or a Docker stage that
 * has not copied src/ yet.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const output = path.join(root, 'dist', 'cli.js');
const inputs = ['src', 'specs', 'fixtures', 'tsconfig.json', 'tsconfig.build.json'].map((name) =>
  path.join(root, name),
);

/** The newest modification time of a file or of any file below a folder. */
function newest(file) {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted or renamed file changes its folder
  for (const entry of readdirSync(file)) latest = Math.max(latest, newest(path.join(file, entry)));
  return latest;
}

function stale() {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return inputs.some((input) => existsSync(input) && newest(input) > built);
}

if (!existsSync(path.join(root, 'src'))) process.exit(0);
if (!stale()) process.exit(0);

try {
  createRequire(import.meta.url).resolve('typescript/bin/tsc');
  createRequire(import.meta.url).resolve('esbuild');
} catch {
  console.error(
    'build-if-stale: dist/ is out of date and the build tools are not installed: run npm ci first',
  );
  process.exit(1);
}
const why = existsSync(output) ? 'src/ changed since the last build' : 'no dist/ yet';
console.error(`build-if-stale: ${why}; building dist/ (scripts/build.mjs)`);
const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
process.exit(result.status ?? 1);
