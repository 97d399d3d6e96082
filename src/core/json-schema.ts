import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { packagePath } from './package-root.js';
import { isWebhookUrl } from './webhook-url.js';

const addFormats = addFormatsModule.default ?? addFormatsModule;

let shared: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

/** The Ajv our data files are checked with, here and by scripts/compile-schemas.mjs (which adds `code`). */
export function dataFileAjv(code?: Options['code']): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    validateSchema: false,
    ...(code === undefined ? {} : { code }),
  });
  addFormats(ajv);
  ajv.addFormat('webhook-url', { type: 'string', validate: isWebhookUrl });
  return ajv;
}

/** A schema's name among the precompiled validators: its content's hash, so a changed schema is compiled anew. */
export function schemaKey(schema: object): string {
  return `s${createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 16)}`;
}

/** Where `npm run build` puts the data files' validators, compiled to code (scripts/compile-schemas.mjs). */
export const PRECOMPILED_VALIDATORS = packagePath('dist', 'schemas', 'validators.cjs');

let precompiled: Record<string, ValidateFunction> | null | undefined;

/** The precompiled validators, or null where there are none (a checkout that was not built). */
function precompiledValidators(): Record<string, ValidateFunction> | null {
  if (precompiled === undefined) {
    try {
      precompiled = existsSync(PRECOMPILED_VALIDATORS)
        ? (createRequire(import.meta.url)(PRECOMPILED_VALIDATORS) as Record<string, ValidateFunction>)
        : null;
    } catch {
      precompiled = null;
    }
  }
  return precompiled;
}

/**
 * A JSON Schema 2020-12 validator with formats, for our own data files (fixtures, scenarios): precompiled by the
 * build when the schema is one of ours, else compiled here. One Ajv instance serves them all and each schema is
 * compiled once: a new instance compiles the 2020-12 meta-schema again. `validateSchema: false`: the schemas are
 * ours and fixed (their tests compile them), so checking them against the meta-schema only cost start-up time.
 */
export function compileSchema(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    // built: the validator as code, made at build time (compiling them all took ~90 ms of every start-up)
    validate = precompiledValidators()?.[schemaKey(schema)];
    if (validate === undefined) {
      shared ??= dataFileAjv();
      validate = shared.compile(schema);
    }
    compiled.set(schema, validate);
  }
  return validate;
}

/** `path: reason` lines, with the offending key named for unknown properties. */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath === '' ? '(top level)' : error.instancePath;
    if (error.keyword === 'format' && (error.params as { format: string }).format === 'webhook-url') {
      return `${where}: must be an absolute http(s) URL, as the API requires of a webhook URL`;
    }
    if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      return `${where}: unknown key "${extra}"`;
    }
    return `${where}: ${error.message ?? error.keyword}`;
  });
}
