/**
 * The mock's own errors (its admin API, and misuse of its own request headers such as `Prefer` or
 * `X-Mock-Scenario`) as RFC 9457 problem details. Vendor routes answer in the vendor's own format otherwise.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    /** Members beside the standard ones (RFC 9457 §3.2), e.g. `errors` naming each field at fault. */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

/** The answer for a problem: status, headers and the problem+json bytes. */
export function problemAnswer(
  problem: ProblemError,
  requestId?: string,
): { status: number; headers: Record<string, string>; body: Buffer } {
  const body = Buffer.from(
    JSON.stringify({
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      ...problem.extensions,
      ...(requestId === undefined ? {} : { requestId }),
    }),
  );
  return {
    status: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      'content-length': String(body.length),
      ...(requestId === undefined ? {} : { 'x-request-id': requestId }),
    },
    body,
  };
}
