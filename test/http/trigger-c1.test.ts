/**
 * Triggering every event of C1's catalogue (issue 13) at a real receiver: each is delivered, its JWT verifies
 * against the mock's JWKS URL (jose's createRemoteJWKSet) and by `mock.verifyDelivery`, its body matches the
 * spec's `webhooks:` entry, and the receiver's valid answer is judged as the event's response document. Both
 * doors (POST /__admin/trigger and mock.trigger) are used. Then the negative kinds, applied to triggered events.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { c1 } from '../../src/vendors/c1/index.js';
import { C1_NEGATIVE_KINDS } from '../../src/vendors/c1/negative.js';
import { startMockServer } from '../../src/server/index.js';
import type { MockServer } from '../../src/server/index.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { makeFixtures } from '../support/server.js';
import { verifyC1Delivery } from '../support/signatures.js';
import {
  bodyOf,
  deliveryTo,
  doorFor,
  receivedFor,
  recordOf,
  assertUnknownWebhookRefused,
  specProblems,
  triggerOverHttp,
  triggerThrough,
} from '../support/trigger.js';

const HOOK_ID = '2bWkJ8Qv3nYc5hT0dLx9ZfTRG01';
/** C1's catalogue: the test event and the five events of "Event types" (webhooks.mdx). */
const C1_EVENT_COUNT = 6;

/** A valid answer to each event, and the outcome C1 makes of it. */
const VALID_ANSWERS: Readonly<Record<string, { answer: object; kind: string }>> = {
  'c1.webhooks.v1.PayloadTest': { answer: { version: 'v1' }, kind: 'acknowledged' },
  'c1.webhooks.v1.PayloadProvisionStep': {
    answer: { version: 'v1', complete: { comment: 'Provisioned by the HR bridge.' } },
    kind: 'provisioned',
  },
  'c1.webhooks.v1.PayloadPolicyApprovalStep': {
    answer: { version: 'v1', approve: { comment: 'Requester is on call.' } },
    kind: 'approved',
  },
  'c1.webhooks.v1.PayloadPolicyPostAction': { answer: { version: 'v1' }, kind: 'acknowledged' },
  'c1.webhooks.v1.PayloadWorkflowStep': {
    answer: { version: 'v1', context: { ticket: 'INC-4711' } },
    kind: 'automation-context',
  },
  'c1.webhooks.v1.PayloadFindingDispatch': { answer: { version: 'v1' }, kind: 'acknowledged' },
};

/** The WebhookInstance `source` C1 records for each event, from the payload sent. */
function expectedSource(event: string, part: Record<string, unknown>): object {
  const taskId = (): string => ((part.taskView as { task: { id: string } }).task as { id: string }).id;
  switch (event) {
    case 'c1.webhooks.v1.PayloadTest':
      return { test: {} };
    case 'c1.webhooks.v1.PayloadProvisionStep':
      return { provisionStep: { ticketId: taskId() } };
    case 'c1.webhooks.v1.PayloadPolicyApprovalStep':
      return { approvalStep: { ticketId: taskId() } };
    case 'c1.webhooks.v1.PayloadPolicyPostAction':
      return { policyPostAction: { ticketId: taskId() } };
    case 'c1.webhooks.v1.PayloadWorkflowStep':
      return {
        workflowStep: {
          workflowExecutionId: part.workflowExecutionId,
          workflowStepId: part.workflowExecutionStepId,
        },
      };
    default:
      return {};
  }
}

let server: MockServer;
let receiver: Receiver;
let fixturesDir: string;
let hookUrl: string;

