/**
 * The per-event rules of C1's response documents (product/admin/webhooks.mdx, "Webhook response formats"),
 * applied to a parsed document that already has `"version": "v1"`. Each rule is checked here, whether or not
 * the vendored schema states it (C1's schemas leave out required fields, oneof exclusivity and the limits).
 */
import type { C1EventName } from './events/types.js';
import { C1_EVENT } from './events/types.js';

/** Which rule an answer broke. */
export type C1ResponseRule =
  | 'empty-callback-body'
  | 'too-large'
  | 'truncated'
  | 'not-json'
  | 'not-an-object'
  | 'missing-version'
  | 'wrong-version'
  | 'no-action'
  | 'several-actions'
  | 'unknown-key'
  | 'not-an-object-field'
  | 'comment-not-a-string'
  | 'comment-too-long'
  | 'no-user-ids'
  | 'too-many-user-ids'
  | 'no-policy-steps'
  | 'policy-step-not-one-type'
  | 'schema';

/** "Comments are optional, up to 1024 characters" (webhooks.mdx, "Policy step webhooks"); counted in code points. */
export const C1_COMMENT_MAX_CHARS = 1024;
/** "To reassign the step to different users (up to 32 user IDs)" (webhooks.mdx, "Policy step webhooks"). */
export const C1_REASSIGN_MAX_USERS = 32;

/** An answer the receiver may give, as the judge reads it; `comment` only when one was given. */
export type C1DocumentOutcome =
  | { kind: 'approved'; comment?: string }
  | { kind: 'denied'; comment?: string }
  | { kind: 'reassigned'; newStepUserIds: string[]; comment?: string }
  | { kind: 'policy-replaced'; stepCount: number; comment?: string }
  | { kind: 'provisioned'; comment?: string }
  | { kind: 'provisioning-errored'; comment?: string }
  | { kind: 'automation-context'; keys: string[] }
  | { kind: 'acknowledged'; note?: string };

export type Judged =
  { ok: true; outcome: C1DocumentOutcome } | { ok: false; rule: C1ResponseRule; reason: string };

type Doc = Record<string, unknown>;

const broken = (rule: C1ResponseRule, reason: string): Judged => ({ ok: false, rule, reason });

