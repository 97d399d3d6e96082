import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { C1_EVENT } from '../../src/vendors/c1/events/types.js';
import { C1_RESPONSE_MAX_BYTES, describeC1Outcome, judgeC1Response } from '../../src/vendors/c1/responses.js';
import type { C1Outcome, C1ResponseVerdict, SchemaCheck } from '../../src/vendors/c1/responses.js';
import { specFor } from '../support/spec-check.js';

/** The spec's schemas, compiled by the tests' own Ajv (2020-12 with formats) over specs/c1.openapi.yaml. */
const specCheck: SchemaCheck = (name, value) => specFor('c1').checkSchema(name, value);

const VIAS = ['sync', 'callback'] as const;
type Via = (typeof VIAS)[number];

function judge(
  event: string,
  body: string | Buffer,
  via: Via = 'sync',
  truncated?: boolean,
): C1ResponseVerdict {
  const raw = typeof body === 'string' ? Buffer.from(body) : body;
  return judgeC1Response(
    { event, via, body: raw, ...(truncated === undefined ? {} : { truncated }) },
    specCheck,
  );
}

const doc = (fields: object): string => JSON.stringify({ version: 'v1', ...fields });

function assertValid(verdict: C1ResponseVerdict, outcome: C1Outcome, via: Via): void {
  assert.deepEqual(verdict, { valid: true, outcome, ...(via === 'callback' ? { callbackStatus: 200 } : {}) });
}

function assertInvalid(verdict: C1ResponseVerdict, rule: string, reason: RegExp, consequence: string): void {
  assert.equal(verdict.valid, false, JSON.stringify(verdict));
  if (verdict.valid) return;
  assert.equal(verdict.rule, rule, verdict.reason);
  assert.match(verdict.reason, reason);
  assert.deepEqual(verdict.outcome, { kind: 'invalid-response', rule, reason: verdict.reason, consequence });
}

const USER_IDS = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => `2mqg9IILyNefQ6oMTvolM4F${String(index).padStart(4, '0')}`);

const APPROVAL_STEP = { approval: { users: { userIds: ['2mqg9IILyNefQ6oMTvolM4FjDTS'] } } };
const PROVISION_STEP = {
  provision: { provisionPolicy: { manual: { userIds: ['2mqg9IILyNefQ6oMTvolM4FjDTS'] } } },
};

