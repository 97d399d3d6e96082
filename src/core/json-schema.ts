import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { isWebhookUrl } from './webhook-url.js';

const addFormats = addFormatsModule.default ?? addFormatsModule;

let shared: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * A JSON Schema 2020-12 validator with formats, for our own data files (fixtures, scenarios). One Ajv instance
 * serves them all and each schema is compiled once: a new instance compiles the 2020-12 meta-schema again,
 * which made up most of the start-up time. `validateSchema: false`: the schemas are ours and fixed (their tests
 * compile them), so checking them against the meta-schema, which compiled the meta-schema itself, only cost
 * start-up time.
 */
export function compileSchema(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    if (shared === undefined) {
      shared = new Ajv2020({ allErrors: true, strict: true, validateSchema: false });
      addFormats(shared);
      shared.addFormat('webhook-url', { type: 'string', validate: isWebhookUrl });
    }
    validate = shared.compile(schema);
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
