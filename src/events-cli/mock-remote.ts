/**
 * The commands that work a running mock (`trigger`, `redeliver`, `clock`) reach it the same way: its admin API
 * at `--mock` (or MOCK_URL), with the admin token when one is given. The mock's refusal (problem+json naming
 * the fields), a missing or wrong token and not reaching it at all each become a CliRefusal (exit 2) with a line
 * that says what to do.
 */
import type { FieldProblem } from '../core/errors.js';
import { isPlainObject } from '../core/safe-object.js';
import { CliRefusal } from './not-sent.js';

export interface MockTarget {
  /** The running mock's origin, e.g. http://127.0.0.1:4010. */
  mockUrl: string;
  adminToken?: string;
}

/** `http://127.0.0.1:4010/` → `http://127.0.0.1:4010`; anything but an http(s) URL is a usage error. */
export function mockOrigin(mockUrl: string): string {
  let url: URL;
  try {
    url = new URL(mockUrl);
  } catch {
    throw new CliRefusal(`--mock ${mockUrl} is not an absolute URL (e.g. http://127.0.0.1:4010)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliRefusal(`--mock must be an http or https URL, not ${url.protocol}`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** One call of the admin API, and how its failures read. */
export interface AdminCall<T> {
  method: 'GET' | 'POST' | 'PUT';
  /** Below `/__admin`, e.g. `/trigger`. */
  path: string;
  body?: unknown;
  /** What a 400 or 404 means, before the mock's detail: `not sent`. */
  refused: string;
  /** Says whether the answer is what the call gives (else the URL is probably not the mock's). */
  accept(value: unknown): value is T;
  /** What the answer should have been, for the message when it is not: `a trigger's result`. */
  answer: string;
  /** Another way than a running mock, for the message when none answers: `deliver straight … with --url`. */
  otherwise?: string;
}

function unreachable(origin: string, error: unknown, otherwise: string | undefined): CliRefusal {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return new CliRefusal(
    `no mock answers at ${origin} (${why}): start one with \`vendor-webhook-mock\`, point --mock (or MOCK_URL) ` +
      `at it${otherwise === undefined ? '' : `, or ${otherwise}`}`,
  );
}

function fieldsOf(problem: Record<string, unknown>): FieldProblem[] {
  const errors = problem.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter(
    (entry): entry is FieldProblem =>
      isPlainObject(entry) && typeof entry.field === 'string' && typeof entry.message === 'string',
  );
}

/** What the mock's answer other than 200 means for the user. */
function refusal(status: number, text: string, refused: string): CliRefusal {
  let problem: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (isPlainObject(parsed)) problem = parsed;
  } catch {
    // not problem+json: the status says it
  }
  const detail = typeof problem.detail === 'string' ? problem.detail : text.slice(0, 300);
  if (status === 401)
    return new CliRefusal(
      `the mock's admin API wants its token: pass --admin-token (or ADMIN_TOKEN): ${detail}`,
    );
  if (status === 400 || status === 404) return new CliRefusal(`${refused}: ${detail}`, fieldsOf(problem));
  return new CliRefusal(`the mock answered ${status}: ${detail}`);
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Makes the call and returns the mock's answer (a 200 with what the call gives); a CliRefusal otherwise. */
export async function callAdmin<T>(target: MockTarget, call: AdminCall<T>): Promise<T> {
  const origin = mockOrigin(target.mockUrl);
  let response: Response;
  try {
    response = await fetch(`${origin}/__admin${call.path}`, {
      method: call.method,
      headers: {
        accept: 'application/json',
        ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(target.adminToken === undefined ? {} : { authorization: `Bearer ${target.adminToken}` }),
      },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    });
  } catch (error) {
    throw unreachable(origin, error, call.otherwise);
  }
  const text = await response.text();
  if (response.status !== 200) throw refusal(response.status, text, call.refused);
  const answer = parsed(text);
  if (!call.accept(answer))
    throw new CliRefusal(`${origin} answered something other than ${call.answer}: is it the mock?`);
  return answer;
}
