import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemClock } from '../../src/core/clock.js';
import type { EventGenerationContext } from '../../src/core/event-catalogue.js';
import { SEEDED_CLOCK_START, SettableClock, seededIdSource } from '../../src/core/seeded.js';
import {
  USER_AGENT,
  superOfficeEventBody,
  superOfficeEventName,
} from '../../src/vendors/superoffice/event-delivery.js';
import type { SoEventOrigin } from '../../src/vendors/superoffice/event-delivery.js';
import { findSuperOfficeEvent, superOfficeEvents } from '../../src/vendors/superoffice/events/catalogue.js';
import {
  parseWebhookStateEventName,
  stateEventKind,
  webhookStateEvent,
  webhookStateEventName,
} from '../../src/vendors/superoffice/events/state-events.js';
import type { SoEventPart } from '../../src/vendors/superoffice/events/types.js';
import type { SuperOfficeFixture } from '../../src/vendors/superoffice/fixture-schema.js';
import { stateEventSubscribers, subscribersOf } from '../../src/vendors/superoffice/signal.js';
import { signSuperOfficeBody } from '../../src/vendors/superoffice/signing.js';
import { createSuperOfficeState } from '../../src/vendors/superoffice/state.js';
import { specFor } from '../support/spec-check.js';

function seeded(seed: string): EventGenerationContext {
  return { ids: seededIdSource(seed), clock: new SettableClock(systemClock, SEEDED_CLOCK_START) };
}

const ORIGIN: SoEventOrigin = { contextIdentifier: 'Cust12345', changedByAssociateId: 5 };
const WEBHOOK = {
  Name: 'CRM sync',
  Properties: { tenant: 'acme', routing: { queue: 'crm' }, Event: 'never overrides the payload' },
};
const SECRET = 'so-secret-123';

/** Spec problems of `part` delivered as SuperOffice would: body with Properties, headers, signature. */
function deliveryProblems(
  specWebhook: string,
  part: SoEventPart,
  headerEvent = superOfficeEventName(part),
): string[] {
  const eventId = '0b0e7f1c-6a4d-4d2e-9d8b-2f1f8a1c3e55';
  const body = superOfficeEventBody(part, ORIGIN, WEBHOOK, eventId, '2026-01-01T00:00:00.000Z');
  const raw = Buffer.from(JSON.stringify(body));
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': USER_AGENT,
    'x-superoffice-event': headerEvent,
    'x-superoffice-eventid': eventId,
    'x-superoffice-signature': signSuperOfficeBody(SECRET, raw),
  };
  return specFor('superoffice').checkDelivery(specWebhook, headers, raw.toString('utf8'));
}

/** automation/webhook/dev/event-details.md's table, plus the names the reference pages add. */
const DOCUMENTED_NAMES = [
  ...[
    'activity',
    'associate',
    'contact',
    'document',
    'person',
    'project',
    'projectmember',
    'relation',
    'sale',
  ]
    .concat('salestakeholder')
    .flatMap((entity) => ['created', 'changed', 'deleted'].map((action) => `${entity}.${action}`)),
  'ticket.created',
  'ticket.changed',
  'contact.softdeleted',
  'chatsession.created',
  'chatsession.changed',
  'chatsession.message',
  'document.edited',
  'person.consented',
  'person.unconsented',
  'person.softdeleted', // reference/person-events.md
  'quote.approved',
  'quote.rejected',
  'quote.sent',
  'quote.ordered',
  'sale.completed',
  'sale.lost',
  'sale.sold',
  'webhook.started',
  'webhook.stopped',
  'webhook.errors',
  // representatives of the open-ended families (reference/extratable-events.md, list-events.md)
  'y_equipment.created',
  'y_equipment.changed',
  'y_equipment.deleted',
  'list.category.created',
  'list.category.changed',
  'list.category.softdeleted',
  'list.110.created',
  'list.110.changed',
  'list.110.softdeleted',
];

