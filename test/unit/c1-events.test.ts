import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventGenerationContext } from '../../src/core/event-catalogue.js';
import { seededIdSource, SEEDED_CLOCK_START } from '../../src/core/seeded.js';
import { c1EventDefinition, c1Events, instanceSourceFor } from '../../src/vendors/c1/events/catalogue.js';
import { c1EventBody } from '../../src/vendors/c1/events/envelope.js';
import { expandedAt } from '../../src/vendors/c1/events/expanded.js';
import { C1_EVENT, C1_EVENT_NAMES, C1_TASK_VIEW_PATHS } from '../../src/vendors/c1/events/types.js';
import type {
  C1Payload,
  C1TaskStepPayload,
  C1TaskViewPath,
  C1WorkflowStepPayload,
  Json,
  JsonObject,
} from '../../src/vendors/c1/events/types.js';
import { buildC1Delivery } from '../../src/vendors/c1/negative.js';
import { createSigner } from '../../src/vendors/c1/signing.js';
import { specFor } from '../support/spec-check.js';

const NOW = SEEDED_CLOCK_START;
const CALLBACK_URL = 'https://mock.example.test/c1/api/v1/webhooks/callback/ChsyNVR0dHZXSWhpQVYwT0N5ZWwwQTJi';
const INSTANCE_ID = '2fCjgK8tYJxV9u8d1wupBMeXZ45';

function context(seed: string, now = NOW): EventGenerationContext {
  return { ids: seededIdSource(seed), clock: { now: () => new Date(now.getTime()) } };
}

function generate(name: string, seed = 'c1-events'): C1Payload {
  const definition = c1EventDefinition(name);
  assert.ok(definition, `no catalogue entry for ${name}`);
  return definition.generate(context(seed));
}

function bodyOf(name: string, payload: C1Payload): Buffer {
  return c1EventBody({ instanceId: INSTANCE_ID, callbackUrl: CALLBACK_URL, event: name, payload });
}

const TASK_EVENTS = [C1_EVENT.provisionStep, C1_EVENT.policyApprovalStep, C1_EVENT.policyPostAction] as const;

function taskPayload(name: (typeof TASK_EVENTS)[number], seed?: string): C1TaskStepPayload {
  return generate(name, seed) as C1TaskStepPayload;
}

/** The C1 message name of an Any's `@type`, as the spec's components name its schema. */
const messageOf = (typeUrl: Json | undefined): string => String(typeUrl).replace('type.googleapis.com/', '');

/** Every C1-style id (27 characters, KSUID-like) in a payload. */
function c1Ids(payload: C1Payload): Set<string> {
  return new Set([...JSON.stringify(payload).matchAll(/"(2[0-9A-Za-z]{26})"/g)].map((match) => match[1]!));
}

function strings(value: Json, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((item) => strings(item, out));
  else if (value !== null && typeof value === 'object')
    Object.values(value).forEach((item) => strings(item, out));
  return out;
}

