/**
 * The parse stage: a body the operation does not accept in this media type is 415; otherwise it is parsed —
 * first by the vendor (SuperOffice's XML and case-insensitive JSON), then as JSON (any `+json`) or form fields.
 */
import { MockError } from '../core/errors.js';
import { decodeUtf8, isJsonMediaType, mediaType, parseJsonBody } from '../core/media-type.js';
import { setOwn } from '../core/safe-object.js';
import type { VendorModule } from '../core/vendor-runtime.js';
import type { Operation } from './routes.js';

/** Does the operation accept a body of this media type? */
function accepts(declared: string[], type: string): boolean {
  return declared.some((entry) => {
    const want = entry.toLowerCase();
    if (want === type || want === '*/*') return true;
    if (want.endsWith('/*')) return type.startsWith(want.slice(0, -1));
    return false;
  });
}

function formFields(raw: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(decodeUtf8(raw))) setOwn(out, name, value);
  return out;
}

/** The parsed body (undefined when there is none or the operation takes none); throws a MockError. */
export function parseBody(
  vendor: VendorModule,
  operation: Operation,
  contentType: string | undefined,
  raw: Buffer,
): unknown {
  const declared = Object.keys(operation.requestBody?.content ?? {});
  if (raw.length === 0 || declared.length === 0) return undefined;
  const type = mediaType(contentType);
  if (!accepts(declared, type)) {
    throw new MockError(
      'unsupported-media-type',
      `content type ${type === '' ? '(none)' : type} is not accepted here; send ${declared.join(' or ')}`,
      { fields: [{ field: 'header.content-type', message: `must be one of: ${declared.join(', ')}` }] },
    );
  }
  const custom = vendor.parseBody(type, raw);
  if (custom.parsed) return custom.value;
  if (isJsonMediaType(type)) return parseJsonBody(raw);
  if (type === 'application/x-www-form-urlencoded') return formFields(raw);
  return raw.toString('utf8');
}