describe('judgeC1Response accepts every valid answer, synchronous or by callback', () => {
  for (const via of VIAS) {
    it(`reads a policy step's approve, deny, reassign and replacePolicy (${via})`, () => {
      assertValid(
        judge(C1_EVENT.policyApprovalStep, doc({ approve: { comment: 'This is approved.' } }), via),
        { kind: 'approved', comment: 'This is approved.' },
        via,
      );
      assertValid(
        judge(
          C1_EVENT.policyApprovalStep,
          doc({ deny: { comment: 'This is denied. Please reach out to IT.' } }),
          via,
        ),
        { kind: 'denied', comment: 'This is denied. Please reach out to IT.' },
        via,
      );
      assertValid(
        judge(
          C1_EVENT.policyApprovalStep,
          doc({ reassign: { comment: 'To Alice', newStepUserIds: USER_IDS(2) } }),
          via,
        ),
        { kind: 'reassigned', newStepUserIds: USER_IDS(2), comment: 'To Alice' },
        via,
      );
      assertValid(
        judge(
          C1_EVENT.policyApprovalStep,
          doc({ replacePolicy: { policySteps: [APPROVAL_STEP, PROVISION_STEP] } }),
          via,
        ),
        { kind: 'policy-replaced', stepCount: 2 },
        via,
      );
    });

    it(`reads a provisioning answer's complete and errored, with or without a comment (${via})`, () => {
      assertValid(
        judge(
          C1_EVENT.provisionStep,
          doc({ complete: { comment: 'Created account and granted access.' } }),
          via,
        ),
        { kind: 'provisioned', comment: 'Created account and granted access.' },
        via,
      );
      assertValid(
        judge(C1_EVENT.provisionStep, '{"version": "v1", "complete": {}}', via),
        { kind: 'provisioned' },
        via,
      );
      assertValid(
        judge(
          C1_EVENT.provisionStep,
          doc({ errored: { comment: 'User not found in the target system.' } }),
          via,
        ),
        { kind: 'provisioning-errored', comment: 'User not found in the target system.' },
        via,
      );
    });

    it(`reads an automation's context, and acknowledges post actions, tests and finding dispatches (${via})`, () => {
      assertValid(
        judge(
          C1_EVENT.workflowStep,
          doc({ context: { ticketId: 'INC-4212', assignee: 'alice@example.com' } }),
          via,
        ),
        { kind: 'automation-context', keys: ['ticketId', 'assignee'] },
        via,
      );
      assertValid(
        judge(C1_EVENT.workflowStep, doc({ context: {} }), via),
        { kind: 'automation-context', keys: [] },
        via,
      );
      for (const event of [C1_EVENT.policyPostAction, C1_EVENT.test, C1_EVENT.findingDispatch]) {
        assertValid(judge(event, '{"version": "v1"}', via), { kind: 'acknowledged' }, via);
      }
    });
  }

  it('takes a comment of exactly 1024 characters, counting code points, and 32 user IDs', () => {
    assertValid(
      judge(C1_EVENT.policyApprovalStep, doc({ deny: { comment: 'x'.repeat(1024) } })),
      {
        kind: 'denied',
        comment: 'x'.repeat(1024),
      },
      'sync',
    );
    const emoji = '👍'.repeat(1024);
    assert.equal(judge(C1_EVENT.provisionStep, doc({ complete: { comment: emoji } })).valid, true);
    assert.equal(
      judge(C1_EVENT.policyApprovalStep, doc({ reassign: { newStepUserIds: USER_IDS(32) } })).valid,
      true,
    );
  });

  it('takes a body of exactly 250 KB, and reads null actions as unset as protobuf JSON does', () => {
    const core = doc({ approve: {}, deny: null });
    const padded = Buffer.from(core + ' '.repeat(C1_RESPONSE_MAX_BYTES - core.length));
    assert.equal(padded.length, C1_RESPONSE_MAX_BYTES);
    assertValid(judge(C1_EVENT.policyApprovalStep, padded), { kind: 'approved' }, 'sync');
  });

  it('acknowledges a test answered at once whatever its body, noting when it is no response document', () => {
    const verdict = judge(C1_EVENT.test, 'OK');
    assert.equal(verdict.valid, true);
    assert.equal(verdict.outcome.kind, 'acknowledged');
    assert.match(describeC1Outcome(verdict.outcome), /C1 ignores a test's answer; .*not valid JSON/);
    assertValid(judge(C1_EVENT.test, doc({ anything: ['goes'] })), { kind: 'acknowledged' }, 'sync');
  });
});

describe('judgeC1Response names the rule an invalid answer breaks, and what C1 then does', () => {
  const approval = (body: string | Buffer, via: Via = 'sync'): C1ResponseVerdict =>
    judge(C1_EVENT.policyApprovalStep, body, via);
  const FAILED = 'policy-step-failed';

  it('rejects a body that is not JSON', () => {
    assertInvalid(approval('approve it'), 'not-json', /not valid JSON/, FAILED);
    assertInvalid(judge(C1_EVENT.provisionStep, ''), 'not-json', /body is empty/, 'manual-provisioning');
  });

  it('rejects a body over 250 KB', () => {
    const core = doc({ approve: {} });
    const body = Buffer.from(core + ' '.repeat(C1_RESPONSE_MAX_BYTES + 1 - core.length));
    assertInvalid(
      approval(body),
      'too-large',
      /256001 bytes; C1 accepts at most 250 KB \(256000 bytes\)/,
      FAILED,
    );
  });

  it('rejects a document without "version", or with another version', () => {
    assertInvalid(approval('{"approve": {}}'), 'missing-version', /must include "version": "v1"/, FAILED);
    assertInvalid(
      approval('{"version": "v2", "approve": {}}'),
      'wrong-version',
      /"v2"; it must be "v1"/,
      FAILED,
    );
  });

  it('rejects two actions, and no action', () => {
    assertInvalid(
      approval(doc({ approve: {}, deny: {} })),
      'several-actions',
      /exactly one of .*it has approve and deny/,
      FAILED,
    );
    assertInvalid(
      approval(doc({})),
      'no-action',
      /exactly one of approve, deny, reassign and replacePolicy; it has none/,
      FAILED,
    );
    assertInvalid(
      judge(C1_EVENT.provisionStep, doc({ complete: {}, errored: {} })),
      'several-actions',
      /it has complete and errored/,
      'manual-provisioning',
    );
  });

  it('rejects a comment of 1025 characters', () => {
    assertInvalid(
      approval(doc({ approve: { comment: 'x'.repeat(1025) } })),
      'comment-too-long',
      /approve\.comment is 1025 characters; comments are at most 1024/,
      FAILED,
    );
    assertInvalid(
      judge(C1_EVENT.provisionStep, doc({ errored: { comment: 'y'.repeat(1025) } })),
      'comment-too-long',
      /errored\.comment is 1025 characters/,
      'manual-provisioning',
    );
  });

  it('rejects a reassignment to 33 users, or to none', () => {
    assertInvalid(
      approval(doc({ reassign: { newStepUserIds: USER_IDS(33) } })),
      'too-many-user-ids',
      /33 user IDs; at most 32/,
      FAILED,
    );
    assertInvalid(
      approval(doc({ reassign: { comment: 'to nobody' } })),
      'no-user-ids',
      /names no user/,
      FAILED,
    );
  });

  it('rejects a replacement policy without steps, or with a step of two types', () => {
    assertInvalid(
      approval(doc({ replacePolicy: { policySteps: [] } })),
      'no-policy-steps',
      /must contain at least one step/,
      FAILED,
    );
    assertInvalid(
      approval(doc({ replacePolicy: { policySteps: [{ ...APPROVAL_STEP, ...PROVISION_STEP }] } })),
      'policy-step-not-one-type',
      /policySteps\[0\] must set exactly one step type/,
      FAILED,
    );
  });

  it('rejects an empty callback body, which C1 answers with 400', () => {
    const verdict = approval('', 'callback');
    assertInvalid(verdict, 'empty-callback-body', /callback body is empty/, FAILED);
    assert.equal(verdict.callbackStatus, 400);
    assert.equal(judge(C1_EVENT.test, '', 'callback').callbackStatus, 400);
  });

  it('rejects an unknown action key, and unknown keys inside an action', () => {
    assertInvalid(
      approval(doc({ escalate: { comment: 'to security' } })),
      'unknown-key',
      /unknown key "escalate"/,
      FAILED,
    );
    assertInvalid(
      approval(doc({ approve: { comment: 'ok', reason: 'x' } })),
      'unknown-key',
      /unknown key "reason" in approve/,
      FAILED,
    );
    assertInvalid(
      judge(C1_EVENT.policyPostAction, doc({ context: { done: true } })),
      'unknown-key',
      /unknown key "context" in a policy post action answer/,
      'failure-recorded',
    );
  });

  it('rejects a document that is no object, and an action or context that is no object', () => {
    assertInvalid(approval('["v1"]'), 'not-an-object', /JSON object, not an array/, FAILED);
    assertInvalid(
      approval(doc({ approve: true })),
      'not-an-object-field',
      /approve must be an object/,
      FAILED,
    );
    assertInvalid(
      judge(C1_EVENT.workflowStep, doc({ context: ['INC-1'] })),
      'not-an-object-field',
      /context must be an object/,
      'automation-step-failed',
    );
    assertInvalid(
      judge(C1_EVENT.workflowStep, doc({})),
      'no-action',
      /needs a "context" object/,
      'automation-step-failed',
    );
  });

  it("checks the rest against the event's response schema", () => {
    assertInvalid(
      approval(doc({ replacePolicy: { policySteps: [{ approval: { users: { userIds: 'everyone' } } }] } })),
      'schema',
      /does not match c1\.webhooks\.v1\.ResponsePolicyApprovalStep: \/replacePolicy\/policySteps\/0\/approval\/users\/userIds must be array/,
      FAILED,
    );
    const strict: SchemaCheck = (name) => [`${name} says no`];
    const verdict = judgeC1Response(
      { event: C1_EVENT.workflowStep, via: 'sync', body: Buffer.from(doc({ context: {} })) },
      strict,
    );
    assert.equal(
      verdict.valid ? '' : verdict.reason,
      'the document does not match c1.webhooks.v1.ResponseWorkflowStep: c1.webhooks.v1.ResponseWorkflowStep says no',
    );
  });

  it('does not judge an answer it kept only the start of, and refuses an event C1 does not send', () => {
    assertInvalid(approval(doc({ approve: {} }).slice(0, 10), 'sync'), 'not-json', /not valid JSON/, FAILED);
    assertInvalid(
      judge(C1_EVENT.policyApprovalStep, '{"version":"v1","appr', 'sync', true),
      'truncated',
      /cannot be judged/,
      FAILED,
    );
    assert.throws(
      () => judge('c1.webhooks.v1.PayloadSomethingElse', '{"version":"v1"}'),
      /C1 sends no event/,
    );
  });

  it("judges a test's callback like any other", () => {
    const verdict = judge(C1_EVENT.test, 'OK', 'callback');
    assertInvalid(verdict, 'not-json', /not valid JSON/, 'failure-recorded');
    assert.equal(verdict.callbackStatus, 400);
  });
});

describe('describeC1Outcome', () => {
  it('says in one line what the receiver answered and what C1 does', () => {
    const lines: [C1Outcome, string][] = [
      [
        { kind: 'approved', comment: 'Auto-approved:\n requester is in Engineering.' },
        'approved: "Auto-approved: requester is in Engineering."',
      ],
      [{ kind: 'denied' }, 'denied'],
      [{ kind: 'reassigned', newStepUserIds: ['u1', 'u2'] }, 'reassigned to 2 users (u1, u2)'],
      [
        { kind: 'policy-replaced', stepCount: 1, comment: 'Escalating' },
        'replaced the remaining policy with 1 step: "Escalating"',
      ],
      [{ kind: 'provisioned' }, 'provisioning complete'],
      [{ kind: 'provisioning-errored', comment: 'No such user' }, 'provisioning errored: "No such user"'],
      [
        { kind: 'automation-context', keys: ['ticketId', 'assignee'] },
        'returned an automation context with ticketId, assignee',
      ],
      [{ kind: 'acknowledged' }, 'acknowledged'],
      [
        {
          kind: 'invalid-response',
          rule: 'no-action',
          reason: 'no action',
          consequence: 'manual-provisioning',
        },
        'invalid response: no action; the task falls back to manual provisioning',
      ],
    ];
    for (const [outcome, line] of lines) assert.equal(describeC1Outcome(outcome), line);
  });

  it('cuts a long comment to 80 characters', () => {
    const line = describeC1Outcome({ kind: 'approved', comment: 'z'.repeat(1024) });
    assert.equal(line, `approved: "${'z'.repeat(79)}…"`);
  });
});
