import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventGenerationContext } from '../../src/core/event-catalogue.js';
import { SEEDED_CLOCK_START, SettableClock, seededIdSource } from '../../src/core/seeded.js';
import { systemClock } from '../../src/core/clock.js';
import {
  DEPLOY_INPUT_ID,
  generateShodaiEvent,
  shodaiEvents,
} from '../../src/vendors/shodai/events/catalogue.js';
import { shodaiEventEnvelope } from '../../src/vendors/shodai/events/envelope.js';
import { routeShodaiEvent, routeToSubscription } from '../../src/vendors/shodai/events/routing.js';
import type {
  AgreementNotificationTriggeredData,
  AgreementTransitionedData,
  ShodaiEventData,
  ShodaiEventType,
} from '../../src/vendors/shodai/events/types.js';
import type { ShodaiFilters } from '../../src/vendors/shodai/fixture-schema.js';
import { buildShodaiDelivery } from '../../src/vendors/shodai/negative.js';
import type { Subscription } from '../../src/vendors/shodai/state.js';
import { specFor } from '../support/spec-check.js';

const SECRET = `whsec_${'ab'.repeat(32)}`;

function seeded(seed: string): EventGenerationContext {
  return { ids: seededIdSource(seed), clock: new SettableClock(systemClock, SEEDED_CLOCK_START) };
}

/** Spec problems of `data` sent as event `type`: wrapped, signed and checked with headers and body. */
function deliveryProblems(type: string, data: object, ctx = seeded('spec')): string[] {
  const event = shodaiEventEnvelope(ctx, type, data);
  const timestamp = Math.floor(ctx.clock.now().getTime() / 1000);
  const request = buildShodaiDelivery('https://receiver.example/shodai', SECRET, event, timestamp);
  return specFor('shodai').checkDelivery(type, request.headers, request.body.toString('utf8'));
}

