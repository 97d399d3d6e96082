/**
 * C1's two-way contract for triggered events (webhooks.mdx, "Responding to webhooks", "Webhook response
 * formats"): every valid action of every event with a response document, answered synchronously (a 2xx body)
 * and through the callback URL (202, then a POST), records the right outcome in four places — the
 * WebhookInstance's state, GET /__admin/instances' `outcome`, the journal's verdict and the trigger's verdict.
 * Each rule is broken once; an invalid synchronous answer fails the step with its consequence; a 202 whose
 * callback never comes fails once the callback timeout has passed.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { TriggerResult, TriggeredDelivery } from '../../src/core/event-catalogue.js';
import type { DeliveryRecord } from '../../src/core/journal.js';
import { startMockServer } from '../../src/server/index.js';
import type { MockServer } from '../../src/server/index.js';
import { vendorAgent } from '../support/http.js';
import { startReceiver } from '../support/receiver.js';
import type { Behaviour, ReceivedRequest, Receiver } from '../support/receiver.js';
import { makeFixtures } from '../support/server.js';
import { deliveryTo, doorFor, receivedFor, recordOf, triggerThrough } from '../support/trigger.js';
import type { Door } from '../support/trigger.js';

const HOOK_ID = '2bWkJ8Qv3nYc5hT0dLx9ZfANS01';
/** A webhook whose callbacks expire after a minute. */
const SHORT_ID = '2bWkJ8Qv3nYc5hT0dLx9ZfANS02';
const SHORT_TIMEOUT_MS = 60_000;

const TEST = 'c1.webhooks.v1.PayloadTest';
const PROVISION = 'c1.webhooks.v1.PayloadProvisionStep';
const APPROVAL = 'c1.webhooks.v1.PayloadPolicyApprovalStep';
const POST_ACTION = 'c1.webhooks.v1.PayloadPolicyPostAction';
const WORKFLOW = 'c1.webhooks.v1.PayloadWorkflowStep';
const FINDING = 'c1.webhooks.v1.PayloadFindingDispatch';

const USER_ID = '2k0uZsEO5ttOsvsNK2A9wYmkJYh';

interface Outcome {
  kind: string;
  comment?: string;
  newStepUserIds?: string[];
  stepCount?: number;
  keys?: string[];
  rule?: string;
  reason?: string;
  consequence?: string;
}

interface InstanceView {
  id: string;
  webhookId: string;
  state: string;
  createdAt: string;
  completedAt?: string;
  expiresAt: string;
  outcome?: Outcome;
}

interface Status {
  code: number;
  message: string;
  details: { fieldViolations?: { field: string; description: string }[] }[];
}

/** Each valid action of each event with a response document, and what C1 makes of it. */
const VALID: { event: string; action: string; doc: object; outcome: Outcome }[] = [
  {
    event: PROVISION,
    action: 'complete',
    doc: { version: 'v1', complete: { comment: 'Provisioned by the HR bridge.' } },
    outcome: { kind: 'provisioned', comment: 'Provisioned by the HR bridge.' },
  },
  {
    event: PROVISION,
    action: 'errored',
    doc: { version: 'v1', errored: { comment: 'GitHub answered 503.' } },
    outcome: { kind: 'provisioning-errored', comment: 'GitHub answered 503.' },
  },
  {
    event: APPROVAL,
    action: 'approve',
    doc: { version: 'v1', approve: { comment: 'Requester is on call.' } },
    outcome: { kind: 'approved', comment: 'Requester is on call.' },
  },
  {
    event: APPROVAL,
    action: 'deny',
    doc: { version: 'v1', deny: { comment: 'Not in the on-call rotation.' } },
    outcome: { kind: 'denied', comment: 'Not in the on-call rotation.' },
  },
  {
    event: APPROVAL,
    action: 'reassign',
    doc: { version: 'v1', reassign: { newStepUserIds: [USER_ID], comment: 'Her manager decides.' } },
    outcome: { kind: 'reassigned', newStepUserIds: [USER_ID], comment: 'Her manager decides.' },
  },
  {
    event: APPROVAL,
    action: 'replacePolicy',
    doc: {
      version: 'v1',
      replacePolicy: { policySteps: [{ approval: { manager: {} } }, { accept: {} }] },
    },
    outcome: { kind: 'policy-replaced', stepCount: 2 },
  },
  {
    event: WORKFLOW,
    action: 'context',
    doc: { version: 'v1', context: { ticket: 'INC-4711', priority: 2 } },
    outcome: { kind: 'automation-context', keys: ['ticket', 'priority'] },
  },
  { event: POST_ACTION, action: 'version', doc: { version: 'v1' }, outcome: { kind: 'acknowledged' } },
  { event: FINDING, action: 'version', doc: { version: 'v1' }, outcome: { kind: 'acknowledged' } },
  { event: TEST, action: 'version', doc: { version: 'v1' }, outcome: { kind: 'acknowledged' } },
];

