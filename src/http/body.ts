import { MockError } from '../core/errors.js';
import type { Vendor } from '../core/vendor-runtime.js';

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function isJsonMediaType(type: string): boolean {
  return /^(application|text)\/(?:[\w.-]+\+)?json$/.test(type);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw new MockError('malformed-body', 'the request body is not valid UTF-8', {
      fields: [{ field: 'body', message: 'not valid UTF-8' }],
    });
  }
}

/**
 * Parses a request body by its content type: first whatever the vendor parses itself (SuperOffice's XML, and
 * its case-insensitive JSON), then JSON (any `+json`) and form fields. An unknown type is left as text for the content-type check to refuse.
 * Throws a MockError (`malformed-body`) when the body cannot be parsed.
 */
export function parseRequestBody(vendor: Vendor, contentType: string | undefined, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const type = mediaType(contentType);
  const custom = vendor.parseBody(type, raw);
  if (custom.parsed) return custom.value;
  if (isJsonMediaType(type)) {
    const text = decodeUtf8(raw);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new MockError(
        'malformed-body',
        `the request body is not valid JSON: ${(error as Error).message}`,
        {
          fields: [{ field: 'body', message: 'not valid JSON' }],
        },
      );
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(decodeUtf8(raw)));
  }
  return raw.toString('utf8');
}
