/**
 * The package's own YAML data files (the demo fixtures and the built-in scenarios under `fixtures/`), compiled to
 * JSON by `npm run build` (scripts/compile-data.mjs) so that the default start-up parses JSON, not YAML. A file
 * elsewhere (your fixtures folder), or one edited since the build, is read as YAML by the caller.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { packagePath } from './package-root.js';

const SOURCE_DIR = packagePath('fixtures');
const COMPILED_DIR = packagePath('dist', 'fixtures');

/** Where the build puts the JSON copy of a file under `fixtures/`: `dist/fixtures/<same path>.json`. */
export function compiledDataPath(relativeYamlPath: string): string {
  return path.join(COMPILED_DIR, relativeYamlPath.replace(/\.ya?ml$/, '.json'));
}

/**
 * The parsed content of `file` when it is one of the package's data files and its compiled copy is at least as
 * new as it; otherwise undefined (parse the YAML).
 */
export function bundledData(file: string): unknown {
  const relative = path.relative(SOURCE_DIR, path.resolve(file));
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const compiled = compiledDataPath(relative);
  try {
    if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(file).mtimeMs) return undefined;
    return JSON.parse(readFileSync(compiled, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