let server: MockServer;
let receiver: Receiver;
let fixturesDir: string;

before(async () => {
  receiver = await startReceiver();
  fixturesDir = await makeFixtures({
    webhooks: {
      c1: [
        { id: HOOK_ID, displayName: 'Answering receiver', url: `${receiver.url}/c1/answers` },
        {
          id: SHORT_ID,
          displayName: 'Short callback timeout',
          url: `${receiver.url}/c1/short`,
          callbackTimeout: `${SHORT_TIMEOUT_MS / 1000}s`,
        },
      ],
    },
  });
  server = await startMockServer({ port: 0, fixturesDir });
});

after(async () => {
  await server.close();
  await receiver.close();
  await rm(fixturesDir, { recursive: true, force: true });
});

beforeEach(() => {
  receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
});

interface Fired {
  result: TriggerResult;
  entry: TriggeredDelivery;
  record: DeliveryRecord;
  received: ReceivedRequest;
  instance: InstanceView;
}

/** Triggers `event` at a webhook whose receiver answers as told. */
async function fire(
  event: string,
  answer: Behaviour,
  door: Door = 'admin',
  webhookId = HOOK_ID,
): Promise<Fired> {
  receiver.behave(answer);
  const result = await triggerThrough(door, server, { vendor: 'c1', event, webhookId });
  const entry = deliveryTo(result, webhookId);
  const record = recordOf(server, entry);
  return {
    result,
    entry,
    record,
    received: receivedFor(receiver, record),
    instance: entry.record as InstanceView,
  };
}

const answer = (doc: object | string, status = 200): Behaviour => ({
  kind: 'answer',
  status,
  body: typeof doc === 'string' ? doc : JSON.stringify(doc),
});
const accepted: Behaviour = { kind: 'answer', status: 202, body: '' };

/** The instance as GET /__admin/instances shows it. */
async function instanceView(id: string): Promise<InstanceView> {
  const res = await fetch(`${server.url}/__admin/instances?vendor=c1`);
  assert.equal(res.status, 200);
  const { instances } = (await res.json()) as { instances: { vendor: string; instance: InstanceView }[] };
  const found = instances.find((entry) => entry.instance.id === id);
  assert.ok(found, `GET /__admin/instances lists ${id}`);
  assert.equal(found.vendor, 'c1');
  return found.instance;
}

function journalled(record: DeliveryRecord): DeliveryRecord {
  const found = server.deliveries.all().find((entry) => entry.id === record.id);
  assert.ok(found);
  return found;
}

/** POSTs a callback body to the delivery's Webhook-Callback-Url; answers the status and body. */
async function callback(
  received: ReceivedRequest,
  body: string | object | undefined,
  status: number,
): Promise<Status | Record<string, never>> {
  const url = received.headers['webhook-callback-url'];
  assert.ok(url !== undefined && url.startsWith(`${server.urls.c1}/api/v1/webhooks/callback/`), url);
  const request = vendorAgent(server.urls.c1, 'c1')
    .post(url.slice(server.urls.c1.length))
    .set('Content-Type', 'application/json');
  const res = await (
    body === undefined ? request : request.send(typeof body === 'string' ? body : JSON.stringify(body))
  ).expect(status);
  return res.body as Status | Record<string, never>;
}

function assertOutcome(actual: Outcome | undefined, expected: Outcome): void {
  assert.ok(actual, 'an outcome is recorded');
  for (const [key, value] of Object.entries(expected)) {
    assert.deepEqual(actual[key as keyof Outcome], value, `outcome.${key}`);
  }
}

describe('valid answers to triggered C1 events, synchronous and by callback', () => {
  VALID.forEach(({ event, action, doc, outcome }, index) => {
    const door = doorFor(index);
    it(`records ${outcome.kind} for ${event} answered ${action} synchronously (through ${door})`, async () => {
      const { entry, record, instance } = await fire(event, answer(doc), door);
      assert.equal(entry.verdict?.valid, true, entry.verdict?.description);
      assertOutcome(entry.verdict.outcome as Outcome, outcome);
      assert.equal(entry.verdict.kind, outcome.kind);
      assert.deepEqual(record.verdict, entry.verdict, 'the journal keeps the verdict');
      assert.equal(instance.state, 'WEBHOOK_STATE_SUCCESS');
      assert.ok(instance.completedAt);
      const view = await instanceView(instance.id);
      assert.equal(view.state, 'WEBHOOK_STATE_SUCCESS');
      assertOutcome(view.outcome, outcome);
    });

    it(`records ${outcome.kind} for ${event} answered 202, then ${action} at the callback URL (through ${door})`, async () => {
      const { entry, record, received, instance } = await fire(event, accepted, door);
      assert.deepEqual(entry.result, { kind: 'response', status: 202 });
      assert.equal(entry.verdict, undefined, 'a 202 is not judged: its body is ignored');
      assert.equal(instance.state, 'WEBHOOK_STATE_WAITING_CALLBACK');
      assert.equal(instance.completedAt, undefined);
      assert.equal((await instanceView(instance.id)).outcome, undefined, 'no outcome before the callback');

      assert.deepEqual(await callback(received, doc, 200), {});
      const view = await instanceView(instance.id);
      assert.equal(view.state, 'WEBHOOK_STATE_SUCCESS');
      assert.ok(view.completedAt);
      assertOutcome(view.outcome, outcome);
      const verdict = journalled(record).verdict;
      assert.equal(verdict?.valid, true);
      assert.equal(verdict.kind, outcome.kind);

      const reused = (await callback(received, doc, 400)) as Status;
      assert.match(reused.message, /already been used/);
    });
  });
});

