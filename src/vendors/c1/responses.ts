/**
 * How C1 judges what a receiver answered — the body of a synchronous answer (2xx except 202) or of a POST to
 * the callback URL — and what it then does (product/admin/webhooks.mdx, "Responding to webhooks", "Webhook
 * response formats", "Delivery retries and failures"). Pure: the schema check is passed in.
 */
import { C1_EVENT, isC1EventName } from './events/types.js';
import type { C1EventName } from './events/types.js';
import { C1_RESPONSE_SCHEMA, judgeDocument } from './response-documents.js';
import type { C1DocumentOutcome, C1ResponseRule, Judged } from './response-documents.js';

export { C1_COMMENT_MAX_CHARS, C1_REASSIGN_MAX_USERS, C1_RESPONSE_SCHEMA } from './response-documents.js';
export type { C1ResponseRule } from './response-documents.js';

/** Problems of `value` against the spec's `components.schemas[schemaName]`; empty when it is valid. */
export type SchemaCheck = (schemaName: string, value: unknown) => string[];

/**
 * "The response body must be valid JSON, no larger than 250 KB" (webhooks.mdx, "Respond synchronously");
 * KB read as 1024 bytes. The same limit is applied to callback bodies, which carry the same documents.
 */
export const C1_RESPONSE_MAX_BYTES = 250 * 1024;

export interface C1ResponseInput {
  event: string;
  /** `sync`: the body of a 2xx-but-not-202 answer; `callback`: the body POSTed to the callback URL. */
  via: 'sync' | 'callback';
  body: Buffer;
  /** True when only the first bytes of a longer answer were kept (the delivery's response-size cap). */
  truncated?: boolean;
}

/**
 * What C1 does with the originating work when the answer is no valid response document, as for a webhook that
 * fails (webhooks.mdx, "Delivery retries and failures").
 */
export type C1FailureConsequence =
  /** "The task falls back to manual provisioning, and the fallback is noted in the task's audit trail." */
  | 'manual-provisioning'
  /** "The failure is recorded in the request's audit trail, and the policy continues processing." */
  | 'policy-step-failed'
  /** "The step fails, and the error is visible in the automation's execution log." */
  | 'automation-step-failed'
  /** Test, policy post action, finding dispatch: the failure is recorded in the webhook's history. */
  | 'failure-recorded';

/** What C1 makes of an answer: an action taken on the originating work, or the failure of an invalid one. */
export type C1Outcome =
  | C1DocumentOutcome
  | { kind: 'invalid-response'; rule: C1ResponseRule; reason: string; consequence: C1FailureConsequence }
  | { kind: 'callback-timeout'; reason: string; consequence: C1FailureConsequence };

export type C1InvalidOutcome = Extract<C1Outcome, { kind: 'invalid-response' }>;

/**
 * The judgement. `callbackStatus` (callbacks only) is what C1 answers the callback POST: 200 for a valid
 * document ("C1 responds to a successful callback with HTTP status code 200"), 400 otherwise (an empty body "is
 * rejected"; the mock answers every invalid document so). Only a successful callback uses up the URL.
 */
export type C1ResponseVerdict =
  | { valid: true; outcome: C1DocumentOutcome; callbackStatus?: 200 }
  | { valid: false; rule: C1ResponseRule; reason: string; outcome: C1InvalidOutcome; callbackStatus?: 400 };

/** What fails with each event when its webhook does (webhooks.mdx, "Delivery retries and failures"). */
export const C1_FAILURE_CONSEQUENCE: Readonly<Record<C1EventName, C1FailureConsequence>> = {
  [C1_EVENT.test]: 'failure-recorded',
  [C1_EVENT.provisionStep]: 'manual-provisioning',
  [C1_EVENT.policyApprovalStep]: 'policy-step-failed',
  [C1_EVENT.policyPostAction]: 'failure-recorded',
  [C1_EVENT.workflowStep]: 'automation-step-failed',
  [C1_EVENT.findingDispatch]: 'failure-recorded',
};

type Parsed = { ok: true; doc: Record<string, unknown> } | Extract<Judged, { ok: false }>;

