#!/usr/bin/env node
// @ts-check
/**
 * `npm run build`: compiles src/ to dist/ with tsc (the library, with its type declarations), compiles the
 * vendored specs to JSON (dist/specs/) and the data files' schemas to code (dist/schemas/), and bundles the command line into dist/cli.js with esbuild, so that
 * `vendor-webhook-mock` loads a handful of files at start-up instead of hundreds. The express app (admin API,
 * inspector, sink) and json-schema-faker stay in chunks of their own, loaded when first used.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function run(script, args) {
  const result = spawnSync(process.execPath, [script, ...args], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// --noEmitOnError: a failed build leaves dist/ as it was, not half new
run(require.resolve('typescript/bin/tsc'), ['-p', path.join(root, 'tsconfig.build.json'), '--noEmitOnError']);
run(path.join(root, 'scripts', 'compile-data.mjs'), []);
run(path.join(root, 'scripts', 'compile-schemas.mjs'), []);
// chunks are named by their content's hash: last build's must not pile up
rmSync(path.join(root, 'dist', 'chunks'), { recursive: true, force: true });
await build({
  entryPoints: [path.join(root, 'src', 'cli.ts')],
  outdir: path.join(root, 'dist'),
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // pino-pretty is loaded only for pretty logs, and from node_modules
  external: ['pino-pretty'],
  // the bundled CommonJS packages call require(); give them Node's
  banner: {
    js: "import { createRequire as __vwmRequire } from 'node:module'; const require = __vwmRequire(import.meta.url);",
  },
  // smaller to read and parse at every start; the source maps keep stack traces readable
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
// the package's bin: `npx vendor-webhook-mock` in this checkout runs it directly (installs chmod it themselves)
chmodSync(path.join(root, 'dist', 'cli.js'), 0o755);