describe('the Shodai event catalogue', () => {
  it('lists both subscribable events, each naming its own webhooks entry', () => {
    assert.deepEqual(
      shodaiEvents.map((entry) => [entry.name, entry.specWebhook]),
      [
        ['agreement.transitioned', 'agreement.transitioned'],
        ['agreement.notification.triggered', 'agreement.notification.triggered'],
      ],
    );
    for (const entry of shodaiEvents) assert.ok(entry.defaultVariant in entry.variants, entry.name);
  });

  it('makes every variant, over many seeds, a delivery its webhooks entry accepts, headers included', () => {
    for (const entry of shodaiEvents) {
      for (const variant of Object.keys(entry.variants)) {
        for (let seed = 0; seed < 25; seed += 1) {
          const ctx = seeded(`${entry.name}/${variant}/${seed}`);
          const { data } = generateShodaiEvent(entry.name, variant, ctx);
          assert.deepEqual(deliveryProblems(entry.specWebhook, data, ctx), [], `${entry.name} ${variant}`);
        }
      }
      assert.deepEqual(deliveryProblems(entry.specWebhook, entry.generate(seeded('default'))), []);
    }
  });

  it('has the deploy form of agreement.transitioned: fromState "" and inputId "__deploy"', () => {
    const { data } = generateShodaiEvent('agreement.transitioned', 'deploy', seeded('deploy'));
    assert.equal(data.fromState, '');
    assert.equal(data.inputId, DEPLOY_INPUT_ID);
    assert.notEqual(data.toState, '');
    const input = generateShodaiEvent('agreement.transitioned', 'input', seeded('input')).data;
    assert.notEqual(input.fromState, '');
    assert.notEqual(input.inputId, DEPLOY_INPUT_ID);
    assert.match(input.agreementName ?? '', / — /);
  });

  it('has notifications of both trigger types, with a transition only for onTransition rules', () => {
    const make = (variant: string): AgreementNotificationTriggeredData =>
      generateShodaiEvent('agreement.notification.triggered', variant, seeded(variant)).data;
    const onTransition = make('onTransition');
    assert.equal(onTransition.triggerType, 'onTransition');
    assert.ok(onTransition.transition);
    assert.notEqual(onTransition.transition.inputId, DEPLOY_INPUT_ID);
    const deploy = make('deploy');
    assert.equal(deploy.triggerType, 'onTransition');
    assert.equal(deploy.ruleId, 'deployment-follow-up');
    assert.deepEqual(
      { fromState: deploy.transition?.fromState, inputId: deploy.transition?.inputId },
      { fromState: '', inputId: DEPLOY_INPUT_ID },
    );
    const temporal = make('temporal');
    assert.equal(temporal.triggerType, 'temporal');
    assert.equal(temporal.transition, undefined);
    assert.equal(temporal.notification.attachmentStrategy?.type, 'customerInvoicePdf');
    for (const data of [onTransition, deploy, temporal]) assert.match(data.recipient, /^[a-z]+@[\w.-]+$/);
  });

  it('makes the same bytes from the same seed and other ones from another seed', () => {
    const bytes = (seed: string): string[] =>
      shodaiEvents.flatMap((entry) =>
        Object.keys(entry.variants).map((variant) => {
          const ctx = seeded(seed);
          const { data } = generateShodaiEvent(entry.name, variant, ctx);
          return shodaiEventEnvelope(ctx, entry.name, data).body.toString('utf8');
        }),
      );
    assert.deepEqual(bytes('7'), bytes('7'));
    assert.notDeepEqual(bytes('7'), bytes('8'));
  });

  it('wraps webhook.test exactly as the test call always has: id, type, apiVersion, createdAt, empty data', () => {
    const ctx = seeded('test-event');
    const event = shodaiEventEnvelope(ctx, 'webhook.test', {});
    const again = seeded('test-event');
    const id = `evt_${again.ids.bytes(12).toString('hex')}`;
    const expected = `{"id":"${id}","type":"webhook.test","apiVersion":"2026-06-01","createdAt":"2026-01-01T00:00:00.000Z","data":{}}`;
    assert.equal(event.body.toString('utf8'), expected);
    assert.equal(event.id, id);
    assert.deepEqual(deliveryProblems('webhook.test', {}), []);
  });

  it('refuses an unknown variant or event name, naming the known ones', () => {
    assert.throws(
      () => generateShodaiEvent('agreement.transitioned', 'temporal', seeded('x')),
      /unknown variant temporal of agreement\.transitioned; known: input, deploy/,
    );
    assert.throws(
      () => generateShodaiEvent('webhook.test' as ShodaiEventType, undefined, seeded('x')),
      /unknown Shodai event webhook\.test/,
    );
  });

  it('has webhooks entries that refuse a body of the other type or with a blank toState', () => {
    const transition = generateShodaiEvent('agreement.transitioned', 'input', seeded('x')).data;
    assert.notDeepEqual(deliveryProblems('agreement.notification.triggered', transition), []);
    assert.notDeepEqual(deliveryProblems('agreement.transitioned', { ...transition, toState: ' ' }), []);
    const temporal = generateShodaiEvent('agreement.notification.triggered', 'temporal', seeded('x')).data;
    assert.notDeepEqual(
      deliveryProblems('agreement.notification.triggered', { ...temporal, triggerType: 'cron' }),
      [],
    );
  });
});

const TRANSITIONED: AgreementTransitionedData = {
  agreementId: 'agr_1',
  agreementName: 'Service Retainer — Acme Corp',
  templateId: 'did:template:service-retainer-v0-1',
  fromState: 'AWAITING_PAYMENT',
  toState: 'WORK_IN_PROGRESS',
  inputId: 'submitInitialPaymentProof',
};

const NOTIFIED: AgreementNotificationTriggeredData = {
  agreementId: 'agr_1',
  templateId: 'did:template:service-retainer-v0-1',
  notificationTemplateId: 'ntpl_1',
  ruleId: 'payment-received',
  triggerType: 'onTransition',
  recipient: 'finance@acme.example',
  notification: { subject: 'Payment received', body: 'Work can start.' },
  transition: {
    fromState: 'AWAITING_PAYMENT',
    toState: 'WORK_IN_PROGRESS',
    inputId: 'submitInitialPaymentProof',
    occurredAt: '2026-01-01T00:00:00.000Z',
  },
};

