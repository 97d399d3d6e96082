import type { ErrorObject } from 'ajv';
import type { FieldProblem } from '../core/errors.js';

const SECTIONS: Record<string, string> = {
  requestBody: 'body',
  path: 'path',
  query: 'query',
  headers: 'header',
  cookies: 'cookie',
};

/**
 * Turns openapi-backend's Ajv errors into field problems named as a user reads them:
 * `/requestBody/url` → `body.url`, a missing `displayName` → `body.displayName`.
 */
export function toFieldProblems(errors: ErrorObject[] | null | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    const segments = error.instancePath.split('/').filter(Boolean);
    const section = SECTIONS[segments[0] ?? ''] ?? (segments[0] === undefined ? 'request' : segments[0]);
    const rest = segments.slice(1);
    const params = error.params as Record<string, unknown>;
    let message = error.message ?? error.keyword;
    if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
      rest.push(params.missingProperty);
      message = 'is required';
    } else if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      rest.push(params.additionalProperty);
      message = 'is not allowed here';
    } else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      message = `must be one of: ${params.allowedValues.join(', ')}`;
    }
    const field = [section, ...rest].join('.');
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ field, message });
  }
  return problems;
}

export function summarise(problems: FieldProblem[]): string {
  return problems.map((problem) => `${problem.field} ${problem.message}`).join('; ');
}
