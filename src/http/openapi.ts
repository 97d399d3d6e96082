import { readFileSync } from 'node:fs';
import type { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { OpenAPIBackend } from 'openapi-backend';
import type { Document } from 'openapi-backend';
import { load } from 'js-yaml';

const addFormats = addFormatsModule.default ?? addFormatsModule;

/**
 * The formats our specs use. `duration` is protobuf's JSON duration (`"691200s"`, as C1 sends it), not
 * ISO 8601 as in ajv-formats.
 */
export function addSpecFormats(ajv: Ajv): void {
  addFormats(ajv);
  ajv.addFormat('duration', /^-?\d+(\.\d{1,9})?s$/);
}

/**
 * Reads a vendored spec (YAML). js-yaml rather than `yaml` (which reads the fixtures, for its error positions):
 * the same documents, four times faster, and the specs are most of what start-up parses.
 */
export function readSpec(file: string): Document {
  return load(readFileSync(file, 'utf8')) as Document;
}

/**
 * An openapi-backend instance for one vendored spec: routing and request validation come from the spec.
 * `quick: true` skips openapi-backend's OpenAPI 3.0 meta-validation, which rejects 3.1 documents; the specs are
 * checked as 3.1 documents by their own test instead. Formats (`date-time`, `uri`) are switched on.
 */
export async function createSpecBackend(file: string): Promise<OpenAPIBackend> {
  const api = new OpenAPIBackend({
    definition: readSpec(file),
    quick: true,
    validate: true,
    ajvOpts: { strict: false, allErrors: true },
    customizeAjv: (ajv) => {
      addSpecFormats(ajv as unknown as Ajv);
      return ajv;
    },
  });
  await api.init();
  return api;
}