before(async () => {
  receiver = await startReceiver();
  hookUrl = `${receiver.url}/c1/trigger?tenant=acme`;
  fixturesDir = await makeFixtures({
    webhooks: { c1: [{ id: HOOK_ID, displayName: 'Trigger receiver', url: hookUrl }] },
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

const jwksUrl = (): string => `${server.urls.c1}/auth/v1/jwks`;
const expected = (): { audience: string; issuer: string; url: string } => ({
  audience: '127.0.0.1',
  issuer: new URL(server.url).host,
  url: hookUrl,
});

describe("C1's catalogue, triggered at a real receiver", () => {
  it('lists exactly the module’s six events in GET /__admin/catalogue, each with a webhooks: entry', async () => {
    const res = await fetch(`${server.url}/__admin/catalogue?vendor=c1`);
    assert.equal(res.status, 200);
    const { vendors } = (await res.json()) as {
      vendors: { vendor: string; events: { name: string; specWebhook: string }[] }[];
    };
    assert.equal(vendors.length, 1);
    const names = vendors[0]!.events.map((event) => event.name);
    assert.equal(names.length, C1_EVENT_COUNT);
    assert.deepEqual(
      names,
      c1.events.map((event) => event.name),
    );
    assert.deepEqual(Object.keys(VALID_ANSWERS).sort(), [...names].sort(), 'a valid answer for each event');
  });

  c1.events.forEach((event, index) => {
    const door = doorFor(index);
    const { answer, kind } = VALID_ANSWERS[event.name] ?? { answer: {}, kind: '(no answer known)' };
    it(`delivers ${event.name} (through ${door}): signed, verified, valid against webhooks.${event.specWebhook}, answer judged ${kind}`, async () => {
      receiver.behave({ kind: 'answer', status: 200, body: JSON.stringify(answer) });
      const result = await triggerThrough(door, server, {
        vendor: 'c1',
        event: event.name,
        webhookId: HOOK_ID,
      });
      assert.equal(result.vendor, 'c1');
      assert.equal(result.event, event.name);
      assert.equal(result.deliveries.length, 1, 'only the webhook named');
      const entry = deliveryTo(result, HOOK_ID);
      assert.equal(entry.reason, 'the webhook named');
      assert.equal(entry.url, hookUrl);
      assert.deepEqual(entry.result, { kind: 'response', status: 200 });
      assert.equal(entry.verdict?.valid, true, entry.verdict?.description);
      assert.equal(entry.verdict.kind, kind);

      const record = recordOf(server, entry);
      assert.equal(record.event, event.name);
      assert.deepEqual(record.verdict, entry.verdict, 'the journal keeps the same verdict');
      const received = receivedFor(receiver, record);
      assert.equal(received.path, '/c1/trigger?tenant=acme');
      assert.deepEqual(specProblems('c1', event.specWebhook, received), []);

      const body = bodyOf(received);
      assert.equal(body.event, event.name);
      assert.equal(received.headers['webhook-event'], event.name);
      assert.deepEqual(body.payload, result.part, 'the payload is the part the trigger reports');
      assert.equal((body.payload as { '@type': string })['@type'], `type.googleapis.com/${event.name}`);

      const verification = await server.verifyDelivery(record);
      assert.equal(verification.verified, true, verification.reason);
      const claims = await verifyC1Delivery(jwksUrl(), received.headers, received.rawBody, expected());
      assert.equal(claims.htu, `${receiver.url}/c1/trigger`);

      const instance = entry.record as { id: string; state: string; webhookId: string; source: object };
      assert.equal(instance.id, body.webhookId, 'the instance is the delivery');
      assert.equal(instance.id, received.headers['webhook-id']);
      assert.equal(instance.webhookId, HOOK_ID);
      assert.equal(instance.state, 'WEBHOOK_STATE_SUCCESS');
      assert.deepEqual(instance.source, expectedSource(event.name, result.part as Record<string, unknown>));
    });
  });

  it('sends a triggered event to every C1 webhook when none is named, each as its own instance', async () => {
    const listed = await fetch(`${server.urls.c1}/api/v1/webhooks`, {
      headers: { authorization: 'Bearer demo-c1-token' },
    });
    const ids = ((await listed.json()) as { list: { id: string }[] }).list.map((webhook) => webhook.id);
    assert.ok(ids.includes(HOOK_ID));
    const result = await triggerOverHttp(server, {
      vendor: 'c1',
      event: 'c1.webhooks.v1.PayloadFindingDispatch',
    });
    assert.deepEqual(result.deliveries.map((delivery) => delivery.webhookId).sort(), [...ids].sort());
    for (const delivery of result.deliveries) {
      assert.equal(delivery.delivered, true);
      assert.match(delivery.reason, /every C1 webhook/);
    }
    const instanceIds = result.deliveries.map((delivery) => (delivery.record as { id: string }).id);
    assert.equal(new Set(instanceIds).size, instanceIds.length, 'one instance per webhook');
  });

  it('refuses a trigger for a webhook C1 does not have with 404 naming webhookId, delivering nothing', async () => {
    await assertUnknownWebhookRefused(server, receiver, {
      vendor: 'c1',
      event: 'c1.webhooks.v1.PayloadTest',
      webhookId: '2nope',
    });
  });
});

describe('negative kinds on triggered C1 events', () => {
  const EVENT = 'c1.webhooks.v1.PayloadProvisionStep';

  /** Why a receiver's check of the JWT and digests refuses the delivery, or undefined when it passes. */
  async function receiverRefusal(
    headers: Record<string, string>,
    rawBody: Buffer,
  ): Promise<string | undefined> {
    try {
      await verifyC1Delivery(jwksUrl(), headers, rawBody, expected());
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  const REFUSED_BECAUSE: Readonly<Record<string, RegExp>> = {
    'tampered-body': /htb_s256/,
    'wrong-secret': /signature verification failed|no applicable key/i,
    'expired-jwt': /"exp" claim timestamp check failed/,
    'wrong-audience': /"aud" claim/,
    'bad-content-digest': /Content-Digest/,
    'missing-signature': /no "bearer <JWT>" Authorization header/,
  };

  it('offers exactly the kinds this suite checks', () => {
    assert.deepEqual(
      [...C1_NEGATIVE_KINDS].sort(),
      [...Object.keys(REFUSED_BECAUSE), 'duplicate-event-id'].sort(),
    );
  });

  for (const [kind, because] of Object.entries(REFUSED_BECAUSE)) {
    it(`a triggered ${kind} delivery arrives, journalled as negative, and both verifiers refuse it`, async () => {
      const result = await triggerOverHttp(server, {
        vendor: 'c1',
        event: EVENT,
        webhookId: HOOK_ID,
        negative: kind,
      });
      const record = recordOf(server, deliveryTo(result, HOOK_ID));
      assert.equal(record.negative, kind);
      const received = receivedFor(receiver, record);
      const refusal = await receiverRefusal(received.headers, received.rawBody);
      assert.ok(refusal !== undefined, 'the receiver-side check refuses it');
      assert.match(refusal, because);
      const verification = await server.verifyDelivery(record);
      assert.equal(verification.verified, false, verification.reason);
    });
  }

  it('a triggered duplicate-event-id sends the webhook’s previous valid event again: same Webhook-Id and body, a fresh JWT', async () => {
    const first = await server.trigger({ vendor: 'c1', event: EVENT, webhookId: HOOK_ID });
    const original = receivedFor(receiver, recordOf(server, deliveryTo(first, HOOK_ID)));
    const duplicate = await server.trigger({
      vendor: 'c1',
      event: EVENT,
      webhookId: HOOK_ID,
      negative: 'duplicate-event-id',
    });
    const record = server.deliveries
      .all()
      .find((entry) => entry.id === deliveryTo(duplicate, HOOK_ID).deliveryId);
    assert.ok(record);
    assert.equal(record.negative, 'duplicate-event-id');
    const again = receiver.received.at(-1)!;
    assert.equal(again.headers['webhook-id'], original.headers['webhook-id'], 'the same de-duplication key');
    assert.ok(again.rawBody.equals(original.rawBody), 'the same body');
    assert.notEqual(again.headers.authorization, original.headers.authorization, 'a fresh JWT');
    assert.equal(await receiverRefusal(again.headers, again.rawBody), undefined, 'correctly signed');
  });
});