describe('answers that break a rule', () => {
  /** Invalid synchronous answers: the step fails (FATAL_ERROR), with the event's consequence. */
  const SYNC: { rule: string; event: string; body: string; consequence: string; reason: RegExp }[] = [
    {
      rule: 'not-json',
      event: PROVISION,
      body: 'provisioned, thanks',
      consequence: 'manual-provisioning',
      reason: /not valid JSON/,
    },
    {
      rule: 'missing-version',
      event: APPROVAL,
      body: JSON.stringify({ approve: {} }),
      consequence: 'policy-step-failed',
      reason: /"version": "v1"/,
    },
    {
      rule: 'wrong-version',
      event: WORKFLOW,
      body: JSON.stringify({ version: 'v2', context: {} }),
      consequence: 'automation-step-failed',
      reason: /"v2"; it must be "v1"/,
    },
    {
      rule: 'too-large',
      event: PROVISION,
      body: JSON.stringify({
        version: 'v1',
        complete: { comment: 'x'.repeat(1000) },
        pad: 'y'.repeat(251 * 1024),
      }),
      consequence: 'manual-provisioning',
      reason: /at most 250 KB/,
    },
    {
      rule: 'several-actions',
      event: APPROVAL,
      body: JSON.stringify({ version: 'v1', approve: {}, deny: {} }),
      consequence: 'policy-step-failed',
      reason: /exactly one of approve, deny, reassign and replacePolicy; it has approve and deny/,
    },
    {
      rule: 'no-policy-steps',
      event: APPROVAL,
      body: JSON.stringify({ version: 'v1', replacePolicy: { policySteps: [] } }),
      consequence: 'policy-step-failed',
      reason: /at least one step/,
    },
  ];

  for (const { rule, event, body, consequence, reason } of SYNC) {
    it(`fails ${event} answered synchronously with a ${rule} document: FATAL_ERROR, ${consequence}`, async () => {
      const { entry, record, instance } = await fire(event, { kind: 'answer', status: 200, body });
      assert.equal(entry.verdict?.valid, false);
      assert.equal(entry.verdict.kind, 'invalid-response');
      const outcome = entry.verdict.outcome as Outcome;
      assert.equal(outcome.rule, rule);
      assert.equal(outcome.consequence, consequence);
      assert.match(outcome.reason ?? '', reason);
      assert.deepEqual(record.verdict, entry.verdict);
      assert.equal(instance.state, 'WEBHOOK_STATE_FATAL_ERROR');
      assert.ok(instance.completedAt, 'a failed step is finished: no retry');
      const view = await instanceView(instance.id);
      assert.equal(view.state, 'WEBHOOK_STATE_FATAL_ERROR');
      assertOutcome(view.outcome, { kind: 'invalid-response', rule, consequence });
    });
  }

  /** Invalid callback bodies: 400, the URL stays usable, the journal notes why. */
  const CALLBACK: { rule: string; event: string; body: string | undefined; reason: RegExp }[] = [
    { rule: 'empty-callback-body', event: PROVISION, body: undefined, reason: /requestBody is required/ },
    { rule: 'not-json', event: PROVISION, body: '{"version": "v1", complete', reason: /not valid JSON/ },
    {
      rule: 'comment-too-long',
      event: APPROVAL,
      body: JSON.stringify({ version: 'v1', approve: { comment: 'c'.repeat(1025) } }),
      reason: /1025 characters; comments are at most 1024/,
    },
    {
      rule: 'too-many-user-ids',
      event: APPROVAL,
      body: JSON.stringify({
        version: 'v1',
        reassign: {
          newStepUserIds: Array.from({ length: 33 }, (_, i) => `2user${String(i).padStart(22, '0')}`),
        },
      }),
      reason: /33 user IDs; at most 32/,
    },
    {
      rule: 'unknown-key',
      event: PROVISION,
      body: JSON.stringify({ version: 'v1', complete: {}, priority: 'high' }),
      reason: /unknown key "priority"/,
    },
    {
      rule: 'wrong-version',
      event: WORKFLOW,
      body: JSON.stringify({ version: 'v0', context: {} }),
      reason: /"version" is "v0"; it must be "v1"/,
    },
  ];

  for (const { rule, event, body, reason } of CALLBACK) {
    it(`refuses a ${rule} callback for ${event} with 400 and keeps the URL usable`, async () => {
      const { received, instance } = await fire(event, accepted);
      const refused = (await callback(received, body, 400)) as Status;
      assert.equal(refused.code, 3);
      assert.match(refused.message, reason);
      const waiting = await instanceView(instance.id);
      assert.equal(waiting.state, 'WEBHOOK_STATE_WAITING_CALLBACK');
      const valid = VALID.find((entry) => entry.event === event)!;
      await callback(received, valid.doc, 200);
      const done = await instanceView(instance.id);
      assert.equal(done.state, 'WEBHOOK_STATE_SUCCESS');
      assertOutcome(done.outcome, valid.outcome);
    });
  }

  it('journals why a callback document was refused', async () => {
    const { record, received } = await fire(APPROVAL, accepted);
    await callback(received, { version: 'v1', approve: { comment: 'c'.repeat(1025) } }, 400);
    const verdict = journalled(record).verdict;
    assert.equal(verdict?.valid, false);
    assert.equal((verdict.outcome as Outcome).rule, 'comment-too-long');
    assert.equal((verdict.outcome as Outcome).consequence, 'policy-step-failed');
  });
});

