/**
 * Triggering Shodai's events (issue 13) at real receivers: every event in every variant delivered to a
 * subscription made through the API, its HMAC recomputed as the SDK's verifier does, its body valid against
 * the spec's `webhooks:` entry; the subscription filters as a matrix (vendor-notes.md: agreementIds and
 * templateIds for both event types, inputIds/fromStates/toStates for transitions and for notifications that
 * carry one, ruleIds for notifications); eventTypes, status and webhookId; the negative kinds.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { TriggerResult } from '../../src/core/event-catalogue.js';
import { shodai } from '../../src/vendors/shodai/index.js';
import { SHODAI_NEGATIVE_KINDS } from '../../src/vendors/shodai/negative.js';
import type { MockServer } from '../../src/server/index.js';
import { vendorAgent } from '../support/http.js';
import { startReceiver } from '../support/receiver.js';
import type { ReceivedRequest, Receiver } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';
import { shodaiSignatureValid } from '../support/signatures.js';
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

const ALICE = { 'X-API-Key': 'cns_pk_demo_free' };
const TRANSITIONED = 'agreement.transitioned';
const NOTIFICATION = 'agreement.notification.triggered';
/** Two subscribable events; transitioned in 2 variants, notifications in 3. */
const SHODAI_EVENT_COUNT = 2;
const SHODAI_VARIANT_COUNT = 5;

interface Subscription {
  id: string;
  secret: string;
  path: string;
}

type Filters = Partial<
  Record<'agreementIds' | 'templateIds' | 'inputIds' | 'fromStates' | 'toStates' | 'ruleIds', string[]>
>;

const TRANSITION_DATA = {
  agreementId: 'agr_filters_0001',
  agreementName: 'Master Services Agreement — Acme Corp',
  templateId: 'did:template:master-services-agreement-v1-2',
  fromState: 'PENDING_SIGNATURE',
  toState: 'ACTIVE',
  inputId: 'partyBSignature',
};

const NOTIFICATION_DATA = {
  agreementId: 'agr_filters_0002',
  agreementName: 'Service Retainer — Initech',
  templateId: 'did:template:service-retainer-v0-1',
  notificationTemplateId: 'ntpl_filters_0001',
  ruleId: 'notify-work-in-progress',
  triggerType: 'onTransition',
  recipient: 'legal@initech.example',
  notification: { subject: 'Service Retainer — Initech is now in progress', body: 'Work has started.' },
  transition: {
    fromState: 'AWAITING_PAYMENT',
    toState: 'WORK_IN_PROGRESS',
    inputId: 'submitInitialPaymentProof',
    occurredAt: '2026-01-01T00:00:00.000Z',
  },
};

/** The same notification from a temporal rule: no transition. */
const TEMPORAL_DATA = (() => {
  const { transition: _transition, ...rest } = NOTIFICATION_DATA;
  return { ...rest, triggerType: 'temporal', ruleId: 'invoice-due-reminder' };
})();

let server: MockServer;
let receiver: Receiver;
let counter = 0;

before(async () => {
  receiver = await startReceiver();
  server = await startTestServer();
});

after(async () => {
  await server.close();
  await receiver.close();
});

/** A subscription of Alice's, made through POST /v0/webhooks, delivering to its own path on the receiver. */
async function subscribe(eventTypes: string[] | undefined, filters?: Filters): Promise<Subscription> {
  counter += 1;
  const path = `/shodai/${counter}`;
  const res = await vendorAgent(server.urls.shodai, 'shodai')
    .post('/v0/webhooks')
    .set(ALICE)
    .send({
      url: `${receiver.url}${path}`,
      ...(eventTypes === undefined ? {} : { eventTypes }),
      ...(filters === undefined ? {} : { filters }),
    })
    .expect(201);
  const data = (res.body as { data: { id: string; secret: string } }).data;
  return { id: data.id, secret: data.secret, path };
}