/** The "FieldValues for ... events" lists of reference/*-events.md, by Entity. */
// prettier-ignore
const PAGE_COLUMNS: Record<string, string[]> = {
  activity: [
    'activeDate', 'associate_id', 'contact_id', 'do_by', 'document_id', 'endDate', 'modified_appointment_fields',
    'mother_id', 'person_id', 'private', 'project_id', 'sale_id', 'status', 'task_idx', 'type', 'updated',
    'userdef2_id', 'userdef_id',
  ],
  associate: [
    'deleted', 'group_idx', 'person_id', 'registered_associate_id', 'type', 'updated', 'updated_associate_id',
    'waiting_for_approval',
  ],
  chatsession: [
    'alertLevel', 'chatbotIsactive', 'consented', 'contactId', 'customerAlias', 'customerId', 'projectId', 'rating',
    'saleId', 'status', 'ticketId', 'topicId', 'userId',
  ],
  contact: [
    'activeInterests', 'associate_id', 'business_idx', 'category_idx', 'country_id', 'deleted', 'DeletedDate',
    'registered', 'registered_associate_id', 'source', 'updated', 'userdef2_id', 'userdef_id',
  ],
  person: [
    'activeInterests', 'associate_id', 'business_idx', 'category_idx', 'contact_id', 'country_id', 'DeletedDate',
    'group_id', 'person_id', 'position_idx', 'registered', 'registered_associate_id', 'retired', 'source', 'updated',
    'updated_associate_id', 'userdef2_id', 'userdef_id',
  ],
  project: [
    'activeLinks', 'associate_id', 'done', 'registered', 'registered_associate_id', 'status_idx', 'type_idx',
    'updated', 'updated_associate_id', 'userdef2_id', 'userdef_id',
  ],
  projectmember: [
    'contact_id', 'mtype_idx', 'person_id', 'project_id', 'projectmember_id', 'registered', 'registered_associate_id',
    'updated', 'updated_associate_id',
  ],
  relation: [
    'associate_id', 'destination_record', 'destination_table', 'registered', 'registered_associate_id', 'reldef_id',
    'source_record', 'source_table', 'updated', 'updated_associate_id',
  ],
  sale: [
    'activeLinks', 'appointment_id', 'associate_id', 'comptr_id', 'contact_id', 'credited_id', 'currency_id', 'done',
    'group_idx', 'person_id', 'probability_idx', 'project_id', 'reason_id', 'reasonSold_id', 'reasonStalled_id',
    'registered', 'registered_associate_id', 'saleTypeCat_id', 'saleType_id', 'saledate', 'source_id', 'status',
    'updated', 'updated_associate_id', 'userdef2_id', 'userdef_id',
  ],
  salestakeholder: [
    'contact_id', 'person_id', 'registered', 'registered_associate_id', 'sale_id', 'stakeholderrole_id', 'updated',
    'updated_associate_id',
  ],
};

/** Events that carry FieldValues: the page examples (and notification.md for contact.changed), soft deletes. */
const WITH_FIELD_VALUES = [
  ...Object.keys(PAGE_COLUMNS).map((entity) => `${entity}.created`),
  'contact.changed',
  'contact.softdeleted',
  'person.softdeleted',
  'sale.changed',
  'sale.deleted',
  'salestakeholder.changed',
  'salestakeholder.deleted',
];

/** The `Values` of each delete example. */
const DELETE_VALUES: Record<string, string[]> = {
  'activity.deleted': ['appointment_id', 'contact_id', 'person_id', 'project_id', 'sale_id'],
  'associate.deleted': ['associate_id', 'person_id'],
  'contact.deleted': ['associate_id', 'contact_id'],
  'document.deleted': ['document_id', 'appointment_id'],
  'person.deleted': ['associate_id', 'contact_id', 'person_id'],
  'project.deleted': ['associate_id', 'project_id'],
  'projectmember.deleted': ['associate_id', 'project_id'],
  'relation.deleted': ['associate_id', 'relation_id'],
  'sale.deleted': ['associate_id', 'contact_id', 'person_id', 'project_id'],
  'salestakeholder.deleted': ['sale_id'],
  'y_equipment.deleted': [],
};

function generate(name: string, seed = 'so'): SoEventPart {
  const entry = findSuperOfficeEvent(name);
  assert.ok(entry, `no catalogue entry ${name}`);
  return entry.generate(seeded(seed));
}