describe('the callback timeout', () => {
  it('refuses a callback that arrives after the webhook’s callbackTimeout with 400', async () => {
    const { received, instance } = await fire(PROVISION, accepted, 'programmatic', SHORT_ID);
    assert.equal(Date.parse(instance.expiresAt) - Date.parse(instance.createdAt), SHORT_TIMEOUT_MS);
    server.clock.advance(SHORT_TIMEOUT_MS + 1000);
    try {
      const refused = (await callback(received, { version: 'v1', complete: {} }, 400)) as Status;
      assert.match(refused.message, /expired/);
    } finally {
      server.clock.advance(-(SHORT_TIMEOUT_MS + 1000));
    }
  });

  it('accepts a callback just before the callbackTimeout', async () => {
    const { received, instance } = await fire(PROVISION, accepted, 'programmatic', SHORT_ID);
    server.clock.advance(SHORT_TIMEOUT_MS - 5000);
    try {
      await callback(received, { version: 'v1', complete: {} }, 200);
      assert.equal((await instanceView(instance.id)).state, 'WEBHOOK_STATE_SUCCESS');
    } finally {
      server.clock.advance(-(SHORT_TIMEOUT_MS - 5000));
    }
  });

  it('fails a 202 whose callback never comes once the callbackTimeout has passed: provisioning falls back to manual', async () => {
    const { record, instance } = await fire(PROVISION, accepted, 'admin', SHORT_ID);
    assert.equal((await instanceView(instance.id)).state, 'WEBHOOK_STATE_WAITING_CALLBACK');
    server.clock.advance(SHORT_TIMEOUT_MS + 1000);
    try {
      const view = await instanceView(instance.id);
      assert.equal(view.state, 'WEBHOOK_STATE_FATAL_ERROR');
      assert.equal(view.completedAt, view.expiresAt, 'it failed when the timeout elapsed');
      assertOutcome(view.outcome, { kind: 'callback-timeout', consequence: 'manual-provisioning' });
      const verdict = journalled(record).verdict;
      assert.equal(verdict?.valid, false);
      assert.equal(verdict.kind, 'callback-timeout');
    } finally {
      server.clock.advance(-(SHORT_TIMEOUT_MS + 1000));
    }
  });
});

describe('PayloadTest: any 2xx acknowledges it', () => {
  const ANSWERS: Behaviour[] = [
    { kind: 'answer', status: 200, body: 'OK' },
    { kind: 'answer', status: 201, body: '{}' },
    { kind: 'answer', status: 204 },
    { kind: 'answer', status: 200, body: JSON.stringify({ version: 'v1' }) },
  ];
  for (const behaviour of ANSWERS) {
    const label =
      behaviour.kind === 'answer' ? `${behaviour.status} ${JSON.stringify(behaviour.body ?? '')}` : '';
    it(`acknowledges a test answered ${label}`, async () => {
      const { entry, instance } = await fire(TEST, behaviour);
      assert.equal(entry.verdict?.valid, true);
      assert.equal(entry.verdict.kind, 'acknowledged');
      assert.equal(instance.state, 'WEBHOOK_STATE_SUCCESS');
      assert.equal((await instanceView(instance.id)).outcome?.kind, 'acknowledged');
    });
  }
});
