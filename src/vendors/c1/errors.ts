import type { MockError, MockErrorKind } from '../../core/errors.js';
import type { ErrorContext, PipelineStage, VendorResponse } from '../../core/vendor-module.js';

/** gRPC status codes (google.rpc.Code) that C1's gateway puts in `code`. */
const GRPC = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAUTHENTICATED: 16,
} as const;

/** Our error kinds → HTTP status and gRPC code, as grpc-gateway maps them. */
const MAPPING: Record<MockErrorKind, { status: number; code: number }> = {
  'invalid-request': { status: 400, code: GRPC.INVALID_ARGUMENT },
  'malformed-body': { status: 400, code: GRPC.INVALID_ARGUMENT },
  'unsupported-media-type': { status: 415, code: GRPC.INVALID_ARGUMENT },
  'payload-too-large': { status: 413, code: GRPC.RESOURCE_EXHAUSTED },
  unauthenticated: { status: 401, code: GRPC.UNAUTHENTICATED },
  'payment-required': { status: 403, code: GRPC.PERMISSION_DENIED },
  forbidden: { status: 403, code: GRPC.PERMISSION_DENIED },
  'not-found': { status: 404, code: GRPC.NOT_FOUND },
  'route-not-found': { status: 404, code: GRPC.NOT_FOUND },
  'method-not-allowed': { status: 405, code: GRPC.UNIMPLEMENTED },
  conflict: { status: 409, code: GRPC.ALREADY_EXISTS },
  'limit-exceeded': { status: 429, code: GRPC.RESOURCE_EXHAUSTED },
  'not-implemented': { status: 501, code: GRPC.UNIMPLEMENTED },
  internal: { status: 500, code: GRPC.INTERNAL },
};

/**
 * C1's error body: google.rpc.Status `{code, message, details}`. Field problems travel as a
 * `google.rpc.BadRequest` detail with one `fieldViolations` entry per field.
 */
export function formatC1Error(error: MockError): VendorResponse {
  const { status, code } = MAPPING[error.kind];
  const details =
    error.fields.length === 0
      ? []
      : [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: error.fields.map((problem) => ({
              field: problem.field,
              description: problem.message,
            })),
          },
        ];
  return { status, body: { code, message: error.message, details } };
}

/** OAuth 2.0 token endpoint errors (RFC 6749 §5.2) are not google.rpc.Status. */
export function oauthError(
  status: 400 | 401,
  error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type',
  description: string,
): VendorResponse {
  return { status, body: { error, error_description: description } };
}

/** The operationId of the OAuth token endpoint, whose errors are OAuth errors, not google.rpc.Status. */
export const TOKEN_OPERATION = 'c1.api.auth.v1.Token';

/** The stages whose errors the token endpoint answers as OAuth errors: the request's framing and body. */
const OAUTH_STAGES: readonly PipelineStage[] = ['read', 'parse', 'validate'];

/**
 * C1's error table. Everything is google.rpc.Status, except at the OAuth token endpoint: whatever is wrong with
 * a token request's framing or body (its encoding, content type, form fields) is the OAuth error RFC 6749 §5.2
 * prescribes, `invalid_request` with 400 — the only error statuses the spec declares for it besides 401.
 */
export function formatC1ErrorFor(error: MockError, context: ErrorContext): VendorResponse {
  if (context.operationId === TOKEN_OPERATION && OAUTH_STAGES.includes(context.stage)) {
    return oauthError(400, 'invalid_request', error.message);
  }
  return formatC1Error(error);
}
