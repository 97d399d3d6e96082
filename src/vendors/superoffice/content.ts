import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MockError } from '../../core/errors.js';
import type { ErrorContext, SerializedBody } from '../../core/vendor-module.js';

/**
 * SuperOffice's content negotiation: request bodies in JSON or XML (by Content-Type), answers in JSON or XML (by
 * Accept). NetServer is .NET: property names in JSON bodies are matched case-insensitively (the official
 * TypeScript client sends camelCase), and XML is DataContract-style (`i:nil`, `KeyValueOf...` dictionaries).
 */

/** Property names SuperOffice's webhook bodies use, as it spells them. */
const CANONICAL = new Map(
  [
    'WebhookId',
    'Name',
    'Events',
    'TargetUrl',
    'Secret',
    'State',
    'Type',
    'Headers',
    'Properties',
    'Registered',
    'RegisteredAssociate',
    'Updated',
    'UpdatedAssociate',
    'ErrorsEmail',
    'Webhook',
    'NameFilter',
    'EventFilter',
    'StatusFilter',
    'EventName',
    'PrimaryKey',
    'Data',
    'AssociateId',
    'PersonId',
    'Rank',
    'Tooltip',
    'GroupIdx',
    'FullName',
    'FormalName',
    'Deleted',
    'EjUserId',
    'UserName',
  ].map((name) => [name.toLowerCase(), name]),
);

/** Properties whose values are objects of SuperOffice properties, normalised in turn. */
const NESTED = new Set(['Webhook', 'RegisteredAssociate', 'UpdatedAssociate']);
/** Free-form dictionaries: their keys are the caller's and stay as sent. */
const DICTIONARIES = new Set(['Headers', 'Properties', 'Data', 'FieldValues', 'FieldProperties', '_Links']);
const INTEGERS = new Set([
  'WebhookId',
  'PrimaryKey',
  'AssociateId',
  'PersonId',
  'Rank',
  'GroupIdx',
  'EjUserId',
]);
const BOOLEANS = new Set(['Deleted']);
const LISTS = new Set(['Events']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function canonicalName(key: string): string {
  return CANONICAL.get(key.toLowerCase()) ?? key;
}

/** Renames known properties to SuperOffice's spelling (`targetUrl` → `TargetUrl`); arrays (JSON Patch) stay. */
export function normalizeKeys(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = canonicalName(key);
    out[name] = NESTED.has(name) ? normalizeKeys(item) : item;
  }
  return out;
}

const JSON_TYPE = /^(application|text)\/(?:[\w.-]+\+)?json$/;
const XML_TYPE = /^(application|text)\/(?:[\w.-]+\+)?xml$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw new MockError('malformed-body', 'the request body is not valid UTF-8', {
      fields: [{ field: 'body', message: 'not valid UTF-8' }],
    });
  }
}

/** The vendor's `parseBody`: JSON with case-insensitive property names, and XML. */
export function parseSuperOfficeBody(
  type: string,
  raw: Buffer,
): { parsed: true; value: unknown } | { parsed: false } {
  if (JSON_TYPE.test(type)) {
    let value: unknown;
    try {
      value = JSON.parse(decode(raw)) as unknown;
    } catch (error) {
      if (error instanceof MockError) throw error;
      throw new MockError(
        'malformed-body',
        `the request body is not valid JSON: ${(error as Error).message}`,
        {
          fields: [{ field: 'body', message: 'not valid JSON' }],
        },
      );
    }
    return { parsed: true, value: normalizeKeys(value) };
  }
  if (XML_TYPE.test(type)) return { parsed: true, value: parseXml(decode(raw)) };
  return { parsed: false };
}

// ---------------------------------------------------------------------------------------------------- XML in

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // No DTDs, no entity expansion: only the five predefined entities and character references are decoded
  // (by decodeText), and a DOCTYPE is refused before parsing.
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return PREDEFINED[name] ?? whole;
  });
}

function malformedXml(message: string): MockError {
  return new MockError('malformed-body', `the request body is not acceptable XML: ${message}`, {
    fields: [{ field: 'body', message }],
  });
}

/** Parses an XML body into the same shape a JSON body has; a DOCTYPE (DTD) is refused. */
export function parseXml(text: string): unknown {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw malformedXml('a DOCTYPE or entity declaration is not allowed');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw malformedXml(`${valid.err.msg} (line ${valid.err.line})`);
  const document = xmlParser.parse(text) as Record<string, unknown>;
  const roots = Object.keys(document);
  if (roots.length !== 1 || roots[0] === undefined) throw malformedXml('expected one root element');
  const root = document[roots[0]];
  if (childrenOf(root).length === 0 && textOf(root) === '') return isNil(root) ? null : {};
  return fromXml(root, '');
}

function isNil(node: unknown): boolean {
  return isPlainObject(node) && (node['@_nil'] === 'true' || node['@_nil'] === '1');
}

function textOf(node: unknown): string {
  if (typeof node === 'string') return decodeText(node);
  if (isPlainObject(node) && typeof node['#text'] === 'string') return decodeText(node['#text']);
  return '';
}

function childrenOf(node: unknown): [string, unknown][] {
  if (!isPlainObject(node)) return [];
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || key === '#text') continue;
    for (const item of Array.isArray(value) ? value : [value]) out.push([key, item]);
  }
  return out;
}

