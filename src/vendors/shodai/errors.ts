import type { MockError, MockErrorKind } from '../../core/errors.js';
import type { VendorResponse } from '../../core/vendor-module.js';

/** Our error kinds → Shodai's status and stable `error.code`. */
const MAPPING: Record<MockErrorKind, { status: number; code: string }> = {
  'invalid-request': { status: 400, code: 'bad_request' },
  'malformed-body': { status: 400, code: 'bad_request' },
  'unsupported-media-type': { status: 415, code: 'unsupported_media_type' },
  'payload-too-large': { status: 413, code: 'payload_too_large' },
  unauthenticated: { status: 401, code: 'unauthorized' },
  'payment-required': { status: 402, code: 'paid_required' },
  forbidden: { status: 403, code: 'forbidden' },
  'not-found': { status: 404, code: 'not_found' },
  'route-not-found': { status: 404, code: 'not_found' },
  'method-not-allowed': { status: 405, code: 'method_not_allowed' },
  conflict: { status: 409, code: 'conflict' },
  'limit-exceeded': { status: 429, code: 'limit_exceeded' },
  'not-implemented': { status: 501, code: 'not_implemented' },
  internal: { status: 500, code: 'internal_error' },
};

/** Shodai's error envelope: `{error: {code, message, details?, requestId}}`; field problems go in `details`. */
export function formatShodaiError(error: MockError, requestId: string): VendorResponse {
  const { status, code } = MAPPING[error.kind];
  const body: { error: { code: string; message: string; details?: unknown; requestId: string } } = {
    error: { code: error.code ?? code, message: error.message, requestId },
  };
  if (error.fields.length > 0) {
    body.error.details = {
      fields: error.fields.map((problem) => ({ path: problem.field, message: problem.message })),
    };
  }
  return { status, body };
}
