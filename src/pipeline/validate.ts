/**
 * The validate stage: the request's path, query, header parameters and body against the operation in the
 * vendor's spec, with JSON Schema 2020-12 (as OpenAPI 3.1 uses) and the specs' formats. Validators are compiled
 * on an operation's first request. Parameters are validated with type coercion (query values are strings);
 * problems are named as a user reads them (`body.url`, `query.page_size`).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FieldProblem } from '../core/errors.js';
import type { OpenApiDocument } from '../core/spec-document.js';
import { addSpecFormats } from '../core/spec-formats.js';
import type { Operation, Parameter } from './routes.js';

export interface RequestParts {
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  /** The parsed body; undefined when there is none. */
  body: unknown;
  /** The request's media type (lower case, no parameters). */
  mediaType: string;
}

const SECTIONS: Record<string, string> = {
  requestBody: 'body',
  path: 'path',
  query: 'query',
  header: 'header',
};

/** Ajv's errors as field problems: `/requestBody/url` → `body.url`, a missing `displayName` → `body.displayName`. */
export function toFieldProblems(errors: ErrorObject[] | null | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    const segments = error.instancePath.split('/').filter(Boolean);
    const section = SECTIONS[segments[0] ?? ''] ?? (segments[0] === undefined ? 'request' : segments[0]);
    const rest = segments.slice(1);
    const params = error.params as Record<string, unknown>;
    let message = error.message ?? error.keyword;
    if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
      rest.push(params.missingProperty);
      message = 'is required';
    } else if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      rest.push(params.additionalProperty);
      message = 'is not allowed here';
    } else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      message = `must be one of: ${params.allowedValues.join(', ')}`;
    }
    const field = [section, ...rest].join('.');
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ field, message });
  }
  return problems;
}

export function summarise(problems: FieldProblem[]): string {
  return problems.map((problem) => `${problem.field} ${problem.message}`).join('; ');
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** A copy of a schema whose local references point into the spec Ajv holds as `spec`. */
function inSpec(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(inSpec);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#')
        ? [key, `spec${value}`]
        : [key, inSpec(value)],
    ),
  );
}

function specAjv(document: OpenApiDocument, coerceTypes: boolean): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, coerceTypes });
  addSpecFormats(ajv as unknown as Parameters<typeof addSpecFormats>[0]);
  ajv.addSchema(document as object, 'spec');
  return ajv;
}

/** The media type whose schema validates the body, as openapi-backend chose it. */
function bodySchema(operation: Operation): unknown {
  const content = operation.requestBody?.content ?? {};
  return (
    content['application/json'] ??
    content['multipart/form-data'] ??
    content['application/x-www-form-urlencoded']
  )?.schema;
}

function paramsSchema(parameters: Parameter[]): object {
  const section = (additionalProperties: boolean) => ({
    type: 'object',
    additionalProperties,
    properties: {} as Record<string, unknown>,
    required: [] as string[],
  });
  const sections = {
    path: section(false),
    query: section(false),
    header: section(true),
    cookie: section(true),
  };
  const required = new Set<string>();
  for (const parameter of parameters) {
    const target = sections[parameter.in];
    const name = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
    if (parameter.required === true) {
      if (!target.required.includes(name)) target.required.push(name);
      required.add(parameter.in);
    }
    target.properties[name] = inSpec(
      parameter.content?.['application/json']?.schema ?? parameter.schema ?? {},
    );
  }
  return { type: 'object', additionalProperties: true, properties: sections, required: [...required] };
}

/**
 * A spec's request validators. The Ajv instances holding the spec are made on the vendor's first request, not at
 * start-up (adding a spec of a few hundred KB to Ajv walks all of it).
 */
export class RequestValidators {
  private ajv: { bodies: Ajv2020; parameters: Ajv2020 } | undefined;
  private readonly compiled = new Map<string, { body?: ValidateFunction; params: ValidateFunction }>();
  private readonly byRef = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {}

  private get bodies(): Ajv2020 {
    this.ajv ??= { bodies: specAjv(this.document, false), parameters: specAjv(this.document, true) };
    return this.ajv.bodies;
  }

  private get parameters(): Ajv2020 {
    this.ajv ??= { bodies: specAjv(this.document, false), parameters: specAjv(this.document, true) };
    return this.ajv.parameters;
  }

  private validatorsFor(operation: Operation): { body?: ValidateFunction; params: ValidateFunction } {
    let found = this.compiled.get(operation.operationId);
    if (found === undefined) {
      const schema = bodySchema(operation);
      found = {
        ...(schema === undefined
          ? {}
          : {
              body: this.bodies.compile({
                type: 'object',
                additionalProperties: true,
                properties: { requestBody: inSpec(schema) },
                required: operation.requestBody?.required === true ? ['requestBody'] : [],
              }),
            }),
        params: this.parameters.compile(paramsSchema(operation.parameters)),
      };
      this.compiled.set(operation.operationId, found);
    }
    return found;
  }

  /** Problems of a delivered body against the spec's `webhooks.<key>` entry (`/path: reason` lines). */
  checkWebhookBody(key: string, body: unknown): string[] {
    const pointer = `#/webhooks/${escapePointer(key)}/post/requestBody/content/application~1json/schema`;
    return this.check$ref(pointer, body);
  }

  /** Problems of a value against `components.schemas.<name>` (`/path: reason` lines). */
  checkComponent(name: string, value: unknown): string[] {
    return this.check$ref(`#/components/schemas/${escapePointer(name)}`, value);
  }

  private check$ref(pointer: string, value: unknown): string[] {
    let validate = this.byRef.get(pointer);
    if (validate === undefined) {
      validate = this.bodies.compile({ $ref: `spec${pointer}` });
      this.byRef.set(pointer, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (error) => `${error.instancePath || '/'}: ${error.message ?? error.keyword}`,
    );
  }

  /** The request's problems against the operation; empty when it is valid. */
  check(operation: Operation, parts: RequestParts): FieldProblem[] {
    const validators = this.validatorsFor(operation);
    const errors: ErrorObject[] = [];
    if (validators.body !== undefined) {
      const input: Record<string, unknown> = {};
      if (typeof parts.body === 'object' || parts.mediaType === 'application/json')
        input.requestBody = parts.body;
      if (!validators.body(input)) errors.push(...(validators.body.errors ?? []));
    }
    const query: Record<string, string | string[]> = { ...parts.query };
    for (const parameter of operation.parameters) {
      const schema = parameter.schema as { type?: unknown } | undefined;
      if (parameter.in === 'query' && typeof query[parameter.name] === 'string' && schema?.type === 'array') {
        query[parameter.name] = [query[parameter.name] as string];
      }
    }
    const input = { path: { ...parts.params }, query, header: { ...parts.headers }, cookie: {} };
    if (!validators.params(input)) errors.push(...(validators.params.errors ?? []));
    return toFieldProblems(errors);
  }
}
