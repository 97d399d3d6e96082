import type { ServerResponse } from 'node:http';
import { ProblemError, problemAnswer } from '../core/problem.js';

export { ProblemError };

export function writeProblem(res: ServerResponse, problem: ProblemError, requestId?: string): void {
  const answer = problemAnswer(problem, requestId);
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
