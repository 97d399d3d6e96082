/**
 * The package's own YAML files — the vendored specs (`specs/`), the demo fixtures and the built-in scenarios
 * (`fixtures/`) — compiled to JSON by `npm run build` (scripts/compile-data.mjs) at the same path under `dist/`,
 * so that start-up parses JSON, not YAML. A file elsewhere (your fixtures folder, a test's own spec), or one
 * edited since the build, is read as YAML by the caller.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { packagePath, packageRoot } from './package-root.js';

/** The package folders whose YAML the build compiles. */
const COMPILED_FOLDERS = ['specs', 'fixtures'];

/**
 * Where the build puts the JSON copy of a YAML file given by its path in the package (`fixtures/c1.yaml` →
 * `dist/fixtures/c1.json`).
 */
export function compiledDataPath(packageRelativePath: string): string {
  return packagePath('dist', packageRelativePath.replace(/\.ya?ml$/, '.json'));
}

/**
 * The parsed content of `file` when it is one of the package's compiled YAML files and its JSON copy is at least
 * as new as it; otherwise undefined (parse the YAML).
 */
export function bundledData(file: string): unknown {
  const relative = path.relative(packageRoot, path.resolve(file));
  const [folder] = relative.split(path.sep);
  if (relative.startsWith('..') || path.isAbsolute(relative) || !COMPILED_FOLDERS.includes(folder ?? ''))
    return undefined;
  const compiled = compiledDataPath(relative);
  try {
    if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(file).mtimeMs) return undefined;
    return JSON.parse(readFileSync(compiled, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