/** The rules every response document follows: present, at most 250 KB, JSON, an object, `"version": "v1"`. */
function readDocument({ via, body, truncated }: C1ResponseInput): Parsed {
  const broken = (rule: C1ResponseRule, reason: string): Parsed => ({ ok: false, rule, reason });
  if (body.length === 0) {
    return via === 'callback'
      ? broken(
          'empty-callback-body',
          'the callback body is empty; C1 rejects an empty callback body with 400',
        )
      : broken('not-json', 'the body is empty; a synchronous answer must be a JSON response document');
  }
  if (body.length > C1_RESPONSE_MAX_BYTES) {
    return broken(
      'too-large',
      `the body is ${body.length} bytes; C1 accepts at most 250 KB (${C1_RESPONSE_MAX_BYTES} bytes)`,
    );
  }
  if (truncated === true) {
    return broken(
      'truncated',
      `only the first ${body.length} bytes of the answer were kept; it cannot be judged`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return broken('not-json', `the body is not valid JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return broken('not-an-object', `a response document is a JSON object, not ${what}`);
  }
  const doc = value as Record<string, unknown>;
  if (!('version' in doc)) {
    return broken(
      'missing-version',
      'the document has no "version"; every response document must include "version": "v1"',
    );
  }
  if (doc.version !== 'v1')
    return broken('wrong-version', `"version" is ${JSON.stringify(doc.version)}; it must be "v1"`);
  return { ok: true, doc };
}

/** The first schema problem names the deepest mismatch; the rest are mostly the oneOf branches around it. */
const more = (count: number): string => (count > 0 ? ` (and ${count} more)` : '');

function verdictOf(event: C1EventName, via: C1ResponseInput['via'], judged: Judged): C1ResponseVerdict {
  const callback = via === 'callback';
  if (judged.ok)
    return { valid: true, outcome: judged.outcome, ...(callback ? { callbackStatus: 200 } : {}) };
  const { rule, reason } = judged;
  return {
    valid: false,
    rule,
    reason,
    outcome: { kind: 'invalid-response', rule, reason, consequence: C1_FAILURE_CONSEQUENCE[event] },
    ...(callback ? { callbackStatus: 400 } : {}),
  };
}

/**
 * Judges a receiver's answer to `event` as C1 does. The general rules come first, then the event's format
 * (one action, comments of at most 1024 characters, at most 32 user IDs, at least one policy step, no unknown
 * keys), then `validate` against the event's response schema. A test answered synchronously is acknowledged
 * whatever its body ("returning any 2xx status code marks the test as delivered"), with a note when the body
 * would not pass as a response document. Throws for an event C1 does not send.
 */
export function judgeC1Response(input: C1ResponseInput, validate: SchemaCheck): C1ResponseVerdict {
  const { event, via } = input;
  if (!isC1EventName(event)) throw new Error(`C1 sends no event ${JSON.stringify(event)}`);
  const parsed = readDocument(input);
  let judged: Judged = parsed.ok ? judgeDocument(event, parsed.doc) : parsed;
  if (judged.ok && parsed.ok) {
    const schema = C1_RESPONSE_SCHEMA[event];
    const problems = validate(schema, parsed.doc);
    if (problems.length > 0) {
      judged = {
        ok: false,
        rule: 'schema',
        reason: `the document does not match ${schema}: ${problems[0]}${more(problems.length - 1)}`,
      };
    }
  }
  if (event === C1_EVENT.test && via === 'sync' && !judged.ok) {
    const note = `C1 ignores a test's answer; as a response document it would fail: ${judged.reason}`;
    return { valid: true, outcome: { kind: 'acknowledged', note } };
  }
  return verdictOf(event, via, judged);
}

const CONSEQUENCE_TEXT: Record<C1FailureConsequence, string> = {
  'manual-provisioning': 'the task falls back to manual provisioning',
  'policy-step-failed': 'the step is recorded as failed and the policy continues',
  'automation-step-failed': 'the automation step fails',
  'failure-recorded': 'the failure is recorded',
};

/** A comment as a log line shows it: on one line, at most 80 characters. */
function quote(comment: string | undefined): string {
  if (comment === undefined) return '';
  const flat = comment.replace(/\s+/g, ' ').trim();
  return `: "${flat.length > 80 ? `${flat.slice(0, 79)}…` : flat}"`;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** One line for logs and the CLI, e.g. `approved: "Auto-approved: requester is in Engineering."`. */
export function describeC1Outcome(outcome: C1Outcome): string {
  switch (outcome.kind) {
    case 'approved':
      return `approved${quote(outcome.comment)}`;
    case 'denied':
      return `denied${quote(outcome.comment)}`;
    case 'reassigned':
      return `reassigned to ${plural(outcome.newStepUserIds.length, 'user')} (${outcome.newStepUserIds.join(', ')})${quote(outcome.comment)}`;
    case 'policy-replaced':
      return `replaced the remaining policy with ${plural(outcome.stepCount, 'step')}${quote(outcome.comment)}`;
    case 'provisioned':
      return `provisioning complete${quote(outcome.comment)}`;
    case 'provisioning-errored':
      return `provisioning errored${quote(outcome.comment)}`;
    case 'automation-context':
      return outcome.keys.length === 0
        ? 'returned an empty automation context'
        : `returned an automation context with ${outcome.keys.join(', ')}`;
    case 'acknowledged':
      return outcome.note === undefined ? 'acknowledged' : `acknowledged (${outcome.note})`;
    case 'invalid-response':
      return `invalid response: ${outcome.reason}; ${CONSEQUENCE_TEXT[outcome.consequence]}`;
    case 'callback-timeout':
      return `${outcome.reason}; ${CONSEQUENCE_TEXT[outcome.consequence]}`;
  }
}
