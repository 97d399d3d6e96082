import { readFileSync } from 'node:fs';
import { packagePath } from './core/package-root.js';

/** This package's version, from its package.json. */
export const packageVersion: string = (
  JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }
).version;
