/**
 * Bad input for the robustness suite: requests generated from the vendored specs with json-schema-faker
 * (seeded), then mutated — wrong types, missing and extra fields, huge strings, deep nesting, invalid UTF-8,
 * broken JSON, wrong or missing content types, XML with DTDs and entity expansion, bodies over the limit.
 */
import http from 'node:http';
import { generateSync } from 'json-schema-faker';
import { inlineRefs, readSpec } from '../../src/core/spec-document.js';
import { operationsOf } from '../../src/pipeline/routes.js';
import { vendors } from '../../src/vendors/index.js';
import type { Vendor } from './spec-check.js';

interface SchemaObject {
  type?: string | string[];
  properties?: Record<string, SchemaObject>;
  [key: string]: unknown;
}
interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  schema?: SchemaObject;
}

export interface FuzzOperation {
  vendor: Vendor;
  basePath: string;
  method: string;
  template: string;
  operationId: string;
  parameters: ParameterObject[];
  /** Declared request media types and their schemas. */
  bodies: { type: string; schema?: SchemaObject }[];
}

export const MUTATIONS = [
  'generated',
  'wrong-types',
  'missing-fields',
  'extra-fields',
  'huge-string',
  'deep-nesting',
  'deep-field',
  'invalid-utf8',
  'broken-json',
  'wrong-content-type',
  'missing-content-type',
  'xml-entities',
  'over-limit',
  'scalar-json',
  'bad-path',
  'bad-query',
  'no-credentials',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** A small seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every operation of the three vendors, their schemas with references inlined (json-schema-faker needs them so). */
export async function fuzzOperations(): Promise<FuzzOperation[]> {
  const out: FuzzOperation[] = [];
  for (const vendor of vendors) {
    const document = readSpec(vendor.specFile);
    for (const operation of operationsOf(document)) {
      out.push({
        vendor: vendor.name as Vendor,
        basePath: vendor.basePath,
        method: operation.method.toUpperCase(),
        template: operation.path,
        operationId: operation.operationId,
        parameters: operation.parameters.map(
          (parameter) => inlineRefs(document, parameter) as ParameterObject,
        ),
        bodies: Object.entries(operation.requestBody?.content ?? {}).map(([type, media]) => ({
          type,
          ...(media.schema === undefined
            ? {}
            : { schema: inlineRefs(document, media.schema) as SchemaObject }),
        })),
      });
    }
  }
  return out;
}

const CREDENTIALS: Record<Vendor, Record<string, string>> = {
  c1: { authorization: 'Bearer demo-c1-token' },
  shodai: { 'x-api-key': 'cns_pk_demo_free' },
  superoffice: { authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` },
};
const KNOWN_IDS: Record<Vendor, string> = {
  c1: '2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1',
  shodai: 'wh_demo_alice_1',
  superoffice: '1',
};

function fake(schema: SchemaObject | undefined, seed: number): unknown {
  if (schema === undefined) return {};
  try {
    return generateSync(schema as Parameters<typeof generateSync>[0], { seed });
  } catch {
    return {};
  }
}

/** Objects inside a value, so a mutation can pick one. */
function objectsIn(
  value: unknown,
  found: Record<string, unknown>[] = [],
  depth = 0,
): Record<string, unknown>[] {
  if (depth > 20 || value === null || typeof value !== 'object') return found;
  if (!Array.isArray(value)) found.push(value as Record<string, unknown>);
  for (const child of Object.values(value)) objectsIn(child, found, depth + 1);
  return found;
}

function wrongType(value: unknown, rng: () => number): unknown {
  if (typeof value === 'string') return rng() < 0.5 ? 12345 : { not: 'a string' };
  if (typeof value === 'number') return rng() < 0.5 ? 'not a number' : [value];
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return 'not an array';
  if (value === null) return 0;
  return [value];
}

export interface FuzzRequest {
  vendor: Vendor;
  operationId: string;
  mutation: Mutation;
  method: string;
  /** Below the mount point, e.g. `/v0/webhooks/x/test` (SuperOffice: sometimes with its tenant prefix). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

function nested(depth: number, open: string, close: string, inner = '1'): string {
  return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
}

/** One request for an operation, mutated; deterministic for (operation, mutation, seed). */
export function fuzzRequest(
  operation: FuzzOperation,
  mutation: Mutation,
  seed: number,
  bodyLimit: number,
): FuzzRequest {
  const rng = prng(seed);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (mutation !== 'no-credentials') Object.assign(headers, CREDENTIALS[operation.vendor]);

  // path
  let path = operation.template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const parameter = operation.parameters.find((entry) => entry.in === 'path' && entry.name === name);
    if (rng() < 0.5) return KNOWN_IDS[operation.vendor];
    return encodeURIComponent(String(fake(parameter?.schema, seed) ?? 'x'));
  });
  if (mutation === 'bad-path') {
    const garbage = ['%ff%fe', '%', '..%2f..%2f', 'x'.repeat(4000), '%00', '%E2%82', "';--", '{id}'][
      Math.floor(rng() * 8)
    ]!;
    path = /\{[^}]+\}/.test(operation.template)
      ? operation.template.replace(/\{[^}]+\}/, garbage).replace(/\{[^}]+\}/g, KNOWN_IDS[operation.vendor])
      : `${path}/${garbage}`;
  }
  if (operation.vendor === 'superoffice' && rng() < 0.3) path = `/Cust12345${path}`;

  // query
  const query = new URLSearchParams();
  for (const parameter of operation.parameters) {
    if (parameter.in !== 'query') continue;
    if (!parameter.required && rng() < 0.5) continue;
    const value = fake(parameter.schema, seed + 1);
    query.append(parameter.name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  let search = query.toString();
  if (mutation === 'bad-query') {
    const names = operation.parameters.filter((entry) => entry.in === 'query').map((entry) => entry.name);
    const name = names[Math.floor(rng() * names.length)] ?? 'limit';
    search = [
      `${name}=abc`,
      `${name}=-1`,
      `${name}=1e309`,
      `${name}=%zz`,
      `${name}=1&${name}=2&${name}[]=3`,
      `${name}=${'9'.repeat(400)}`,
      `${name}[a][b][c]=1`,
      `__proto__[polluted]=1&constructor[prototype][x]=1`,
    ][Math.floor(rng() * 8)]!;
  }
  if (search !== '') path = `${path}?${search}`;

  // body
  const declared = operation.bodies[Math.floor(rng() * operation.bodies.length)];
  const jsonType = operation.bodies.find((body) => body.type.includes('json'))?.type ?? 'application/json';
  const generated = fake(declared?.schema ?? operation.bodies[0]?.schema, seed + 2);
  let body: Buffer | undefined;
  let contentType: string | undefined = declared?.type ?? jsonType;
  const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
  const pickObject = (value: unknown): Record<string, unknown> | undefined => {
    const objects = objectsIn(value);
    return objects[Math.floor(rng() * objects.length)];
  };
  switch (mutation) {
    case 'generated':
    case 'bad-path':
    case 'bad-query':
    case 'no-credentials':
      if (operation.bodies.length > 0) {
        body = declared?.type.includes('xml')
          ? Buffer.from('<Webhook><Name>x</Name></Webhook>')
          : json(generated);
      }
      break;
    case 'wrong-types': {
      const target = pickObject(generated);
      if (target !== undefined) {
        const keys = Object.keys(target);
        const key = keys[Math.floor(rng() * keys.length)];
        if (key !== undefined) target[key] = wrongType(target[key], rng);
        body = json(generated);
      } else body = json(wrongType(generated, rng));
      contentType = jsonType;
      break;
    }
    case 'missing-fields': {
      const target = pickObject(generated);
      if (target !== undefined) for (const key of Object.keys(target)) if (rng() < 0.6) delete target[key];
      body = json(generated);
      contentType = jsonType;
      break;
    }
    case 'extra-fields': {
      const target = pickObject(generated);
      if (target !== undefined) target[`extra_${seed}`] = { nested: [1, 'two', null] };
      const text = JSON.stringify(generated ?? {});
      body = Buffer.from(
        text.startsWith('{') && text !== '{}' ? `{"__proto__":{"polluted":true},${text.slice(1)}` : text,
      );
      contentType = jsonType;
      break;
    }
    case 'huge-string': {
      const target = pickObject(generated);
      const huge = 'x'.repeat(Math.floor(bodyLimit * 0.8));
      if (target !== undefined) {
        const keys = Object.keys(target);
        target[keys[Math.floor(rng() * keys.length)] ?? 'Name'] = huge;
        body = json(generated);
      } else body = json({ value: huge });
      contentType = jsonType;
      break;
    }
    case 'deep-nesting':
      body = Buffer.from(rng() < 0.5 ? nested(50_000, '[', ']') : nested(20_000, '{"a":', '}'));
      contentType = jsonType;
      break;
    case 'deep-field': {
      const target = pickObject(generated) ?? {};
      const keys = Object.keys(target);
      const key = keys[Math.floor(rng() * keys.length)] ?? 'Properties';
      const text = JSON.stringify({ ...target, [key]: '__DEEP__' }).replace(
        '"__DEEP__"',
        nested(10_000, '{"k":', '}'),
      );
      body = Buffer.from(text);
      contentType = jsonType;
      break;
    }
    case 'invalid-utf8':
      body = Buffer.concat([
        Buffer.from('{"name":"'),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from('"}'),
      ]);
      contentType = rng() < 0.5 ? jsonType : 'application/x-www-form-urlencoded';
      break;
    case 'broken-json': {
      const text = JSON.stringify(generated ?? { a: 1 });
      body = Buffer.from(
        [
          text.slice(0, Math.max(1, Math.floor(text.length / 2))),
          '{"a":1,}',
          "{'a':1}",
          '{"a":undefined}',
          '\u0000',
        ][Math.floor(rng() * 5)]!,
      );
      contentType = jsonType;
      break;
    }
    case 'wrong-content-type':
      body = json(generated);
      contentType = [
        'text/plain',
        'application/octet-stream',
        'multipart/form-data; boundary=x',
        ';;;',
        'application/json; charset=utf-16',
        'image/png',
      ][Math.floor(rng() * 6)];
      break;
    case 'missing-content-type':
      body = json(generated);
      contentType = undefined;
      break;
    case 'xml-entities': {
      const entities = Array.from(
        { length: 9 },
        (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`,
      ).join('');
      body = Buffer.from(
        rng() < 0.5
          ? `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">${entities}]><Webhook><Name>&l9;</Name></Webhook>`
          : `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Webhook><Name>&x;</Name></Webhook>`,
      );
      contentType = rng() < 0.7 ? 'application/xml' : 'text/xml';
      break;
    }
    case 'over-limit':
      body = Buffer.alloc(bodyLimit + 1 + Math.floor(rng() * 1024), 'a');
      contentType = jsonType;
      break;
    case 'scalar-json':
      body = Buffer.from(['null', '[]', '"text"', '123', 'true', '{}', ''][Math.floor(rng() * 7)]!);
      contentType = jsonType;
      break;
  }
  if (body !== undefined && contentType !== undefined) headers['content-type'] = contentType;
  return {
    vendor: operation.vendor,
    operationId: operation.operationId,
    mutation,
    method: operation.method,
    path,
    headers,
    ...(body === undefined ? {} : { body }),
  };
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** Sends one request as is (raw bytes, any headers); resolves with the answer, or rejects on a socket error. */
export function send(
  agent: http.Agent,
  origin: string,
  request: { method: string; path: string; headers: Record<string, string>; body?: Buffer },
  timeoutMs = 15_000,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${origin}${request.path}`, {
      method: request.method,
      agent,
      headers: {
        ...request.headers,
        ...(request.body === undefined ? {} : { 'content-length': String(request.body.length) }),
      },
      timeout: timeoutMs,
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.end(request.body);
  });
}