function receivedAt(path: string): ReceivedRequest[] {
  return receiver.received.filter((request) => request.path === path);
}

/** Asserts the subscription got the result's event once, signed with its secret, valid against the spec. */
async function assertDelivered(result: TriggerResult, subscription: Subscription): Promise<ReceivedRequest> {
  const entry = deliveryTo(result, subscription.id);
  assert.equal(entry.delivered, true, entry.reason);
  assert.deepEqual(entry.result, { kind: 'response', status: 200 });
  const record = recordOf(server, entry);
  const received = receivedFor(receiver, record);
  assert.equal(received.path, subscription.path);
  assert.equal(shodaiSignatureValid(subscription.secret, received.headers, received.rawBody), true);
  const verification = await server.verifyDelivery(record);
  assert.equal(verification.verified, true, verification.reason);
  assert.deepEqual(specProblems('shodai', result.event, received), []);
  return received;
}

function assertSkipped(
  result: TriggerResult,
  subscription: Subscription,
  reason: RegExp,
  receivedBefore = 0,
): void {
  const entry = deliveryTo(result, subscription.id);
  assert.equal(entry.delivered, false);
  assert.match(entry.reason, reason);
  assert.equal(entry.deliveryId, undefined);
  assert.equal(receivedAt(subscription.path).length, receivedBefore, 'nothing arrived');
}

describe("Shodai's catalogue, every variant triggered at a real receiver", () => {
  let everything: Subscription;
  before(async () => {
    await server.reset();
    everything = await subscribe([TRANSITIONED, NOTIFICATION]);
  });

  it('lists the module’s two events and five variants in GET /__admin/catalogue', async () => {
    const res = await fetch(`${server.url}/__admin/catalogue?vendor=shodai`);
    const { vendors } = (await res.json()) as {
      vendors: { events: { name: string; variants: { name: string }[] }[] }[];
    };
    const events = vendors[0]!.events;
    assert.equal(events.length, SHODAI_EVENT_COUNT);
    assert.deepEqual(
      events.map((event) => event.name),
      shodai.events.map((event) => event.name),
    );
    assert.equal(events.flatMap((event) => event.variants).length, SHODAI_VARIANT_COUNT);
  });

  const cases = shodai.events.flatMap((event) =>
    Object.keys(event.variants ?? {}).map((variant) => ({ event, variant })),
  );
  cases.forEach(({ event, variant }, index) => {
    const door = doorFor(index);
    it(`delivers ${event.name} in variant ${variant} (through ${door}): HMAC verified, valid against webhooks.${event.specWebhook}`, async () => {
      const result = await triggerThrough(door, server, { vendor: 'shodai', event: event.name, variant });
      assert.equal(result.variant, variant);
      assert.match(deliveryTo(result, everything.id).reason, /^matches eventTypes and filters/);
      const received = await assertDelivered(result, everything);
      const body = bodyOf(received);
      assert.equal(body.type, event.name);
      assert.equal(body.apiVersion, '2026-06-01');
      assert.equal(received.headers['x-shodai-webhook-id'], body.id);
      assert.deepEqual(body.data, result.part);
      const timestamp = Number(received.headers['x-shodai-webhook-timestamp']);
      assert.ok(Math.abs(Date.now() / 1000 - timestamp) <= 300, 'within the SDK verifier’s tolerance');

      const data = body.data as {
        inputId?: string;
        fromState?: string;
        transition?: { inputId: string };
        triggerType?: string;
      };
      if (variant === 'deploy' && event.name === TRANSITIONED) {
        assert.equal(data.fromState, '');
        assert.equal(data.inputId, '__deploy');
      }
      if (variant === 'deploy' && event.name === NOTIFICATION)
        assert.equal(data.transition?.inputId, '__deploy');
      if (variant === 'temporal') {
        assert.equal(data.triggerType, 'temporal');
        assert.equal(data.transition, undefined);
      }
    });
  });

  it('sends one event id to every subscription it goes to', async () => {
    const second = await subscribe([TRANSITIONED]);
    const result = await triggerOverHttp(server, { vendor: 'shodai', event: TRANSITIONED });
    const ids = [everything, second].map((subscription) => {
      const record = recordOf(server, deliveryTo(result, subscription.id));
      return bodyOf(receivedFor(receiver, record)).id;
    });
    assert.equal(ids[0], ids[1]);
  });
});

