/**
 * Seeded reproducibility of triggered events (issue 13): two mocks started with the same seed deliver
 * byte-identical bodies and signatures for the same triggers — C1's EdDSA JWT, Shodai's and SuperOffice's
 * HMACs — to the same real receiver; another seed does not.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { TriggerRequest, TriggerResult } from '../../src/core/event-catalogue.js';
import { startMockServer } from '../../src/server/index.js';
import { startReceiver } from '../support/receiver.js';
import type { ReceivedRequest, Receiver } from '../support/receiver.js';
import { makeFixtures } from '../support/server.js';
import type { Vendor } from '../support/spec-check.js';
import { deliveryTo, receivedFor, recordOf, specProblems } from '../support/trigger.js';

const C1_HOOK = '2bWkJ8Qv3nYc5hT0dLx9ZfSED01';
const SHODAI_HOOK = 'wh_seeded_1';
const SO_HOOK = 401;
/** Both mocks name themselves so: callback URLs and the JWT's issuer are then the same. */
const PUBLIC_URL = 'http://vwm.test:4010';

const TRIGGERS: {
  request: TriggerRequest & { vendor: Vendor };
  webhookId: string;
  signature: string[];
  spec: string;
}[] = [
  {
    request: { vendor: 'c1', event: 'c1.webhooks.v1.PayloadPolicyApprovalStep', webhookId: C1_HOOK },
    webhookId: C1_HOOK,
    signature: ['authorization', 'content-digest', 'webhook-id', 'webhook-callback-url'],
    spec: 'c1.webhooks.v1.PayloadPolicyApprovalStep',
  },
  {
    request: {
      vendor: 'shodai',
      event: 'agreement.notification.triggered',
      variant: 'temporal',
      webhookId: SHODAI_HOOK,
    },
    webhookId: SHODAI_HOOK,
    signature: ['x-shodai-webhook-id', 'x-shodai-webhook-timestamp', 'x-shodai-webhook-signature'],
    spec: 'agreement.notification.triggered',
  },
  {
    request: { vendor: 'superoffice', event: 'sale.sold', webhookId: String(SO_HOOK) },
    webhookId: String(SO_HOOK),
    signature: ['x-superoffice-eventid', 'x-superoffice-signature'],
    spec: 'sale.sold',
  },
];

let receiver: Receiver;
let fixturesDir: string;

before(async () => {
  receiver = await startReceiver();
  fixturesDir = await makeFixtures({
    webhooks: {
      c1: [{ id: C1_HOOK, displayName: 'Seeded', url: `${receiver.url}/c1` }],
      shodai: [
        {
          id: SHODAI_HOOK,
          principalId: 'prn_demo_alice',
          url: `${receiver.url}/shodai`,
          secret: `whsec_${'5e'.repeat(32)}`,
          eventTypes: ['agreement.notification.triggered'],
        },
      ],
      superoffice: [
        {
          webhookId: SO_HOOK,
          name: 'Seeded',
          events: ['sale.sold'],
          targetUrl: `${receiver.url}/superoffice`,
          secret: 'seeded secret',
          state: 'Active',
        },
      ],
    },
  });
});

after(async () => {
  await receiver.close();
  await rm(fixturesDir, { recursive: true, force: true });
});

interface Run {
  results: TriggerResult[];
  received: ReceivedRequest[];
}

/** Starts a mock with `seed`, sends every trigger, checks each delivery verifies, and closes it. */
async function run(seed: string): Promise<Run> {
  const server = await startMockServer({ port: 0, fixturesDir, seed, publicUrl: PUBLIC_URL });
  try {
    const results: TriggerResult[] = [];
    const received: ReceivedRequest[] = [];
    for (const { request, webhookId, spec } of TRIGGERS) {
      const result = await server.trigger(request);
      const record = recordOf(server, deliveryTo(result, webhookId));
      const verification = await server.verifyDelivery(record);
      assert.equal(verification.verified, true, verification.reason);
      const delivered = receivedFor(receiver, record);
      assert.deepEqual(specProblems(request.vendor, spec, delivered), []);
      results.push(result);
      received.push(delivered);
    }
    return { results, received };
  } finally {
    await server.close();
  }
}

describe('seeded triggers', () => {
  let first: Run;
  let second: Run;
  let other: Run;
  before(async () => {
    first = await run('issue-13');
    second = await run('issue-13');
    other = await run('issue-13-other');
  });

  TRIGGERS.forEach(({ request, signature }, index) => {
    it(`delivers ${request.vendor} ${request.event} with a byte-identical body and ${signature.join(', ')} under the same seed`, () => {
      const a = first.received[index]!;
      const b = second.received[index]!;
      assert.ok(a.rawBody.equals(b.rawBody), 'the same bytes');
      for (const header of signature) {
        assert.ok(a.headers[header], `${header} is sent`);
        assert.equal(a.headers[header], b.headers[header], header);
      }
      assert.equal(first.results[index]!.triggerId, second.results[index]!.triggerId);
      assert.deepEqual(first.results[index]!.part, second.results[index]!.part);
    });

    it(`delivers ${request.vendor} ${request.event} differently under another seed`, () => {
      const a = first.received[index]!;
      const c = other.received[index]!;
      assert.equal(a.rawBody.equals(c.rawBody), false);
      assert.notEqual(a.headers[signature[0]!], c.headers[signature[0]!]);
    });
  });
});
