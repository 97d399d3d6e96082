import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { bundledData } from './bundled-data.js';
import { compileSchema, describeSchemaErrors } from './json-schema.js';
import { describeYamlError, firstYamlError } from './yaml-errors.js';

/** A fixture file that cannot be used: the server refuses to start and says where and why. */
export class FixtureError extends Error {
  constructor(
    readonly file: string,
    readonly reasons: string[],
    /** A message of its own when the list form does not fit (a missing folder, a YAML syntax error). */
    message?: string,
  ) {
    super(message ?? `invalid fixture file ${file}:\n${reasons.map((reason) => `  - ${reason}`).join('\n')}`);
    this.name = 'FixtureError';
  }
}

/** `a.yaml, b.yaml and c.yaml`. */
function listing(files: readonly string[]): string {
  return files.length < 2 ? (files[0] ?? '') : `${files.slice(0, -1).join(', ')} and ${files.at(-1)}`;
}

/**
 * Throws a FixtureError when the fixtures folder itself cannot be used (it does not exist, or is a file), naming
 * the files it should hold; the files' own problems are loadFixtureFile's.
 */
export async function checkFixturesFolder(dir: string, files: readonly string[]): Promise<void> {
  const problem = await folderProblem(dir, ` (it should hold ${listing(files)})`);
  if (problem !== undefined) throw problem;
}

async function folderProblem(dir: string, holds: string): Promise<FixtureError | undefined> {
  const folder = path.resolve(dir);
  try {
    if ((await stat(folder)).isDirectory()) return undefined;
    return new FixtureError(
      folder,
      ['not a folder'],
      `the fixtures folder ${folder} is not a folder${holds}`,
    );
  } catch {
    return new FixtureError(
      folder,
      ['does not exist'],
      `the fixtures folder ${folder} does not exist${holds}`,
    );
  }
}

export interface FixtureSource {
  fixtureFile: string;
  fixtureSchema: object;
  /** Checks the schema cannot express (e.g. header names a delivery can send); `path: reason` lines. */
  fixtureProblems?(fixture: unknown): string[];
}

/** Values the fixtures may refer to as `{{name}}`, filled in once the server knows its address. */
export interface FixturePlaceholders {
  /** Base URL of the built-in sink, e.g. http://127.0.0.1:4010/__sink */
  sinkUrl: string;
  publicUrl: string;
}

/** A fixture file's YAML, parsed; unreadable files and syntax errors are FixtureErrors. */
async function readFixtureYaml(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FixtureError(file, [`cannot read: ${(error as Error).message}`]);
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const syntax = firstYamlError(document.errors);
  if (syntax !== undefined) {
    throw new FixtureError(
      file,
      [`line ${syntax.line}, column ${syntax.column}: ${syntax.reason}`],
      describeYamlError(file, syntax),
    );
  }
  return document.toJS() as unknown;
}

/** Reads and validates one vendor's fixture file (the build's JSON copy for the package's demo fixtures). */
export async function loadFixtureFile(dir: string, source: FixtureSource): Promise<unknown> {
  const file = path.join(dir, source.fixtureFile);
  const data = bundledData(file) ?? (await readFixtureYaml(file));
  const validate = compileSchema(source.fixtureSchema);
  if (!validate(data)) throw new FixtureError(file, describeSchemaErrors(validate.errors));
  const problems = source.fixtureProblems?.(data) ?? [];
  if (problems.length > 0) throw new FixtureError(file, problems);
  return data;
}

/** Replaces `{{sinkUrl}}` and `{{publicUrl}}` in every string of a fixture. */
export function fillPlaceholders<T>(data: T, values: FixturePlaceholders): T {
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replaceAll('{{sinkUrl}}', values.sinkUrl).replaceAll('{{publicUrl}}', values.publicUrl);
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item)]));
    }
    return value;
  };
  return fill(data) as T;
}