describe('C1 event catalogue', () => {
  it('lists the six events C1 sends, each checked against its own webhooks: entry', () => {
    assert.deepEqual(
      c1Events.map((definition) => definition.name),
      [...C1_EVENT_NAMES],
    );
    for (const definition of c1Events) {
      assert.equal(definition.specWebhook, definition.name);
      assert.ok(definition.summary.length > 20, definition.name);
    }
  });

  for (const definition of c1Events) {
    it(`sends a signed ${definition.name} delivery that satisfies its webhooks: entry, headers and body`, async () => {
      const body = bodyOf(definition.name, definition.generate(context('spec-check')));
      const request = await buildC1Delivery(await createSigner(Buffer.alloc(32, 7)), {
        url: 'https://receiver.example.test/hooks/c1',
        event: {
          instanceId: INSTANCE_ID,
          callbackToken: 'ChsyNVR0dHZXSWhpQVYwT0N5ZWwwQTJi',
          callbackUrl: CALLBACK_URL,
          event: definition.name,
          body,
        },
        issuer: 'mock.example.test',
        jti: '2fCjnQxpBRyaQQgPO3rW6EWNdld',
        issuedAt: Math.floor(NOW.getTime() / 1000),
      });
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
      );
      assert.deepEqual(specFor('c1').checkDelivery(definition.name, headers, body.toString('utf8')), []);
    });

    it(`generates the same ${definition.name} bytes for the same seed and clock`, () => {
      const once = bodyOf(definition.name, definition.generate(context('seed-a')));
      const again = bodyOf(definition.name, definition.generate(context('seed-a')));
      assert.ok(once.equals(again));
    });
  }

  it('draws other ids from another seed (every event but the empty test)', () => {
    for (const definition of c1Events.filter((entry) => entry.name !== C1_EVENT.test)) {
      const first = c1Ids(definition.generate(context('seed-a')));
      const second = c1Ids(definition.generate(context('seed-b')));
      assert.ok(first.size >= 3, `${definition.name} carries ids`);
      assert.deepEqual(
        [...first].filter((id) => second.has(id)),
        [],
        `${definition.name} shares ids between seeds`,
      );
    }
  });

  it("tells the events apart: a body fails another event's webhooks: entry", () => {
    const body = bodyOf(C1_EVENT.provisionStep, generate(C1_EVENT.provisionStep)).toString('utf8');
    const problems = specFor('c1').checkDelivery(C1_EVENT.policyApprovalStep, {}, body);
    assert.ok(
      problems.some((problem) => problem.startsWith('body /event')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((problem) => problem.startsWith('body /payload/@type')),
      problems.join('\n'),
    );
    const withoutTask = JSON.stringify({
      ...JSON.parse(body),
      payload: { '@type': JSON.parse(body).payload['@type'] },
    });
    assert.ok(
      specFor('c1')
        .checkDelivery(C1_EVENT.provisionStep, {}, withoutTask)
        .some((problem) => problem.includes("must have required property 'taskView'")),
    );
  });

  it('wraps the payload in the envelope fields C1 sends, in their order', () => {
    const body = bodyOf(C1_EVENT.workflowStep, generate(C1_EVENT.workflowStep));
    const parsed = JSON.parse(body.toString('utf8')) as JsonObject;
    assert.deepEqual(Object.keys(parsed), ['version', 'webhookId', 'callbackUrl', 'event', 'payload']);
    assert.equal(parsed.version, 'v1');
    assert.equal(parsed.webhookId, INSTANCE_ID);
    assert.equal((parsed.payload as JsonObject)['@type'], `type.googleapis.com/${C1_EVENT.workflowStep}`);
  });

  it("builds the test event's body exactly as the test call always sent it", () => {
    const expected = Buffer.from(
      JSON.stringify({
        version: 'v1',
        webhookId: INSTANCE_ID,
        callbackUrl: CALLBACK_URL,
        event: C1_EVENT.test,
        payload: { '@type': `type.googleapis.com/${C1_EVENT.test}` },
      }),
    );
    assert.ok(bodyOf(C1_EVENT.test, generate(C1_EVENT.test)).equals(expected));
  });
});

