import type { Response } from 'express';

/** An error of the mock's own (admin API, scenario and Prefer misuse), as RFC 9457 problem details. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

export function writeProblem(res: Response, problem: ProblemError, requestId?: string): void {
  const body = JSON.stringify({
    type: 'about:blank',
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    ...(requestId === undefined ? {} : { requestId }),
  });
  res.writeHead(problem.status, {
    'content-type': 'application/problem+json',
    'content-length': String(Buffer.byteLength(body)),
    ...(requestId === undefined ? {} : { 'x-request-id': requestId }),
  });
  res.end(body);
}
