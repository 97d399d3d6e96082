/**
 * A trigger sent to a running mock: `POST <mock>/__admin/trigger`, with the admin token when one is given. The
 * mock's refusal (problem+json naming the fields) and not reaching it at all both become a TriggerNotSent.
 */
import type { TriggerRequest, TriggerResult } from '../core/event-catalogue.js';
import type { FieldProblem } from '../core/errors.js';
import { isPlainObject } from '../core/safe-object.js';
import { TriggerNotSent } from './not-sent.js';

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
    throw new TriggerNotSent(`--mock ${mockUrl} is not an absolute URL (e.g. http://127.0.0.1:4010)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TriggerNotSent(`--mock must be an http or https URL, not ${url.protocol}`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function unreachable(origin: string, error: unknown): TriggerNotSent {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return new TriggerNotSent(
    `no mock answers at ${origin} (${why}): start one with \`vendor-webhook-mock\`, point --mock (or MOCK_URL) ` +
      'at it, or deliver straight to a receiver with --url',
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
function refusal(status: number, text: string): TriggerNotSent {
  let problem: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (isPlainObject(parsed)) problem = parsed;
  } catch {
    // not problem+json: the status says it
  }
  const detail = typeof problem.detail === 'string' ? problem.detail : text.slice(0, 300);
  if (status === 401)
    return new TriggerNotSent(
      `the mock's admin API wants its token: pass --admin-token (or ADMIN_TOKEN): ${detail}`,
    );
  if (status === 400 || status === 404) return new TriggerNotSent(`not sent: ${detail}`, fieldsOf(problem));
  return new TriggerNotSent(`the mock answered ${status}: ${detail}`);
}

function isTriggerResult(value: unknown): value is TriggerResult {
  return isPlainObject(value) && typeof value.triggerId === 'string' && Array.isArray(value.deliveries);
}

/** Sends the trigger to the running mock and returns its result. */
export async function triggerRemote(request: TriggerRequest, target: MockTarget): Promise<TriggerResult> {
  const origin = mockOrigin(target.mockUrl);
  let response: Response;
  try {
    response = await fetch(`${origin}/__admin/trigger`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(target.adminToken === undefined ? {} : { authorization: `Bearer ${target.adminToken}` }),
      },
      body: JSON.stringify(request),
    });
  } catch (error) {
    throw unreachable(origin, error);
  }
  const text = await response.text();
  if (response.status !== 200) throw refusal(response.status, text);
  let result: unknown;
  try {
    result = JSON.parse(text);
  } catch {
    result = undefined;
  }
  if (!isTriggerResult(result))
    throw new TriggerNotSent(`${origin} answered something other than a trigger's result: is it the mock?`);
  return result;
}