describe('Shodai subscription filters', () => {
  beforeEach(async () => {
    await server.reset();
  });

  /** Each filter key, the event it applies to, and the value the fixed data carries for it. */
  const MATRIX: { key: keyof Filters; event: string; data: object; value: string }[] = [
    { key: 'agreementIds', event: TRANSITIONED, data: TRANSITION_DATA, value: TRANSITION_DATA.agreementId },
    { key: 'templateIds', event: TRANSITIONED, data: TRANSITION_DATA, value: TRANSITION_DATA.templateId },
    { key: 'inputIds', event: TRANSITIONED, data: TRANSITION_DATA, value: TRANSITION_DATA.inputId },
    { key: 'fromStates', event: TRANSITIONED, data: TRANSITION_DATA, value: TRANSITION_DATA.fromState },
    { key: 'toStates', event: TRANSITIONED, data: TRANSITION_DATA, value: TRANSITION_DATA.toState },
    {
      key: 'agreementIds',
      event: NOTIFICATION,
      data: NOTIFICATION_DATA,
      value: NOTIFICATION_DATA.agreementId,
    },
    { key: 'templateIds', event: NOTIFICATION, data: NOTIFICATION_DATA, value: NOTIFICATION_DATA.templateId },
    {
      key: 'inputIds',
      event: NOTIFICATION,
      data: NOTIFICATION_DATA,
      value: NOTIFICATION_DATA.transition.inputId,
    },
    {
      key: 'fromStates',
      event: NOTIFICATION,
      data: NOTIFICATION_DATA,
      value: NOTIFICATION_DATA.transition.fromState,
    },
    {
      key: 'toStates',
      event: NOTIFICATION,
      data: NOTIFICATION_DATA,
      value: NOTIFICATION_DATA.transition.toState,
    },
    { key: 'ruleIds', event: NOTIFICATION, data: NOTIFICATION_DATA, value: NOTIFICATION_DATA.ruleId },
  ];

  for (const { key, event, data, value } of MATRIX) {
    it(`delivers ${event} to a subscription whose ${key} include ${JSON.stringify(value)} and skips one whose ${key} do not, naming the filter`, async () => {
      const matching = await subscribe([event], { [key]: ['someone-else', value] });
      const missing = await subscribe([event], { [key]: ['someone-else'] });
      const result = await triggerOverHttp(server, { vendor: 'shodai', event, data });
      const received = await assertDelivered(result, matching);
      assert.deepEqual(bodyOf(received).data, data);
      assert.equal(deliveryTo(result, matching.id).reason, 'matches eventTypes and filters');
      assertSkipped(
        result,
        missing,
        new RegExp(
          `^filters\\.${key} \\["someone-else"\\] does not include ${JSON.stringify(value).replace(/[.]/g, '\\.')}$`,
        ),
      );
    });
  }

  it('skips a subscription whose templateIds do not include the agreement’s template even when its agreementIds match (every key must match)', async () => {
    const both = await subscribe([TRANSITIONED], {
      agreementIds: [TRANSITION_DATA.agreementId],
      templateIds: ['did:template:other'],
    });
    const result = await server.trigger({ vendor: 'shodai', event: TRANSITIONED, data: TRANSITION_DATA });
    assertSkipped(result, both, /^filters\.templateIds /);
  });

  it('ignores ruleIds for agreement.transitioned, which carries no rule, and says so', async () => {
    const ruled = await subscribe([TRANSITIONED], { ruleIds: ['notify-active'] });
    const result = await server.trigger({ vendor: 'shodai', event: TRANSITIONED, data: TRANSITION_DATA });
    await assertDelivered(result, ruled);
    assert.equal(
      deliveryTo(result, ruled.id).reason,
      'matches eventTypes and filters (filters.ruleIds not applicable to this event)',
    );
  });

  it('ignores inputIds, fromStates and toStates for a temporal notification, which carries no transition', async () => {
    const transitional = await subscribe([NOTIFICATION], {
      inputIds: ['nope'],
      fromStates: ['nope'],
      toStates: ['nope'],
    });
    const result = await server.trigger({ vendor: 'shodai', event: NOTIFICATION, data: TEMPORAL_DATA });
    await assertDelivered(result, transitional);
    assert.equal(
      deliveryTo(result, transitional.id).reason,
      'matches eventTypes and filters (filters.inputIds, filters.fromStates, filters.toStates not applicable to this event)',
    );
  });

  it('applies ruleIds to a temporal notification', async () => {
    const other = await subscribe([NOTIFICATION], { ruleIds: ['notify-work-in-progress'] });
    const result = await server.trigger({ vendor: 'shodai', event: NOTIFICATION, data: TEMPORAL_DATA });
    assertSkipped(
      result,
      other,
      /^filters\.ruleIds \["notify-work-in-progress"\] does not include "invoice-due-reminder"$/,
    );
  });

  it('skips a subscription whose eventTypes do not include the event, naming eventTypes', async () => {
    const notificationsOnly = await subscribe([NOTIFICATION]);
    const byDefault = await subscribe(undefined);
    const transition = await triggerOverHttp(server, { vendor: 'shodai', event: TRANSITIONED });
    assertSkipped(
      transition,
      notificationsOnly,
      /^eventTypes \["agreement\.notification\.triggered"\] do not include "agreement\.transitioned"$/,
    );
    await assertDelivered(transition, byDefault);
    const notification = await triggerOverHttp(server, { vendor: 'shodai', event: NOTIFICATION });
    assertSkipped(notification, byDefault, /^eventTypes \["agreement\.transitioned"\] do not include/, 1);
  });

  it('skips a disabled (deleted) subscription and delivers again once PATCHed active', async () => {
    const subscription = await subscribe([TRANSITIONED]);
    const shodaiApi = vendorAgent(server.urls.shodai, 'shodai');
    await shodaiApi.delete(`/v0/webhooks/${subscription.id}`).set(ALICE).expect(200);
    const skipped = await server.trigger({ vendor: 'shodai', event: TRANSITIONED });
    assertSkipped(skipped, subscription, /^subscription is disabled$/);
    await shodaiApi
      .patch(`/v0/webhooks/${subscription.id}`)
      .set(ALICE)
      .send({ status: 'active' })
      .expect(200);
    await assertDelivered(await server.trigger({ vendor: 'shodai', event: TRANSITIONED }), subscription);
  });

  it('routes by the filters a PATCH sets', async () => {
    const subscription = await subscribe([TRANSITIONED], { toStates: ['TERMINATED'] });
    const before = await server.trigger({ vendor: 'shodai', event: TRANSITIONED, data: TRANSITION_DATA });
    assertSkipped(before, subscription, /^filters\.toStates /);
    await vendorAgent(server.urls.shodai, 'shodai')
      .patch(`/v0/webhooks/${subscription.id}`)
      .set(ALICE)
      .send({ filters: { toStates: ['ACTIVE'] } })
      .expect(200);
    const afterPatch = await server.trigger({ vendor: 'shodai', event: TRANSITIONED, data: TRANSITION_DATA });
    await assertDelivered(afterPatch, subscription);
  });

  it('sends only to the subscription webhookId names, and still applies its filters', async () => {
    const first = await subscribe([TRANSITIONED]);
    const second = await subscribe([TRANSITIONED]);
    const filtered = await subscribe([TRANSITIONED], { agreementIds: ['agr_other'] });
    const only = await triggerOverHttp(server, {
      vendor: 'shodai',
      event: TRANSITIONED,
      webhookId: first.id,
    });
    assert.deepEqual(
      only.deliveries.map((delivery) => delivery.webhookId),
      [first.id],
    );
    await assertDelivered(only, first);
    assert.equal(receivedAt(second.path).length, 0);
    const named = await server.trigger({
      vendor: 'shodai',
      event: TRANSITIONED,
      data: TRANSITION_DATA,
      webhookId: filtered.id,
    });
    assert.equal(named.deliveries.length, 1);
    assertSkipped(named, filtered, /^filters\.agreementIds /);
  });

  it('answers 404 naming webhookId for a webhookId that names no subscription, delivering nothing', async () => {
    await assertUnknownWebhookRefused(server, receiver, {
      vendor: 'shodai',
      event: TRANSITIONED,
      webhookId: 'wh_nobody',
    });
  });
});