const { transition: _transition, ...NOTIFIED_WITHOUT_TRANSITION } = {
  ...NOTIFIED,
  ruleId: 'invoice-due-reminder',
  triggerType: 'temporal' as const,
};

function subscription(filters: ShodaiFilters, overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: 'wh_1',
    principalId: 'prn_1',
    url: 'https://receiver.example/shodai',
    status: 'active',
    eventTypes: ['agreement.transitioned', 'agreement.notification.triggered'],
    filters,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    secret: SECRET,
    ...overrides,
  };
}

interface Case {
  event: string;
  type: ShodaiEventType;
  data: ShodaiEventData;
  /** The value the key compares, or undefined where the key does not apply. */
  values: Partial<Record<keyof ShodaiFilters, string>>;
}

const CASES: Case[] = [
  {
    event: 'a transitioned event',
    type: 'agreement.transitioned',
    data: TRANSITIONED,
    values: {
      agreementIds: 'agr_1',
      templateIds: 'did:template:service-retainer-v0-1',
      inputIds: 'submitInitialPaymentProof',
      fromStates: 'AWAITING_PAYMENT',
      toStates: 'WORK_IN_PROGRESS',
    },
  },
  {
    event: 'a notification with a transition',
    type: 'agreement.notification.triggered',
    data: NOTIFIED,
    values: {
      agreementIds: 'agr_1',
      templateIds: 'did:template:service-retainer-v0-1',
      inputIds: 'submitInitialPaymentProof',
      fromStates: 'AWAITING_PAYMENT',
      toStates: 'WORK_IN_PROGRESS',
      ruleIds: 'payment-received',
    },
  },
  {
    event: 'a notification without a transition',
    type: 'agreement.notification.triggered',
    data: NOTIFIED_WITHOUT_TRANSITION,
    values: {
      agreementIds: 'agr_1',
      templateIds: 'did:template:service-retainer-v0-1',
      ruleIds: 'invoice-due-reminder',
    },
  },
];

const KEYS: (keyof ShodaiFilters)[] = [
  'agreementIds',
  'templateIds',
  'inputIds',
  'fromStates',
  'toStates',
  'ruleIds',
];

