/**
 * A vendored OpenAPI 3.1 document as the mock reads it. `npm run build` compiles each `specs/*.yaml` to
 * `dist/specs/*.json` (scripts/compile-data.mjs), so start-up parses JSON; where no compiled copy exists, or it
 * is older than the YAML (a checkout under development, a test's own spec), the YAML is read instead.
 * `$ref`s stay as they are: routes resolve the few they meet, validators let Ajv resolve them.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { bundledData } from './bundled-data.js';

/** The parts of an OpenAPI document the mock reads; everything else is kept as it is. */
export interface OpenApiDocument {
  openapi?: string;
  paths?: Record<string, Record<string, unknown>>;
  webhooks?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/** Reads a vendored spec: the build's JSON copy when it is current, else the YAML. */
export function readSpec(yamlFile: string): OpenApiDocument {
  return (bundledData(yamlFile) ?? parse(readFileSync(yamlFile, 'utf8'))) as OpenApiDocument;
}

function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** The value a local JSON pointer (`#/components/schemas/X`) names, or undefined. */
export function resolvePointer(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const segment of ref.slice(2).split('/').map(unescapePointer)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Follows `$ref` objects (not into their children) until a value that is not one. */
export function deref<T>(document: OpenApiDocument, value: unknown): T {
  let current: unknown = value;
  for (let hops = 0; hops < 32; hops += 1) {
    if (current === null || typeof current !== 'object' || !('$ref' in current)) return current as T;
    current = resolvePointer(document, String((current as { $ref: unknown }).$ref));
  }
  throw new RangeError('a $ref chain in the spec does not end');
}

/**
 * A schema with every `$ref` inlined, for tools that cannot resolve references (json-schema-faker). A
 * reference back into a schema already being inlined is cut (an empty schema), so recursive schemas end.
 */
export function inlineRefs(
  document: OpenApiDocument,
  schema: unknown,
  seen: readonly string[] = [],
): unknown {
  if (Array.isArray(schema)) return schema.map((item) => inlineRefs(document, item, seen));
  if (schema === null || typeof schema !== 'object') return schema;
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    if (seen.includes(ref)) return {};
    return inlineRefs(document, resolvePointer(document, ref) ?? {}, [...seen, ref]);
  }
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, inlineRefs(document, value, seen)]),
  );
}