describe('the SuperOffice event catalogue', () => {
  it('has exactly the documented event names, each its own webhooks entry', () => {
    assert.equal(superOfficeEvents.length, 59);
    assert.deepEqual(superOfficeEvents.map((entry) => entry.name).sort(), [...DOCUMENTED_NAMES].sort());
    for (const entry of superOfficeEvents) assert.equal(entry.specWebhook, entry.name);
  });

  it('makes, over many seeds, bodies (Properties merged) and headers each event’s own webhooks entry accepts', () => {
    for (const entry of superOfficeEvents) {
      for (let seed = 0; seed < 10; seed += 1) {
        const part = entry.generate(seeded(`${entry.name}/${seed}`));
        assert.equal(part.Event, entry.name);
        assert.deepEqual(deliveryProblems(entry.specWebhook, part), [], `${entry.name} seed ${seed}`);
      }
    }
  });

  it("has webhooks entries that refuse another event's body, a missing column and a wrong event header", () => {
    const created = generate('contact.created');
    assert.notDeepEqual(deliveryProblems('contact.changed', created, 'contact.changed'), []);
    assert.notDeepEqual(deliveryProblems('contact.created', created, 'contact.changed'), []);
    const { country_id: _dropped, ...fewer } = created.FieldValues!;
    assert.notDeepEqual(deliveryProblems('contact.created', { ...created, FieldValues: fewer }), []);
    const typed = { ...created, FieldValues: { ...created.FieldValues, registered: 20260101 } };
    assert.notDeepEqual(deliveryProblems('contact.created', typed), []);
    const { Values: _values, ...noValues } = generate('sale.deleted');
    assert.notDeepEqual(deliveryProblems('sale.deleted', noValues), []);
  });

  it('gives FieldValues exactly the columns its reference page lists, on the documented actions only', () => {
    for (const entry of superOfficeEvents) {
      const part = entry.generate(seeded(entry.name));
      const columns = part.Entity === undefined ? undefined : PAGE_COLUMNS[part.Entity];
      if (columns === undefined) continue;
      if (WITH_FIELD_VALUES.includes(entry.name)) {
        assert.deepEqual(Object.keys(part.FieldValues ?? {}), columns, entry.name);
      } else {
        assert.equal(part.FieldValues, undefined, `${entry.name} carries no FieldValues`);
      }
    }
    for (const name of ['document.created', 'quote.sent', 'ticket.changed', 'sale.sold', 'sale.lost']) {
      assert.equal(generate(name).FieldValues, undefined, name);
    }
  });

  it('gives deletes the documented Values, agreeing with PrimaryKey and FieldValues', () => {
    for (const entry of superOfficeEvents) {
      const part = entry.generate(seeded(entry.name));
      const expected = DELETE_VALUES[entry.name];
      if (expected === undefined) {
        assert.equal(part.Values, undefined, `${entry.name} has no Values`);
        continue;
      }
      assert.deepEqual(Object.keys(part.Values ?? {}), expected, entry.name);
      for (const [column, value] of Object.entries(part.Values ?? {})) {
        assert.equal(typeof value, 'number', `${entry.name} ${column}`);
        if (part.FieldValues !== undefined && column in part.FieldValues) {
          assert.equal(value, part.FieldValues[column], `${entry.name} ${column} agrees with FieldValues`);
        }
      }
      assert.deepEqual(part.Changes, [], `${entry.name} has no Changes`);
    }
    assert.equal(
      generate('activity.deleted').Values?.appointment_id,
      generate('activity.deleted').PrimaryKey,
    );
    assert.equal(generate('contact.deleted').Values?.contact_id, generate('contact.deleted').PrimaryKey);
  });

  it('uses database column names and realistic types: ids numbers, dates .NET DateTimes, the key as its id', () => {
    const person = generate('person.created');
    assert.equal(person.FieldValues?.person_id, person.PrimaryKey);
    assert.equal(person.FieldValues?.registered, '2026-01-01T00:00:00', 'created now, no zone');
    assert.equal(person.FieldValues?.updated, '0001-01-01T00:00:00', 'never updated yet');
    const changed = generate('contact.changed');
    assert.match(String(changed.FieldValues?.updated), /^2026-01-01T00:00:00\.0000000\+00:00$/);
    assert.match(String(changed.FieldValues?.registered), /^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const soft = generate('contact.softdeleted');
    assert.deepEqual([soft.FieldValues?.deleted, soft.FieldValues?.DeletedDate], [1, '2026-01-01T00:00:00']);
    const sale = generate('sale.created');
    assert.equal(sale.FieldValues?.status, 1, 'a new sale is open');
    assert.match(String(sale.FieldValues?.saledate), /^2026-02-15T00:00:00$/);
  });

  it('types extra table values as strings on create and change, plainly on delete with empty Values', () => {
    const created = generate('y_equipment.created');
    assert.equal(created.Entity, 'y_equipment');
    assert.equal(created.FieldValues?.id, `[I:${created.PrimaryKey}]`);
    assert.equal(created.FieldValues?.last_changed, '[DT:01/01/2026 00:00:00.0000000]');
    assert.equal(created.FieldValues?.dbi_last_modified, '[DT:01/01/0001 00:00:00.0000000]');
    assert.ok(created.Changes.includes('x_serial'), 'the string extra field changed');
    assert.equal(created.FieldValues?.x_serial, undefined, 'but dbString fields are left out of FieldValues');
    const deleted = generate('y_equipment.deleted');
    assert.deepEqual(deleted.Values, {});
    assert.equal(deleted.FieldValues?.id, deleted.PrimaryKey);
    assert.equal(deleted.FieldValues?.dbi_agent_id, -1);
  });

  it('sends list events with the list as Entity and empty FieldValues', () => {
    assert.deepEqual(
      ['list.category.changed', 'list.110.created'].map((name) => {
        const part = generate(name);
        return [part.Entity, part.FieldValues, part.Changes[0]];
      }),
      [
        ['list.category', {}, 'Category_id'],
        ['list.110', {}, 'UDList_id'],
      ],
    );
  });

  it('makes the same parts from the same seed and other ones from another seed', () => {
    const all = (seed: string): SoEventPart[] =>
      superOfficeEvents.map((entry) => entry.generate(seeded(seed)));
    assert.deepEqual(all('42'), all('42'));
    assert.notDeepEqual(all('42'), all('43'));
  });

  it('finds entries case-insensitively and knows no others', () => {
    assert.equal(findSuperOfficeEvent(' Contact.Created ')?.name, 'contact.created');
    assert.equal(findSuperOfficeEvent('window.closed'), undefined);
  });
});

describe('SuperOffice event bodies', () => {
  it('keeps the test event byte for byte as it was', () => {
    const body = superOfficeEventBody(
      { Event: 'test', Entity: 'test', PrimaryKey: 0, Changes: [] },
      { contextIdentifier: 'Cust1234', changedByAssociateId: 316 },
      { Name: 'Hook', Properties: { extra: 1 } },
      'e-1',
      '2026-01-01T00:00:00.000Z',
    );
    assert.equal(
      JSON.stringify(body),
      '{"EventId":"e-1","Timestamp":"2026-01-01T00:00:00.000Z","Changes":[],"Event":"test","PrimaryKey":0,' +
        '"Entity":"test","ContextIdentifier":"Cust1234","ChangedByAssociateId":316,"WebhookName":"Hook","extra":1}',
    );
  });

  it('puts Values after Changes and FieldValues after WebhookName; Properties never replace a field', () => {
    const body = superOfficeEventBody(
      generate('sale.deleted'),
      ORIGIN,
      WEBHOOK,
      'e-2',
      '2026-01-01T00:00:00Z',
    );
    assert.deepEqual(Object.keys(body), [
      'EventId',
      'Timestamp',
      'Changes',
      'Values',
      'Event',
      'PrimaryKey',
      'Entity',
      'ContextIdentifier',
      'ChangedByAssociateId',
      'WebhookName',
      'FieldValues',
      'tenant',
      'routing',
    ]);
    assert.equal(body.Event, 'sale.deleted');
    assert.equal(body.ChangedByAssociateId, 5);
  });
});

describe('webhook state events', () => {
  const fixture: SuperOfficeFixture = {
    contextIdentifier: 'Cust12345',
    associates: [
      { associateId: 5, name: 'ADM' },
      { associateId: 9, name: 'SAL' },
    ],
    webhooks: [
      {
        webhookId: 7,
        name: 'the watched one',
        events: ['contact.created'],
        targetUrl: 'https://a.example/7',
      },
      { webhookId: 1, name: 'exact', events: ['webhook7.stopped'], targetUrl: 'https://a.example/1' },
      { webhookId: 2, name: 'case', events: ['WEBHOOK7.Stopped'], targetUrl: 'https://a.example/2' },
      { webhookId: 3, name: 'plain name', events: ['webhook.stopped'], targetUrl: 'https://a.example/3' },
      { webhookId: 4, name: 'other webhook', events: ['webhook8.stopped'], targetUrl: 'https://a.example/4' },
      {
        webhookId: 5,
        name: 'stopped itself',
        events: ['webhook7.stopped'],
        targetUrl: 'https://a.example/5',
        state: 'Stopped',
      },
      {
        webhookId: 6,
        name: 'crmscript',
        events: ['webhook7.stopped'],
        targetUrl: 'https://a.example/6',
        type: 'crmscript',
      },
      {
        webhookId: 8,
        name: 'all three',
        events: ['webhook7.started', 'webhook7.errors', 'webhook7.stopped'],
        targetUrl: 'https://a.example/8',
        registeredAssociateId: 9,
        registered: '2025-11-02T08:15:00.000Z',
      },
    ],
  };
  const state = createSuperOfficeState(fixture, new Date('2026-01-01T00:00:00Z'));
  const ids = (kind: 'started' | 'stopped' | 'errors', about = 7): number[] =>
    stateEventSubscribers(state, about, kind).map((webhook) => webhook.WebhookId);

  it('go to the Active HTTP webhooks subscribed to webhook<id>.<kind>, names case-insensitive', () => {
    assert.deepEqual(ids('stopped'), [1, 2, 8]);
    assert.deepEqual(ids('started'), [8]);
    assert.deepEqual(ids('errors'), [8]);
    assert.deepEqual(ids('stopped', 8), [4]);
  });

  it('do not go to a webhook subscribed to the plain webhook.stopped (the body’s Event name)', () => {
    assert.ok(!ids('stopped').includes(3));
    assert.deepEqual(
      subscribersOf(state, 'webhook.stopped').map((webhook) => webhook.WebhookId),
      [3],
      'a signal of that literal name still reaches it',
    );
  });

  it('carry the page’s FieldValues from the stored webhook, no Entity, and go out as webhook<id>.<kind>', () => {
    const webhook = state.webhooks.get(8)!;
    const part = webhookStateEvent(webhook, 'errors', 42);
    assert.deepEqual(part, {
      Event: 'webhook.errors',
      PrimaryKey: 8,
      Changes: [],
      FieldValues: {
        events: 42,
        registered: '2025-11-02T08:15:00.000Z',
        registered_associate_id: 9,
        state: 2,
        updated: '2025-11-02T08:15:00.000Z',
        updated_associate_id: 9,
      },
      ChangedByAssociateId: 0,
    });
    assert.equal(superOfficeEventName(part), 'webhook8.errors');
    assert.deepEqual(deliveryProblems('webhook.errors', part), []);
    const body = superOfficeEventBody(part, ORIGIN, WEBHOOK, 'e-3', '2026-01-01T00:00:00Z');
    assert.equal(body.ChangedByAssociateId, 0, 'NetServer raises it, not a user');
    assert.equal('Entity' in body, false);
    assert.deepEqual(
      ['started', 'stopped'].map((kind) => webhookStateEvent(webhook, kind as 'started').FieldValues?.state),
      [0, 1],
    );
    assert.notDeepEqual(
      deliveryProblems('webhook.errors', part, 'webhook.errors'),
      [],
      'header needs the id',
    );
    assert.notDeepEqual(deliveryProblems('webhook.stopped', part, 'webhook8.stopped'), [], 'state code');
  });

  it('are named and parsed as webhook<id>.<kind>, and follow the new State', () => {
    assert.equal(webhookStateEventName(123, 'stopped'), 'webhook123.stopped');
    assert.deepEqual(parseWebhookStateEventName('Webhook123.Errors'), { webhookId: 123, kind: 'errors' });
    assert.equal(parseWebhookStateEventName('webhook.errors'), undefined);
    assert.deepEqual((['Active', 'Stopped', 'TooManyErrors', 'Unknown'] as const).map(stateEventKind), [
      'started',
      'stopped',
      'errors',
      undefined,
    ]);
  });

  it('keep stored dates that are not .NET DateTimes readable as one', () => {
    const part = webhookStateEvent(
      {
        WebhookId: 3,
        Registered: 'Thu, 01 Jan 2026 10:00:00 GMT',
        Updated: '0001-01-01T00:00:00',
        RegisteredAssociate: null,
        UpdatedAssociate: null,
      },
      'started',
    );
    assert.equal(part.FieldValues?.registered, '2026-01-01T10:00:00.0000000+00:00');
    assert.equal(part.FieldValues?.updated, '0001-01-01T00:00:00');
    assert.equal(part.FieldValues?.registered_associate_id, 0);
  });
});
