import { decodeUtf8, isJsonMediaType, mediaType, parseJsonBody } from '../core/media-type.js';
import type { Vendor } from '../core/vendor-runtime.js';

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
  if (isJsonMediaType(type)) return parseJsonBody(raw);
  if (type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(decodeUtf8(raw)));
  }
  return raw.toString('utf8');
}
