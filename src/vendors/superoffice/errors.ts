import type { MockError, MockErrorKind } from '../../core/errors.js';
import type { VendorResponse } from '../../core/vendor-module.js';

/**
 * Our error kinds → SuperOffice status and `ErrorType`. The body shape comes from SuperOffice's own TypeScript
 * client's tests (`{Error: true, ErrorType, Message, ErrorSource}`); the ErrorType names other than
 * ArgumentException are .NET exception names chosen by the mock, not documented by SuperOffice.
 */
const MAPPING: Record<MockErrorKind, { status: number; type: string }> = {
  'invalid-request': { status: 400, type: 'ArgumentException' },
  'malformed-body': { status: 400, type: 'SerializationException' },
  'unsupported-media-type': { status: 415, type: 'UnsupportedMediaTypeException' },
  'payload-too-large': { status: 413, type: 'RequestEntityTooLargeException' },
  unauthenticated: { status: 401, type: 'SoAuthenticationException' },
  'payment-required': { status: 403, type: 'SoAccessDeniedException' },
  forbidden: { status: 403, type: 'SoAccessDeniedException' },
  'not-found': { status: 404, type: 'SoNotFoundException' },
  'route-not-found': { status: 404, type: 'SoNotFoundException' },
  'method-not-allowed': { status: 405, type: 'MethodNotAllowedException' },
  conflict: { status: 409, type: 'SoConflictException' },
  'limit-exceeded': { status: 400, type: 'LimitExceededException' },
  'not-implemented': { status: 501, type: 'NotImplementedException' },
  internal: { status: 500, type: 'Exception' },
};

export function formatSuperOfficeError(error: MockError): VendorResponse {
  const { status, type } = MAPPING[error.kind];
  return {
    status,
    body: { Error: true, ErrorType: type, Message: error.message, ErrorSource: 'SuperOffice.WebApi' },
  };
}

/** An answer in SuperOffice's error format for a status no MockError kind stands for (412 on PATCH). */
export function superOfficeErrorResponse(status: number, errorType: string, message: string): VendorResponse {
  return {
    status,
    body: { Error: true, ErrorType: errorType, Message: message, ErrorSource: 'SuperOffice.WebApi' },
  };
}