function isObject(value: unknown): value is Doc {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function list(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** A key the format does not have, if there is one (protobuf JSON rejects unknown fields). */
function unknownKey(doc: Doc, known: readonly string[], where: string): Judged | undefined {
  const extra = Object.keys(doc).find((key) => !known.includes(key));
  if (extra === undefined) return undefined;
  return broken('unknown-key', `unknown key "${extra}" in ${where} (it may hold ${list(known)})`);
}

/** The one action of a oneof: a present, non-null key among `actions` (null is an unset field in protobuf JSON). */
function oneAction(doc: Doc, actions: readonly string[], what: string): Judged | { name: string; body: Doc } {
  const unknown = unknownKey(doc, ['version', ...actions], what);
  if (unknown !== undefined) return unknown;
  const present = actions.filter((name) => doc[name] !== undefined && doc[name] !== null);
  if (present.length === 0)
    return broken('no-action', `${what} needs exactly one of ${list(actions)}; it has none`);
  if (present.length > 1) {
    return broken(
      'several-actions',
      `${what} holds exactly one of ${list(actions)}; it has ${list(present)}`,
    );
  }
  const name = present[0]!;
  const body = doc[name];
  if (!isObject(body)) return broken('not-an-object-field', `${name} must be an object`);
  return { name, body };
}

/** The optional comment of an action: a string of at most 1024 characters. */
function commentOf(action: Doc, where: string): Judged | { comment?: string } {
  const comment = action.comment;
  if (comment === undefined || comment === null) return {};
  if (typeof comment !== 'string') return broken('comment-not-a-string', `${where}.comment must be a string`);
  const length = [...comment].length;
  if (length > C1_COMMENT_MAX_CHARS) {
    return broken(
      'comment-too-long',
      `${where}.comment is ${length} characters; comments are at most ${C1_COMMENT_MAX_CHARS}`,
    );
  }
  return comment === '' ? {} : { comment };
}

const isJudged = (value: object): value is Judged => 'ok' in value;

/** complete | errored, each `{comment?}` (webhooks.mdx, "Provisioning webhooks"). */
function provisionAnswer(doc: Doc): Judged {
  const action = oneAction(doc, ['complete', 'errored'], 'a provisioning answer');
  if (isJudged(action)) return action;
  const unknown = unknownKey(action.body, ['comment'], action.name);
  if (unknown !== undefined) return unknown;
  const comment = commentOf(action.body, action.name);
  if (isJudged(comment)) return comment;
  return {
    ok: true,
    outcome: { kind: action.name === 'complete' ? 'provisioned' : 'provisioning-errored', ...comment },
  };
}

function reassignAnswer(action: Doc, comment: { comment?: string }): Judged {
  const ids = action.newStepUserIds;
  if (
    ids !== undefined &&
    ids !== null &&
    (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
  ) {
    return broken('schema', 'reassign.newStepUserIds must be an array of user ID strings');
  }
  const userIds = (ids ?? []) as string[];
  if (userIds.length === 0) {
    return broken(
      'no-user-ids',
      'reassign.newStepUserIds names no user; name the users to reassign the step to',
    );
  }
  if (userIds.length > C1_REASSIGN_MAX_USERS) {
    return broken(
      'too-many-user-ids',
      `reassign.newStepUserIds has ${userIds.length} user IDs; at most ${C1_REASSIGN_MAX_USERS}`,
    );
  }
  return { ok: true, outcome: { kind: 'reassigned', newStepUserIds: userIds, ...comment } };
}

/** The step types of c1.api.policy.v1.PolicyStep, a oneof: "Exactly one step type is set." */
const POLICY_STEP_TYPES = ['accept', 'action', 'approval', 'form', 'provision', 'reject', 'wait'] as const;

function replacePolicyAnswer(action: Doc, comment: { comment?: string }): Judged {
  const steps = action.policySteps;
  if (steps !== undefined && steps !== null && !Array.isArray(steps)) {
    return broken('schema', 'replacePolicy.policySteps must be an array of policy steps');
  }
  const policySteps = (steps ?? []) as unknown[];
  if (policySteps.length === 0) {
    return broken('no-policy-steps', 'replacePolicy.policySteps must contain at least one step');
  }
  const wrong = policySteps.findIndex(
    (step) => !isObject(step) || POLICY_STEP_TYPES.filter((type) => isObject(step[type])).length !== 1,
  );
  if (wrong !== -1) {
    return broken(
      'policy-step-not-one-type',
      `replacePolicy.policySteps[${wrong}] must set exactly one step type (${list(POLICY_STEP_TYPES)})`,
    );
  }
  return { ok: true, outcome: { kind: 'policy-replaced', stepCount: policySteps.length, ...comment } };
}

const APPROVAL_FIELDS: Record<string, readonly string[]> = {
  approve: ['comment'],
  deny: ['comment'],
  reassign: ['comment', 'newStepUserIds'],
  replacePolicy: ['comment', 'policySteps'],
};

/** Exactly one of approve, deny, reassign, replacePolicy (webhooks.mdx, "Policy step webhooks"). */
function approvalAnswer(doc: Doc): Judged {
  const action = oneAction(doc, Object.keys(APPROVAL_FIELDS), 'a policy step answer');
  if (isJudged(action)) return action;
  const unknown = unknownKey(action.body, APPROVAL_FIELDS[action.name] ?? [], action.name);
  if (unknown !== undefined) return unknown;
  const comment = commentOf(action.body, action.name);
  if (isJudged(comment)) return comment;
  if (action.name === 'reassign') return reassignAnswer(action.body, comment);
  if (action.name === 'replacePolicy') return replacePolicyAnswer(action.body, comment);
  return { ok: true, outcome: { kind: action.name === 'approve' ? 'approved' : 'denied', ...comment } };
}

/** `{"version": "v1", "context": {...}}` (webhooks.mdx, "Automation webhooks"). */
function workflowAnswer(doc: Doc): Judged {
  const unknown = unknownKey(doc, ['version', 'context'], 'an automation answer');
  if (unknown !== undefined) return unknown;
  if (doc.context === undefined || doc.context === null) {
    return broken('no-action', 'an automation answer needs a "context" object for the later steps');
  }
  if (!isObject(doc.context)) return broken('not-an-object-field', 'context must be an object');
  return { ok: true, outcome: { kind: 'automation-context', keys: Object.keys(doc.context) } };
}

/**
 * The document rules of `event` for a document with `"version": "v1"`. A policy post action's format
 * (c1.webhooks.v1.ResponsePolicyPostAction) holds nothing but version; the test's and the finding dispatch's
 * take anything else (webhooks.mdx: a test needs no meaningful response; the dispatch's format is undocumented).
 */
export function judgeDocument(event: C1EventName, doc: Doc): Judged {
  switch (event) {
    case C1_EVENT.provisionStep:
      return provisionAnswer(doc);
    case C1_EVENT.policyApprovalStep:
      return approvalAnswer(doc);
    case C1_EVENT.workflowStep:
      return workflowAnswer(doc);
    case C1_EVENT.policyPostAction:
      return (
        unknownKey(doc, ['version'], 'a policy post action answer') ?? {
          ok: true,
          outcome: { kind: 'acknowledged' },
        }
      );
    case C1_EVENT.test:
    case C1_EVENT.findingDispatch:
      return { ok: true, outcome: { kind: 'acknowledged' } };
  }
}

/** The schema (under the spec's components) each event's answer is checked against after these rules. */
export const C1_RESPONSE_SCHEMA: Record<C1EventName, string> = {
  [C1_EVENT.test]: 'c1.webhooks.v1.ResponseTest',
  [C1_EVENT.provisionStep]: 'c1.webhooks.v1.ResponseProvisionStep',
  [C1_EVENT.policyApprovalStep]: 'c1.webhooks.v1.ResponsePolicyApprovalStep',
  [C1_EVENT.policyPostAction]: 'c1.webhooks.v1.ResponsePolicyPostAction',
  [C1_EVENT.workflowStep]: 'c1.webhooks.v1.ResponseWorkflowStep',
  [C1_EVENT.findingDispatch]: 'WebhookCallbackRequest',
};