describe('routing Shodai events by eventTypes and filters', () => {
  for (const { event, type, data, values } of CASES) {
    for (const key of KEYS) {
      const value = values[key];
      if (value === undefined) {
        it(`ignores filters.${key} for ${event}, where it does not apply, and says so`, () => {
          const route = routeToSubscription(subscription({ [key]: ['something-else'] }), type, data);
          assert.equal(route.deliver, true);
          assert.equal(
            route.reason,
            `matches eventTypes and filters (filters.${key} not applicable to this event)`,
          );
        });
        continue;
      }
      it(`delivers ${event} when filters.${key} lists its value among others`, () => {
        const route = routeToSubscription(subscription({ [key]: ['other', value] }), type, data);
        assert.deepEqual([route.deliver, route.reason], [true, 'matches eventTypes and filters']);
      });
      it(`skips ${event} when filters.${key} does not list its value, naming key and values`, () => {
        const route = routeToSubscription(subscription({ [key]: ['other', 'another'] }), type, data);
        assert.equal(route.deliver, false);
        assert.equal(
          route.reason,
          `filters.${key} ["other","another"] does not include ${JSON.stringify(value)}`,
        );
      });
    }
  }

  it('matches the deploy form: fromStates [""] and inputIds ["__deploy"] select deployments', () => {
    const deploy = { ...TRANSITIONED, fromState: '', inputId: DEPLOY_INPUT_ID, toState: 'AWAITING_PAYMENT' };
    const onlyDeploys = subscription({ fromStates: [''], inputIds: [DEPLOY_INPUT_ID] });
    assert.equal(routeToSubscription(onlyDeploys, 'agreement.transitioned', deploy).deliver, true);
    const route = routeToSubscription(onlyDeploys, 'agreement.transitioned', TRANSITIONED);
    assert.equal(route.reason, 'filters.inputIds ["__deploy"] does not include "submitInitialPaymentProof"');
  });

  it('treats absent and empty filter lists as no restriction', () => {
    for (const filters of [{}, { agreementIds: [], ruleIds: [], toStates: [] }]) {
      for (const { type, data } of CASES) {
        assert.equal(routeToSubscription(subscription(filters), type, data).deliver, true);
      }
    }
  });

  it('needs every restricting key to match: one mismatch among matches skips, naming that key', () => {
    const filters = {
      templateIds: [TRANSITIONED.templateId],
      toStates: ['COMPLETED'],
      agreementIds: ['agr_1'],
    };
    const route = routeToSubscription(subscription(filters), 'agreement.transitioned', TRANSITIONED);
    assert.deepEqual(
      [route.deliver, route.reason],
      [false, 'filters.toStates ["COMPLETED"] does not include "WORK_IN_PROGRESS"'],
    );
  });

  it('compares values exactly: case and surrounding text matter', () => {
    const route = routeToSubscription(
      subscription({ toStates: ['work_in_progress'] }),
      'agreement.transitioned',
      TRANSITIONED,
    );
    assert.equal(route.deliver, false);
  });

  it('skips a disabled subscription before looking at its eventTypes or filters', () => {
    const route = routeToSubscription(
      subscription({ agreementIds: ['agr_1'] }, { status: 'disabled' }),
      'agreement.transitioned',
      TRANSITIONED,
    );
    assert.deepEqual([route.deliver, route.reason], [false, 'subscription is disabled']);
  });

  it('skips a subscription whose eventTypes lack the event type, naming them', () => {
    const transitionsOnly = subscription({}, { eventTypes: ['agreement.transitioned'] });
    const route = routeToSubscription(transitionsOnly, 'agreement.notification.triggered', NOTIFIED);
    assert.deepEqual(
      [route.deliver, route.reason],
      [false, 'eventTypes ["agreement.transitioned"] do not include "agreement.notification.triggered"'],
    );
    assert.equal(routeToSubscription(transitionsOnly, 'agreement.transitioned', TRANSITIONED).deliver, true);
  });

  it('gives one verdict per subscription, in the order given, for any iterable', () => {
    const subscriptions = new Map([
      ['wh_a', subscription({}, { id: 'wh_a' })],
      ['wh_b', subscription({}, { id: 'wh_b', status: 'disabled' })],
      ['wh_c', subscription({ ruleIds: ['payment-received'] }, { id: 'wh_c' })],
      ['wh_d', subscription({ ruleIds: ['other'] }, { id: 'wh_d' })],
    ]);
    const routes = routeShodaiEvent(subscriptions.values(), 'agreement.notification.triggered', NOTIFIED);
    assert.deepEqual(
      routes.map((route) => [route.subscription.id, route.deliver]),
      [
        ['wh_a', true],
        ['wh_b', false],
        ['wh_c', true],
        ['wh_d', false],
      ],
    );
    assert.deepEqual(routeShodaiEvent([], 'agreement.transitioned', TRANSITIONED), []);
  });

  it('routes generated events of every variant the way their data says', () => {
    for (const entry of shodaiEvents) {
      for (const variant of Object.keys(entry.variants)) {
        const { data } = generateShodaiEvent(entry.name, variant, seeded(variant));
        const byTemplate = subscription({ templateIds: [data.templateId] });
        assert.equal(routeToSubscription(byTemplate, entry.name, data).deliver, true, variant);
        const otherAgreement = subscription({ agreementIds: ['agr_none'] });
        assert.equal(routeToSubscription(otherAgreement, entry.name, data).deliver, false, variant);
      }
    }
  });
});