function scalar(name: string, text: string): unknown {
  if (INTEGERS.has(name) && /^-?\d+$/.test(text)) return Number(text);
  if (BOOLEANS.has(name) && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

function dictionaryFromXml(node: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of childrenOf(node)) {
    if (/^KeyValueOf/.test(key)) {
      const pair = Object.fromEntries(childrenOf(child));
      const name = textOf(pair.Key);
      out[name] = isNil(pair.Value) ? null : textOf(pair.Value);
    } else {
      out[key] = isNil(child) ? null : childrenOf(child).length > 0 ? fromXml(child, '') : textOf(child);
    }
  }
  return out;
}

/** One element's content → a JSON value, typed by the property it is (`name`). */
function fromXml(node: unknown, name: string): unknown {
  if (isNil(node)) return null;
  if (LISTS.has(name)) return childrenOf(node).map(([, item]) => textOf(item));
  if (DICTIONARIES.has(name)) return dictionaryFromXml(node);
  const children = childrenOf(node);
  if (children.length === 0) return scalar(name, textOf(node));
  const out: Record<string, unknown> = {};
  for (const [key, child] of children) {
    const property = canonicalName(key);
    out[property] = fromXml(child, property);
  }
  return out;
}

/**
 * The free-form event data of `POST /api/v1/Webhook/{eventName}/{primaryKey}`, re-read from the raw body with
 * its keys exactly as sent (the body parser normalises known property names).
 */
export function parseEventData(contentType: string | undefined, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (XML_TYPE.test(type)) {
    const document = xmlParser.parse(decode(raw)) as Record<string, unknown>;
    const root = Object.values(document)[0];
    return isNil(root) ? null : dictionaryFromXml(root);
  }
  return JSON.parse(decode(raw)) as unknown;
}

// ---------------------------------------------------------------------------------------------------- XML out

function escapeXml(text: string): string {
  return (
    text
      // characters XML 1.0 cannot carry at all
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

const XML_NAME = /^[A-Za-z_][\w.-]*$/;

function itemElement(item: unknown): string {
  if (typeof item === 'string') return 'string';
  if (typeof item === 'number') return Number.isInteger(item) ? 'int' : 'double';
  if (typeof item === 'boolean') return 'boolean';
  if (isPlainObject(item) && 'WebhookId' in item) return 'Webhook';
  return 'anyType';
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name} i:nil="true"/>`;
  if (typeof value === 'string') return `<${name}>${escapeXml(value)}</${name}>`;
  if (typeof value === 'number' || typeof value === 'boolean') return `<${name}>${String(value)}</${name}>`;
  if (Array.isArray(value)) {
    return `<${name}>${value.map((item) => element(itemElement(item), item)).join('')}</${name}>`;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (DICTIONARIES.has(name) || entries.some(([key]) => !XML_NAME.test(key))) {
      const pairName = entries.every(([, item]) => typeof item === 'string')
        ? 'KeyValueOfstringstring'
        : 'KeyValueOfstringanyType';
      const pairs = entries.map(
        ([key, item]) => `<${pairName}>${element('Key', key)}${element('Value', item)}</${pairName}>`,
      );
      return `<${name}>${pairs.join('')}</${name}>`;
    }
    return `<${name}>${entries.map(([key, item]) => element(key, item)).join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(JSON.stringify(value))}</${name}>`;
}

/** The DataContract name of an answer body. */
function rootName(body: unknown): string {
  if (typeof body === 'string') return 'string';
  if (Array.isArray(body)) return 'ArrayOfWebhook';
  if (isPlainObject(body)) {
    if ('ErrorType' in body) return 'Error';
    if ('Success' in body) return 'WebhookResult';
    if ('_Links' in body) return 'WebhookWithLinks';
    if ('WebhookId' in body) return 'Webhook';
  }
  return 'anyType';
}

export function toXml(body: unknown): string {
  const name = rootName(body);
  const inner = element(name, body);
  // the namespace declaration goes on the root element
  const withNs = inner.replace(
    new RegExp(`^<${name}`),
    `<${name} xmlns:i="http://www.w3.org/2001/XMLSchema-instance"`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>${withNs}`;
}

// ---------------------------------------------------------------------------------------------------- Accept

type AnswerType = 'application/json' | 'text/json' | 'application/xml' | 'text/xml';

/** The answer type for an Accept header: the best of JSON/XML it allows; JSON when it names neither. */
export function negotiate(accept: string | undefined): AnswerType {
  if (accept === undefined || accept.trim() === '') return 'application/json';
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
      const q = params.find((param) => param.startsWith('q='));
      const quality = q === undefined ? 1 : Number.parseFloat(q.slice(2));
      return { range, quality: Number.isNaN(quality) ? 0 : quality, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { range } of ranges) {
    if (range === 'application/json' || range === 'text/json') return range;
    if (range === 'application/xml' || range === 'text/xml') return range;
    if (JSON_TYPE.test(range)) return 'application/json';
    if (range === '*/*' || range === 'application/*') return 'application/json';
    if (range === 'text/*') return 'text/json';
  }
  return 'application/json';
}

/** The vendor's `serialize`: JSON or XML by the request's Accept header. */
export function serializeSuperOffice(body: unknown, context: ErrorContext): SerializedBody {
  const type = negotiate(context.headers.accept);
  const text = type.endsWith('xml') ? toXml(body) : JSON.stringify(body);
  return { contentType: `${type}; charset=utf-8`, body: Buffer.from(text, 'utf8') };
}
