/**
 * The folder this package is installed in (the one holding its package.json, specs/, fixtures/ and
 * inspector/), found by walking up from this module: the same from src/ (tests), dist/ and the bundled CLI.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'vendor-webhook-mock';

function isOurs(dir: string): boolean {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (isOurs(dir)) return dir;
    if (path.dirname(dir) === dir) throw new Error(`${PACKAGE_NAME}: no package.json above ${start}`);
  }
}

export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A file or folder of the package, e.g. `packagePath('specs', 'c1.openapi.yaml')`. */
export function packagePath(...segments: string[]): string {
  return path.join(packageRoot, ...segments);
}