describe('C1 task events (provision step, policy approval step, policy post action)', () => {
  for (const name of TASK_EVENTS) {
    it(`generates a ${name} whose taskView points into expanded[] at objects of the expected @type`, () => {
      const { taskView, expanded } = taskPayload(name);
      const paths = Object.keys(C1_TASK_VIEW_PATHS) as C1TaskViewPath[];
      const set = paths.filter((path) => taskView[path] !== undefined);
      assert.deepEqual(set, paths, 'every pointer the generator knows is set');
      for (const path of set) {
        const target = expandedAt(expanded, taskView[path]!);
        assert.ok(target, `${path} ${taskView[path]} points at nothing`);
        assert.equal(target['@type'], C1_TASK_VIEW_PATHS[path], path);
      }
      assert.equal(
        expanded.length,
        new Set(set.map((path) => taskView[path])).size,
        'no unreferenced object',
      );
    });

    it(`fills every expanded object of a ${name} valid against its message's schema`, () => {
      for (const object of taskPayload(name).expanded) {
        const { '@type': type, ...fields } = object;
        assert.deepEqual(specFor('c1').checkSchema(messageOf(type), fields), [], messageOf(type));
      }
    });

    it(`keeps the ${name} task's ids in step with the expanded app, entitlement and users`, () => {
      const { taskView, expanded } = taskPayload(name);
      const at = (path: C1TaskViewPath): JsonObject => expandedAt(expanded, taskView[path]!)!;
      const grant = (taskView.task.type as { grant: JsonObject }).grant;
      assert.equal(grant.appId, at('appPath').id);
      assert.equal(grant.appEntitlementId, at('entitlementsPath').id);
      assert.equal(grant.appUserId, at('appUserPath').id);
      assert.equal(grant.identityUserId, at('identityUserPath').id);
      assert.equal(taskView.task.userId, at('userPath').id);
      assert.equal(at('entitlementsPath').appId, at('appPath').id);
      assert.equal(at('appUserPath').identityUserId, at('identityUserPath').id);
      assert.deepEqual(taskView.task.approverIds, [at('approversPath').id]);
    });
  }

  it('stamps the task with times from the clock, in protobuf JSON form', () => {
    const later = new Date('2027-03-04T05:06:07.000Z');
    const definition = c1EventDefinition(C1_EVENT.provisionStep)!;
    const { taskView } = definition.generate(context('clock', later)) as C1TaskStepPayload;
    assert.equal(taskView.task.updatedAt, '2027-03-04T05:06:07Z');
    assert.equal(taskView.task.createdAt, '2027-03-04T03:31:07Z');
  });

  it('shows each event at its stage: waiting on the webhook step, or closed and granted after the policy', () => {
    const stateOf = (name: (typeof TASK_EVENTS)[number]): [Json | undefined, JsonObject] => {
      const task = taskPayload(name).taskView.task;
      return [task.state, task.policy as JsonObject];
    };
    const [approvalState, approvalPolicy] = stateOf(C1_EVENT.policyApprovalStep);
    assert.equal(approvalState, 'TASK_STATE_OPEN');
    assert.ok('approval' in (approvalPolicy.current as JsonObject));
    const [provisionState, provisionPolicy] = stateOf(C1_EVENT.provisionStep);
    assert.equal(provisionState, 'TASK_STATE_OPEN');
    assert.ok('provision' in (provisionPolicy.current as JsonObject));
    const [postState, postPolicy] = stateOf(C1_EVENT.policyPostAction);
    assert.equal(postState, 'TASK_STATE_CLOSED');
    assert.equal(postPolicy.current, undefined);
  });

  it('fills values a person would recognise, not schema placeholders', () => {
    for (const definition of c1Events) {
      const values = strings(definition.generate(context('realism')) as unknown as Json);
      assert.deepEqual(
        values.filter((value) => /^<?string>?$/.test(value) || value === ''),
        [],
        definition.name,
      );
      for (const email of values.filter((value) => value.includes('@'))) {
        assert.match(email, /^[a-z]+\.[a-z]+@example\.com$/, definition.name);
      }
    }
  });
});

describe('instanceSourceFor', () => {
  const expectedVariant: Record<string, string | undefined> = {
    [C1_EVENT.test]: 'test',
    [C1_EVENT.provisionStep]: 'provisionStep',
    [C1_EVENT.policyApprovalStep]: 'approvalStep',
    [C1_EVENT.policyPostAction]: 'policyPostAction',
    [C1_EVENT.workflowStep]: 'workflowStep',
    [C1_EVENT.findingDispatch]: undefined,
  };

  it('names the WebhookSource variant C1 records for each event, valid in a WebhookInstance', () => {
    for (const definition of c1Events) {
      const source = instanceSourceFor(definition.name, definition.generate(context('source')));
      const variant = expectedVariant[definition.name];
      assert.deepEqual(Object.keys(source), variant === undefined ? [] : [variant], definition.name);
      assert.deepEqual(specFor('c1').checkSchema('c1.api.webhooks.v1.WebhookSource', source), []);
      const instance = {
        id: INSTANCE_ID,
        webhookId: '2fCjgK8tYJxV9u8d1wupBMeXZ46',
        state: 'WEBHOOK_STATE_WAITING_CALLBACK',
        attempts: 1,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        expiresAt: '2026-01-09T00:00:00.000Z',
        source,
        spec: { destination: 'https://receiver.example.test/hooks/c1' },
      };
      assert.deepEqual(specFor('c1').checkSchema('c1.api.webhooks.v1.WebhookInstance', instance), []);
    }
  });

  it('takes the ticket from the task, and the execution and step from the workflow payload', () => {
    for (const name of TASK_EVENTS) {
      const payload = taskPayload(name, 'ticket');
      const source = instanceSourceFor(name, payload) as Record<string, { ticketId: string }>;
      assert.equal(Object.values(source)[0]!.ticketId, payload.taskView.task.id);
    }
    const workflow = generate(C1_EVENT.workflowStep) as C1WorkflowStepPayload;
    assert.deepEqual(instanceSourceFor(C1_EVENT.workflowStep, workflow), {
      workflowStep: {
        workflowExecutionId: workflow.workflowExecutionId,
        workflowStepId: workflow.workflowExecutionStepId,
      },
    });
  });

  it('refuses a payload that belongs to another event', () => {
    assert.throws(
      () => instanceSourceFor(C1_EVENT.provisionStep, generate(C1_EVENT.test)),
      /is not the payload of c1\.webhooks\.v1\.PayloadProvisionStep/,
    );
  });
});
