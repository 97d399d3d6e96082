/**
 * Typed error values. Handlers and the http layer raise these; each vendor maps a kind to its own
 * status code and body in one place (its `errors.ts`). Never sniff messages: switch on `kind`.
 */
export type MockErrorKind =
  | 'invalid-request' // the request breaks the spec (body, path, query) or the vendor's rules
  | 'malformed-body' // the body cannot be parsed (broken JSON, bad form encoding)
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'unauthenticated'
  | 'payment-required'
  | 'forbidden'
  | 'not-found' // the resource does not exist (or belongs to someone else)
  | 'route-not-found' // no operation matches method + path
  | 'method-not-allowed'
  | 'conflict'
  | 'limit-exceeded' // the mock's store holds as much as it keeps (--store-limit)
  | 'not-implemented' // the spec has the operation, the mock has no handler for it
  | 'internal';

export interface FieldProblem {
  /** Where the problem is, e.g. `body.url`, `path.id`, `query.page_size`. */
  field: string;
  message: string;
}

export class MockError extends Error {
  readonly kind: MockErrorKind;
  readonly fields: FieldProblem[];
  /** A vendor-specific code, when the vendor has one for this case (e.g. Shodai's `paid_required`). */
  readonly code: string | undefined;

  constructor(
    kind: MockErrorKind,
    message: string,
    options: { fields?: FieldProblem[]; code?: string } = {},
  ) {
    // an expected answer, not a bug: no stack trace (capturing one was ~7% of a 404's time)
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'MockError';
    this.kind = kind;
    this.fields = options.fields ?? [];
    this.code = options.code;
  }
}

export function isMockError(value: unknown): value is MockError {
  return value instanceof MockError;
}
