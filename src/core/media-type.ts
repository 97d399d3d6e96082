import { MockError } from './errors.js';
import { nestingDepth } from './safe-object.js';

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** `application/json`, `text/json` and any `+json` type. */
export function isJsonMediaType(type: string): boolean {
  return /^(application|text)\/(?:[\w.-]+\+)?json$/.test(type);
}

/** `application/xml`, `text/xml` and any `+xml` type. */
export function isXmlMediaType(type: string): boolean {
  return /^(application|text)\/(?:[\w.-]+\+)?xml$/.test(type);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A request body as text; a body that is not UTF-8 is the caller's error (`malformed-body`). */
export function decodeUtf8(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw new MockError('malformed-body', 'the request body is not valid UTF-8', {
      fields: [{ field: 'body', message: 'not valid UTF-8' }],
    });
  }
}

/** How deeply a JSON body may nest; deeper values would make the recursive code after parsing throw. */
export const MAX_JSON_DEPTH = 64;

/** A JSON request body, parsed; broken JSON, bad UTF-8 or nesting deeper than MAX_JSON_DEPTH is `malformed-body`. */
export function parseJsonBody(raw: Buffer): unknown {
  let value: unknown;
  try {
    value = JSON.parse(decodeUtf8(raw)) as unknown;
  } catch (error) {
    if (error instanceof MockError) throw error;
    throw new MockError('malformed-body', `the request body is not valid JSON: ${(error as Error).message}`, {
      fields: [{ field: 'body', message: 'not valid JSON' }],
    });
  }
  if (nestingDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new MockError('malformed-body', `the request body nests deeper than ${MAX_JSON_DEPTH} levels`, {
      fields: [{ field: 'body', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }],
    });
  }
  return value;
}