describe('negative kinds on triggered Shodai events', () => {
  let subscription: Subscription;
  before(async () => {
    await server.reset();
    subscription = await subscribe([TRANSITIONED]);
  });

  const REFUSED: Readonly<Record<string, (request: ReceivedRequest) => void>> = {
    'tampered-body': (request) =>
      assert.equal(shodaiSignatureValid(subscription.secret, request.headers, request.rawBody), false),
    'wrong-secret': (request) =>
      assert.equal(shodaiSignatureValid(subscription.secret, request.headers, request.rawBody), false),
    'stale-timestamp': (request) => {
      // correctly signed, but older than the SDK verifier's 300 s tolerance
      assert.equal(shodaiSignatureValid(subscription.secret, request.headers, request.rawBody), true);
      const age = Date.now() / 1000 - Number(request.headers['x-shodai-webhook-timestamp']);
      assert.ok(age > 300, `${age} s old`);
    },
    'missing-signature': (request) => assert.equal(request.headers['x-shodai-webhook-signature'], undefined),
  };

  it('offers exactly the kinds this suite checks', () => {
    assert.deepEqual(
      [...SHODAI_NEGATIVE_KINDS].sort(),
      [...Object.keys(REFUSED), 'duplicate-event-id'].sort(),
    );
  });

  for (const [kind, refused] of Object.entries(REFUSED)) {
    it(`a triggered ${kind} delivery arrives, journalled as negative, and verification fails as the kind says`, async () => {
      const result = await triggerOverHttp(server, {
        vendor: 'shodai',
        event: TRANSITIONED,
        webhookId: subscription.id,
        negative: kind,
      });
      const record = recordOf(server, deliveryTo(result, subscription.id));
      assert.equal(record.negative, kind);
      refused(receivedFor(receiver, record));
      const verification = await server.verifyDelivery(record);
      assert.equal(verification.verified, false, verification.reason);
    });
  }

  it('a triggered duplicate-event-id sends the subscription’s previous valid event again, freshly signed', async () => {
    const first = await server.trigger({ vendor: 'shodai', event: TRANSITIONED, webhookId: subscription.id });
    const original = receivedFor(receiver, recordOf(server, deliveryTo(first, subscription.id)));
    const duplicate = await server.trigger({
      vendor: 'shodai',
      event: TRANSITIONED,
      webhookId: subscription.id,
      negative: 'duplicate-event-id',
    });
    const record = recordOf(server, deliveryTo(duplicate, subscription.id));
    assert.equal(record.negative, 'duplicate-event-id');
    const again = receivedFor(receiver, record);
    assert.notEqual(again, original);
    assert.equal(again.headers['x-shodai-webhook-id'], original.headers['x-shodai-webhook-id']);
    assert.equal(shodaiSignatureValid(subscription.secret, again.headers, again.rawBody), true);
  });
});
