import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import Negotiator from 'negotiator';
import { MockError } from '../../core/errors.js';
import {
  decodeUtf8,
  isJsonMediaType,
  isXmlMediaType,
  mediaType,
  parseJsonBody,
} from '../../core/media-type.js';
import { isPlainObject, setOwn } from '../../core/safe-object.js';
import type { ErrorContext, SerializedBody } from '../../core/vendor-module.js';
import { checkXmlLimits } from './xml-limits.js';

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

function canonicalName(key: string): string {
  return CANONICAL.get(key.toLowerCase()) ?? key;
}

/** Renames known properties to SuperOffice's spelling (`targetUrl` → `TargetUrl`); arrays (JSON Patch) stay. */
export function normalizeKeys(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = canonicalName(key);
    setOwn(out, name, NESTED.has(name) ? normalizeKeys(item) : item);
  }
  return out;
}

/**
 * The largest XML body parsed. fast-xml-parser spends about 0.3 ms per KB of text on this machine, so a 1 MiB
 * body (the default body limit) would hold the event loop for ~350 ms; a SuperOffice Webhook in XML is a few
 * KB. Larger XML bodies are answered 413; JSON bodies may use the whole body limit.
 */
export const MAX_XML_BODY_BYTES = 64 * 1024;

/** The vendor's `parseBody`: JSON with case-insensitive property names, and XML. */
export function parseSuperOfficeBody(
  type: string,
  raw: Buffer,
): { parsed: true; value: unknown } | { parsed: false } {
  if (isJsonMediaType(type)) return { parsed: true, value: normalizeKeys(parseJsonBody(raw)) };
  if (isXmlMediaType(type)) return { parsed: true, value: parseXml(decodeXml(raw)) };
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

/** An XML body as text, refused (413) when it is larger than the mock parses. */
function decodeXml(raw: Buffer): string {
  if (raw.length > MAX_XML_BODY_BYTES) {
    throw new MockError(
      'payload-too-large',
      `XML request bodies are limited to ${MAX_XML_BODY_BYTES / 1024} KiB; send JSON for larger bodies`,
    );
  }
  return decodeUtf8(raw);
}

function malformedXml(message: string): MockError {
  return new MockError('malformed-body', `the request body is not acceptable XML: ${message}`, {
    fields: [{ field: 'body', message }],
  });
}

/** Parses an XML body into the same shape a JSON body has; a DOCTYPE (DTD) is refused. */
export function parseXml(text: string): unknown {
  const document = parseXmlDocument(text);
  const roots = Object.keys(document);
  if (roots.length !== 1 || roots[0] === undefined) throw malformedXml('expected one root element');
  const root = document[roots[0]];
  if (childrenOf(root).length === 0 && textOf(root) === '') return isNil(root) ? null : {};
  return fromXml(root, '');
}

/** Checks (no DTD, within the limits, well-formed) and parses an XML document into fast-xml-parser's tree. */
function parseXmlDocument(text: string): Record<string, unknown> {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw malformedXml('a DOCTYPE or entity declaration is not allowed');
  }
  checkXmlLimits(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw malformedXml(`${valid.err.msg} (line ${valid.err.line})`);
  return xmlParser.parse(text) as Record<string, unknown>;
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
      const pair = Object.fromEntries(childrenOf(child)) as Record<string, unknown>;
      const name = textOf(pair.Key);
      setOwn(out, name, isNil(pair.Value) ? null : textOf(pair.Value));
    } else {
      setOwn(
        out,
        key,
        isNil(child) ? null : childrenOf(child).length > 0 ? fromXml(child, '') : textOf(child),
      );
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
    setOwn(out, property, fromXml(child, property));
  }
  return out;
}

/**
 * The free-form event data of `POST /api/v1/Webhook/{eventName}/{primaryKey}`, re-read from the raw body with
 * its keys exactly as sent (the body parser normalises known property names).
 */
export function parseEventData(contentType: string | undefined, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const type = mediaType(contentType);
  if (isXmlMediaType(type)) {
    const document = parseXmlDocument(decodeXml(raw));
    const root = Object.values(document)[0];
    return isNil(root) ? null : dictionaryFromXml(root);
  }
  return JSON.parse(decodeUtf8(raw)) as unknown;
}

// ---------------------------------------------------------------------------------------------------- XML out

/** fast-xml-parser's ordered form: an element is `{name: children, ':@': attributes}`, text is `{'#text': …}`. */
type XmlNode = Record<string, unknown>;

const xmlBuilder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
  processEntities: true,
});

/** Characters XML 1.0 cannot carry at all become U+FFFD. */
function xmlText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

const XML_NAME = /^[A-Za-z_][\w.-]*$/;

function itemElement(item: unknown): string {
  if (typeof item === 'string') return 'string';
  if (typeof item === 'number') return Number.isInteger(item) ? 'int' : 'double';
  if (typeof item === 'boolean') return 'boolean';
  if (isPlainObject(item) && 'WebhookId' in item) return 'Webhook';
  return 'anyType';
}

/** One property as a DataContract element: nil, text, a list of typed items, a dictionary or nested elements. */
function element(name: string, value: unknown): XmlNode {
  if (value === null || value === undefined) return { [name]: [], ':@': { '@_i:nil': 'true' } };
  if (typeof value === 'string') return { [name]: [{ '#text': xmlText(value) }] };
  if (typeof value === 'number' || typeof value === 'boolean')
    return { [name]: [{ '#text': String(value) }] };
  if (Array.isArray(value)) return { [name]: value.map((item) => element(itemElement(item), item)) };
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (DICTIONARIES.has(name) || entries.some(([key]) => !XML_NAME.test(key))) {
      const pair = entries.every(([, item]) => typeof item === 'string')
        ? 'KeyValueOfstringstring'
        : 'KeyValueOfstringanyType';
      return {
        [name]: entries.map(([key, item]) => ({ [pair]: [element('Key', key), element('Value', item)] })),
      };
    }
    return { [name]: entries.map(([key, item]) => element(key, item)) };
  }
  return { [name]: [{ '#text': xmlText(JSON.stringify(value)) }] };
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
  const root = element(rootName(body), body);
  // the namespace declaration goes on the root element
  root[':@'] = {
    '@_xmlns:i': 'http://www.w3.org/2001/XMLSchema-instance',
    ...(root[':@'] as object | undefined),
  };
  return `<?xml version="1.0" encoding="utf-8"?>${xmlBuilder.build([root]) as string}`;
}

// ---------------------------------------------------------------------------------------------------- Accept

const ANSWER_TYPES = ['application/json', 'text/json', 'application/xml', 'text/xml'] as const;
type AnswerType = (typeof ANSWER_TYPES)[number];

/** The answer type for an Accept header (negotiator): the best of JSON/XML it allows; JSON when it names neither. */
export function negotiate(accept: string | undefined): AnswerType {
  if (accept === undefined || accept.trim() === '') return 'application/json';
  const chosen = new Negotiator({ headers: { accept } }).mediaType([...ANSWER_TYPES]);
  return (chosen as AnswerType | undefined) ?? 'application/json';
}

/** The vendor's `serialize`: JSON or XML by the request's Accept header. */
export function serializeSuperOffice(body: unknown, context: Pick<ErrorContext, 'headers'>): SerializedBody {
  const type = negotiate(context.headers.accept);
  const text = type.endsWith('xml') ? toXml(body) : JSON.stringify(body);
  return { contentType: `${type}; charset=utf-8`, body: Buffer.from(text, 'utf8') };
}
