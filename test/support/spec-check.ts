/**
 * An independent check of what the mock sends against the vendored specs: its own Ajv (JSON Schema 2020-12,
 * as OpenAPI 3.1 uses) and its own path matching — nothing from the server's openapi-backend set-up.
 * Every response the suite sees and every delivery it captures goes through here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const addFormats = addFormatsModule.default ?? addFormatsModule;

export type Vendor = 'c1' | 'shodai' | 'superoffice';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: object;
}
interface MediaTypes {
  [type: string]: { schema?: object };
}
interface OperationObject {
  operationId?: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { content?: MediaTypes };
  responses?: Record<string, { content?: MediaTypes } | { $ref: string }>;
}
interface SpecDocument {
  paths: Record<string, Record<string, OperationObject>>;
  webhooks?: Record<string, Record<string, OperationObject>>;
  components?: Record<string, Record<string, unknown>>;
}

const specFile = (vendor: Vendor): string =>
  fileURLToPath(new URL(`../../specs/${vendor}.openapi.yaml`, import.meta.url));

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Which operations and statuses the suite has checked, to show the check is systematic. */
export const checkedResponses = new Map<string, Set<number>>();
export const checkedDeliveries = new Map<string, number>();

class VendorSpec {
  private readonly doc: SpecDocument;
  private readonly ajv: Ajv2020;
  private readonly routes: { method: string; template: string; regex: RegExp; literalLength: number }[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly vendor: Vendor) {
    this.doc = parse(readFileSync(specFile(vendor), 'utf8')) as SpecDocument;
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    // protobuf JSON durations, as C1 writes them, and protobuf's other scalar formats in C1's messages
    this.ajv.addFormat('duration', /^-?\d+(\.\d{1,9})?s$/);
    this.ajv.addFormat('uint32', {
      type: 'number',
      validate: (value: number) => Number.isInteger(value) && value >= 0 && value <= 0xffffffff,
    });
    this.ajv.addFormat('uint64', { type: 'string', validate: (value: string) => /^\d{1,20}$/.test(value) });
    this.ajv.addFormat('base64', /^[A-Za-z0-9+/_-]*={0,2}$/);
    this.ajv.addSchema(this.doc as object, 'spec');
    for (const [template, item] of Object.entries(this.doc.paths)) {
      const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      const literalLength = template.replace(/\{[^}]+\}/g, '').length;
      for (const method of Object.keys(item)) {
        if (['get', 'put', 'post', 'delete', 'patch'].includes(method)) {
          this.routes.push({ method, template, regex, literalLength });
        }
      }
    }
    // literal paths win over templated ones (`/Webhook/default` before `/Webhook/{id}`)
    this.routes.sort((a, b) => b.literalLength - a.literalLength);
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.compiled.get(pointer);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: `spec#${pointer}` });
      this.compiled.set(pointer, validate);
    }
    return validate;
  }

  private deref<T>(value: T | { $ref: string }): T {
    let current: unknown = value;
    while (current !== null && typeof current === 'object' && '$ref' in current) {
      const ref = (current as { $ref: string }).$ref;
      current = ref
        .replace(/^#\//, '')
        .split('/')
        .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], this.doc);
    }
    return current as T;
  }

  operationFor(method: string, path: string): { template: string; operation: OperationObject } | undefined {
    const route = this.routes.find(
      (entry) => entry.method === method.toLowerCase() && entry.regex.test(path),
    );
    if (route === undefined) return undefined;
    return { template: route.template, operation: this.doc.paths[route.template]![route.method]! };
  }

  /** Problems with one response; an empty list means it matches the spec. */
  checkResponse(
    method: string,
    path: string,
    status: number,
    contentType: string | undefined,
    body: unknown,
    rawText?: string,
  ): string[] {
    const found = this.operationFor(method, path);
    if (found === undefined) {
      // only the vendor's "no such route" answer can come back for a path the spec does not have
      return status === 404 || status === 405
        ? []
        : [`no operation in the ${this.vendor} spec for ${method} ${path}`];
    }
    const { template, operation } = found;
    const id = operation.operationId ?? `${method} ${template}`;
    const statuses = checkedResponses.get(`${this.vendor} ${id}`) ?? new Set<number>();
    statuses.add(status);
    checkedResponses.set(`${this.vendor} ${id}`, statuses);

    const responses = operation.responses ?? {};
    const key =
      String(status) in responses
        ? String(status)
        : `${String(status)[0]}XX` in responses
          ? `${String(status)[0]}XX`
          : 'default';
    if (!(key in responses)) return [`${id}: status ${status} is not declared in the spec`];
    const response = this.deref(responses[key]!);
    const content = response.content;
    if (content === undefined || Object.keys(content).length === 0) {
      return rawText === undefined || rawText === ''
        ? []
        : [`${id} ${status}: the spec declares no body, but one came`];
    }
    const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const mediaKey = Object.keys(content).find((type) => type.toLowerCase() === media);
    if (mediaKey === undefined) return [`${id} ${status}: content type ${media || '(none)'} is not declared`];
    if (!media.includes('json')) return [];
    const pointer = `/paths/${escapePointer(template)}/${method.toLowerCase()}/responses/${key}/content/${escapePointer(mediaKey)}/schema`;
    const resolved = responses[key] as { $ref?: string };
    const schemaPointer =
      resolved.$ref !== undefined
        ? `${resolved.$ref.replace(/^#/, '')}/content/${escapePointer(mediaKey)}/schema`
        : pointer;
    const validate = this.validator(schemaPointer);
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (error) => `${id} ${status}: ${error.instancePath || '(body)'} ${error.message ?? ''}`,
    );
  }

  /** Problems of `value` against the spec's `components.schemas[name]`; an empty list means it is valid. */
  checkSchema(name: string, value: unknown): string[] {
    if (this.doc.components?.schemas?.[name] === undefined)
      return [`the ${this.vendor} spec has no schema ${name}`];
    const validate = this.validator(`/components/schemas/${escapePointer(name)}`);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? ''}`);
  }

  /** Problems with one delivery (headers and raw body) against the spec's `webhooks:` entry. */
  checkDelivery(webhook: string, headers: Record<string, string | undefined>, rawBody: string): string[] {
    const item = this.doc.webhooks?.[webhook];
    const operation = item?.post;
    if (operation === undefined) return [`the ${this.vendor} spec has no webhooks.${webhook}.post`];
    checkedDeliveries.set(
      `${this.vendor} ${webhook}`,
      (checkedDeliveries.get(`${this.vendor} ${webhook}`) ?? 0) + 1,
    );
    const problems: string[] = [];
    for (const raw of operation.parameters ?? []) {
      const parameter = this.deref(raw);
      if (parameter.in !== 'header') continue;
      const value = headers[parameter.name.toLowerCase()];
      if (value === undefined) {
        if (parameter.required) problems.push(`header ${parameter.name} is missing`);
        continue;
      }
      if (parameter.schema !== undefined) {
        const validate = this.ajv.compile(parameter.schema);
        if (!validate(value))
          problems.push(`header ${parameter.name}: ${validate.errors?.[0]?.message ?? 'invalid'}`);
      }
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return [...problems, 'the delivery body is not JSON'];
    }
    const content = operation.requestBody?.content ?? {};
    const mediaKey = Object.keys(content).find((type) => type.includes('json'));
    if (mediaKey === undefined) return [...problems, 'no JSON request body declared for the delivery'];
    const validate = this.validator(
      `/webhooks/${escapePointer(webhook)}/post/requestBody/content/${escapePointer(mediaKey)}/schema`,
    );
    if (!validate(body)) {
      problems.push(
        ...(validate.errors ?? []).map(
          (error) => `body ${error.instancePath || '(root)'} ${error.message ?? ''}`,
        ),
      );
    }
    return problems;
  }
}

const specs = new Map<Vendor, VendorSpec>();

export function specFor(vendor: Vendor): VendorSpec {
  let spec = specs.get(vendor);
  if (spec === undefined) {
    spec = new VendorSpec(vendor);
    specs.set(vendor, spec);
  }
  return spec;
}

/** The vendor's own path: below `/c1`, `/shodai`, `/superoffice` and SuperOffice's `/CustNNN`. */
export function vendorPath(vendor: Vendor, pathBelowMount: string): string {
  const path = pathBelowMount.split('?')[0]!;
  if (vendor === 'superoffice') {
    const match = /^\/(?!api\/)[^/]+(\/api\/.*)$/.exec(path);
    if (match) return match[1]!;
  }
  return path;
}
