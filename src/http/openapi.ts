import { readFileSync } from 'node:fs';
import type { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { OpenAPIBackend } from 'openapi-backend';
import type { Document } from 'openapi-backend';
import { load } from 'js-yaml';

const addFormats = addFormatsModule.default ?? addFormatsModule;

const UINT64_MAX = 2n ** 64n - 1n;

/**
 * The formats our specs use. `duration` is protobuf's JSON duration (`"691200s"`, as C1 sends it), not
 * ISO 8601 as in ajv-formats. C1's messages also use protobuf's `uint32` (a JSON number), `uint64` (a decimal
 * string in protobuf JSON) and `base64` (bytes); without them Ajv warns of unknown formats on every compile.
 */
export function addSpecFormats(ajv: Ajv): void {
  addFormats(ajv);
  ajv.addFormat('duration', /^-?\d+(\.\d{1,9})?s$/);
  ajv.addFormat('uint32', {
    type: 'number',
    validate: (value: number) => Number.isInteger(value) && value >= 0 && value <= 0xffffffff,
  });
  ajv.addFormat('uint64', {
    type: 'string',
    validate: (value: string) => /^\d{1,20}$/.test(value) && BigInt(value) <= UINT64_MAX,
  });
  ajv.addFormat('base64', /^[A-Za-z0-9+/_-]*={0,2}$/);
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
