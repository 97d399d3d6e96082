/**
 * Triggering SuperOffice's events (issue 13) at real receivers: every event of the catalogue delivered to a
 * webhook made through the REST API, its X-SuperOffice-Signature recomputed, its body valid against the
 * spec's `webhooks:` entry, with the webhook's Headers and Properties; routing by event name (case-insensitive),
 * only Active HTTP webhooks, the reasons for the others; the webhook state events raised by a PATCH of State and
 * by nine failures in a row; the negative kinds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TriggerResult } from '../../src/core/event-catalogue.js';
import { superoffice } from '../../src/vendors/superoffice/index.js';
import { SUPEROFFICE_NEGATIVE_KINDS } from '../../src/vendors/superoffice/negative.js';
import type { MockServer } from '../../src/server/index.js';
import { vendorAgent } from '../support/http.js';
import type { VendorAgent } from '../support/http.js';
import { startReceiver } from '../support/receiver.js';
import type { ReceivedRequest, Receiver } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';
import { superOfficeSignatureValid } from '../support/signatures.js';
import {
  bodyOf,
  deliveryTo,
  doorFor,
  receivedFor,
  recordOf,
  specProblems,
  triggerOverHttp,
  triggerThrough,
} from '../support/trigger.js';

const BASIC = `Basic ${Buffer.from('demo:demo').toString('base64')}`;
const SECRET = 'trigger tests secret';
/** Every SuperOffice event the reference pages document, with one extra table and two lists. */
const SO_EVENT_COUNT = 59;
const STATE_EVENTS = ['webhook.started', 'webhook.stopped', 'webhook.errors'];

const STOPPED = 201;
const TOO_MANY = 202;
const CRMSCRIPT = 203;
const SALES = 204;
const CONTACTS_ONLY = 205;
const WATCHED = 206;
const WATCHER = 207;
const FAILING = 208;
const PLAIN_STATE = 209;

let server: MockServer;
let receiver: Receiver;
let failing: Receiver;
let so: VendorAgent;

function fixtureWebhook(
  webhookId: number,
  name: string,
  events: string[],
  targetUrl: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { webhookId, name, events, targetUrl, state: 'Active', type: 'webhook', secret: SECRET, ...extra };
}

before(async () => {
  receiver = await startReceiver();
  failing = await startReceiver();
  failing.behave({ kind: 'answer', status: 500, body: '{"error":"receiver broke"}' });
  server = await startTestServer({
    webhooks: {
      superoffice: [
        fixtureWebhook(STOPPED, 'Stopped', ['sale.sold'], `${receiver.url}/stopped`, { state: 'Stopped' }),
        fixtureWebhook(TOO_MANY, 'Too many errors', ['sale.sold'], `${receiver.url}/too-many`, {
          state: 'TooManyErrors',
        }),
        fixtureWebhook(CRMSCRIPT, 'Script', ['sale.sold'], 'sale-sold-script', { type: 'crmscript' }),
        fixtureWebhook(SALES, 'Sales', ['SALE.Sold', 'Sale.Lost'], `${receiver.url}/sales`, {
          headers: { 'X-Tenant-Tag': 'acme' },
          properties: { tenantTag: 't1', routing: { queue: 'sales' } },
        }),
        fixtureWebhook(CONTACTS_ONLY, 'Contacts', ['contact.created'], `${receiver.url}/contacts`),
        fixtureWebhook(WATCHED, 'Watched', ['project.created'], `${receiver.url}/watched`),
        fixtureWebhook(
          WATCHER,
          'Watcher',
          [`webhook${WATCHED}.stopped`, `WEBHOOK${WATCHED}.Started`, `webhook${FAILING}.errors`],
          `${receiver.url}/watcher`,
        ),
        fixtureWebhook(FAILING, 'Failing', ['ticket.created'], `${failing.url}/failing`),
        fixtureWebhook(
          PLAIN_STATE,
          'Plain state names',
          ['webhook.stopped', 'webhook.errors'],
          `${receiver.url}/plain`,
        ),
      ],
    },
  });
  so = vendorAgent(server.urls.superoffice, 'superoffice');
});

after(async () => {
  await server.close();
  await receiver.close();
  await failing.close();
});

function receivedAt(path: string): ReceivedRequest[] {
  return receiver.received.filter((request) => request.path === path);
}

/** Asserts the webhook got the trigger's event, signed with SECRET, valid against the event's spec entry. */
async function assertDelivered(
  result: TriggerResult,
  webhookId: number,
  specWebhook: string,
  on: Receiver = receiver,
): Promise<ReceivedRequest> {
  const entry = deliveryTo(result, String(webhookId));
  assert.equal(entry.delivered, true, entry.reason);
  const record = recordOf(server, entry);
  const received = receivedFor(on, record);
  assert.equal(superOfficeSignatureValid(SECRET, received.headers, received.rawBody), true);
  const verification = await server.verifyDelivery(record);
  assert.equal(verification.verified, true, verification.reason);
  assert.deepEqual(specProblems('superoffice', specWebhook, received), []);
  assert.match(received.headers['user-agent'] ?? '', /^NetServer-Webhook\//);
  assert.equal(received.headers['x-superoffice-eventid'], bodyOf(received).EventId);
  return received;
}

async function stateOf(webhookId: number): Promise<string> {
  const res = await so.get(`/api/v1/Webhook/${webhookId}`).set('Authorization', BASIC).expect(200);
  return (res.body as { State: string }).State;
}

describe("SuperOffice's catalogue, every event triggered at a real receiver", () => {
  let allId: number;
  const names = superoffice.events.map((event) => event.name);

  before(async () => {
    // the state events are subscribed to as webhook<id>.<kind>; the triggers name webhook STOPPED's
    const subscriptions = names.map((name) =>
      STATE_EVENTS.includes(name) ? name.replace('webhook.', `webhook${STOPPED}.`) : name,
    );
    const created = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .send({
        Name: 'All events',
        Events: subscriptions,
        TargetUrl: `${receiver.url}/all`,
        Secret: SECRET,
        State: 'Active',
        Type: 'webhook',
        Headers: { 'X-Receiver-Key': 'k-123' },
        Properties: { tenantTag: 'everything' },
      })
      .expect(200);
    allId = (created.body as { WebhookId: number }).WebhookId;
    assert.ok(allId > 0);
  });

  after(async () => {
    await so.delete(`/api/v1/Webhook/${allId}`).set('Authorization', BASIC).expect(204);
  });

  it(`lists the module’s ${SO_EVENT_COUNT} events in GET /__admin/catalogue`, async () => {
    const res = await fetch(`${server.url}/__admin/catalogue?vendor=superoffice`);
    const { vendors } = (await res.json()) as { vendors: { events: { name: string }[] }[] };
    const listed = vendors[0]!.events.map((event) => event.name);
    assert.equal(listed.length, SO_EVENT_COUNT);
    assert.deepEqual(listed, names);
  });

  superoffice.events.forEach((event, index) => {
    const door = doorFor(index);
    const isState = STATE_EVENTS.includes(event.name);
    it(`delivers ${event.name} (through ${door}): signed, valid against webhooks.${event.specWebhook}, with the webhook's Headers and Properties`, async () => {
      const result = await triggerThrough(door, server, {
        vendor: 'superoffice',
        event: event.name,
        webhookId: String(allId),
        ...(isState ? { set: { PrimaryKey: STOPPED } } : {}),
      });
      assert.equal(result.deliveries.length, 1);
      const subscribedAs = isState ? event.name.replace('webhook.', `webhook${STOPPED}.`) : event.name;
      assert.equal(deliveryTo(result, String(allId)).reason, `subscribed to ${subscribedAs}`);
      const received = await assertDelivered(result, allId, event.specWebhook);
      assert.equal(received.path, '/all');
      assert.equal(received.headers['x-superoffice-event'], subscribedAs);
      assert.equal(received.headers['x-receiver-key'], 'k-123');
      const body = bodyOf(received);
      assert.equal(body.Event, event.name);
      assert.equal(body.WebhookName, 'All events');
      assert.equal(body.tenantTag, 'everything', 'the Properties are in the body');
      assert.equal(body.ContextIdentifier, 'Cust12345');
      const part = result.part as Record<string, unknown>;
      for (const [key, value] of Object.entries(part)) assert.deepEqual(body[key], value, key);
      if (isState) assert.equal(body.Entity, undefined, 'a state event has no Entity');
    });
  });
});

describe('SuperOffice routing of a triggered event', () => {
  it('delivers sale.sold only to the Active HTTP webhooks subscribed to it, in any case, and says why the others were skipped', async () => {
    const before = receiver.received.length;
    const result = await triggerOverHttp(server, { vendor: 'superoffice', event: 'sale.sold' });
    const reasons = new Map(result.deliveries.map((entry) => [entry.webhookId, entry]));
    assert.equal(
      reasons.get(String(SALES))?.reason,
      'subscribed to sale.sold',
      'SALE.Sold matches sale.sold',
    );
    assert.deepEqual(
      { delivered: reasons.get(String(STOPPED))?.delivered, reason: reasons.get(String(STOPPED))?.reason },
      { delivered: false, reason: 'State is Stopped' },
    );
    assert.deepEqual(
      { delivered: reasons.get(String(TOO_MANY))?.delivered, reason: reasons.get(String(TOO_MANY))?.reason },
      { delivered: false, reason: 'State is TooManyErrors' },
    );
    assert.equal(reasons.get(String(CRMSCRIPT))?.delivered, false);
    assert.match(reasons.get(String(CRMSCRIPT))?.reason ?? '', /crmscript webhook: NetServer calls no URL/);
    assert.deepEqual(
      {
        delivered: reasons.get(String(CONTACTS_ONLY))?.delivered,
        reason: reasons.get(String(CONTACTS_ONLY))?.reason,
      },
      { delivered: false, reason: 'not subscribed to sale.sold' },
    );
    assert.equal(result.deliveries.filter((entry) => entry.delivered).length, 1);
    await assertDelivered(result, SALES, 'sale.sold');
    assert.equal(receiver.received.length, before + 1, 'only the Sales webhook got a request');
  });

  it('adds the webhook’s Headers to the request and its Properties to the body', async () => {
    const result = await server.trigger({ vendor: 'superoffice', event: 'sale.lost' });
    const received = await assertDelivered(result, SALES, 'sale.lost');
    assert.equal(received.headers['x-tenant-tag'], 'acme');
    const body = bodyOf(received);
    assert.equal(body.tenantTag, 't1');
    assert.deepEqual(body.routing, { queue: 'sales' });
    assert.equal(body.WebhookName, 'Sales');
  });

  it('sends only to the webhook webhookId names, and names why a stopped one gets nothing', async () => {
    const only = await triggerOverHttp(server, {
      vendor: 'superoffice',
      event: 'sale.sold',
      webhookId: String(SALES),
    });
    assert.deepEqual(
      only.deliveries.map((entry) => entry.webhookId),
      [String(SALES)],
    );
    const stopped = await server.trigger({
      vendor: 'superoffice',
      event: 'sale.sold',
      webhookId: String(STOPPED),
    });
    assert.deepEqual(stopped.deliveries, [
      {
        webhookId: String(STOPPED),
        delivered: false,
        reason: 'State is Stopped',
        url: `${receiver.url}/stopped`,
      },
    ]);
    assert.equal(receivedAt('/stopped').length, 0);
  });
});

describe('SuperOffice webhook state events', () => {
  it('a PATCH setting State Stopped raises webhook<id>.stopped, and Active raises webhook<id>.started, to the webhooks subscribed to those names', async () => {
    const watcherBefore = receivedAt('/watcher').length;
    const plainBefore = receivedAt('/plain').length;
    await so
      .patch(`/api/v1/Webhook/${WATCHED}`)
      .set('Authorization', BASIC)
      .send({ State: 'Stopped' })
      .expect(200);
    const stopped = receivedAt('/watcher').slice(watcherBefore);
    assert.equal(stopped.length, 1);
    const stop = stopped[0]!;
    assert.equal(stop.headers['x-superoffice-event'], `webhook${WATCHED}.stopped`);
    assert.equal(superOfficeSignatureValid(SECRET, stop.headers, stop.rawBody), true);
    assert.deepEqual(specProblems('superoffice', 'webhook.stopped', stop), []);
    const stopBody = bodyOf(stop);
    assert.equal(stopBody.Event, 'webhook.stopped');
    assert.equal(stopBody.PrimaryKey, WATCHED);
    assert.equal((stopBody.FieldValues as { state: number }).state, 1);

    await so
      .patch(`/api/v1/Webhook/${WATCHED}`)
      .set('Authorization', BASIC)
      .send({ State: 'Active' })
      .expect(200);
    const started = receivedAt('/watcher').slice(watcherBefore + 1);
    assert.equal(started.length, 1, 'WEBHOOK206.Started matches webhook206.started');
    const start = started[0]!;
    assert.equal(start.headers['x-superoffice-event'], `webhook${WATCHED}.started`);
    assert.deepEqual(specProblems('superoffice', 'webhook.started', start), []);
    assert.equal(bodyOf(start).Event, 'webhook.started');
    assert.equal((bodyOf(start).FieldValues as { state: number }).state, 0);
    assert.equal(
      receivedAt('/plain').length,
      plainBefore,
      'a subscription to plain webhook.stopped gets nothing',
    );
  });

  it('nine failed deliveries in a row set TooManyErrors and raise webhook<id>.errors; the webhook then gets nothing', async () => {
    const watcherBefore = receivedAt('/watcher').length;
    const event = { vendor: 'superoffice', event: 'ticket.created', webhookId: String(FAILING) };
    for (let attempt = 1; attempt <= 8; attempt += 1) {
      const result = await server.trigger(event);
      assert.deepEqual(deliveryTo(result, String(FAILING)).result, { kind: 'response', status: 500 });
    }
    assert.equal(await stateOf(FAILING), 'Active', 'eight failures do not stop it');
    assert.equal(receivedAt('/watcher').length, watcherBefore);
    await server.trigger(event);
    assert.equal(await stateOf(FAILING), 'TooManyErrors');
    assert.equal(failing.received.length, 9);

    const raised = receivedAt('/watcher').slice(watcherBefore);
    assert.equal(raised.length, 1);
    const errors = raised[0]!;
    assert.equal(errors.headers['x-superoffice-event'], `webhook${FAILING}.errors`);
    assert.equal(superOfficeSignatureValid(SECRET, errors.headers, errors.rawBody), true);
    assert.deepEqual(specProblems('superoffice', 'webhook.errors', errors), []);
    assert.equal(bodyOf(errors).Event, 'webhook.errors');
    assert.equal(bodyOf(errors).PrimaryKey, FAILING);
    assert.equal((bodyOf(errors).FieldValues as { state: number }).state, 2);

    const skipped = await server.trigger(event);
    assert.deepEqual(
      { delivered: skipped.deliveries[0]?.delivered, reason: skipped.deliveries[0]?.reason },
      { delivered: false, reason: 'State is TooManyErrors' },
    );
    assert.equal(failing.received.length, 9);
  });
});

describe('negative kinds on triggered SuperOffice events', () => {
  const REFUSED: Readonly<Record<string, (request: ReceivedRequest) => void>> = {
    'tampered-body': (request) =>
      assert.equal(superOfficeSignatureValid(SECRET, request.headers, request.rawBody), false),
    'wrong-secret': (request) =>
      assert.equal(superOfficeSignatureValid(SECRET, request.headers, request.rawBody), false),
    'missing-signature': (request) => assert.equal(request.headers['x-superoffice-signature'], undefined),
  };

  it('offers exactly the kinds this suite checks', () => {
    assert.deepEqual(
      [...SUPEROFFICE_NEGATIVE_KINDS].sort(),
      [...Object.keys(REFUSED), 'duplicate-event-id'].sort(),
    );
  });

  for (const [kind, refused] of Object.entries(REFUSED)) {
    it(`a triggered ${kind} delivery arrives, journalled as negative, and verification fails as the kind says`, async () => {
      const result = await triggerOverHttp(server, {
        vendor: 'superoffice',
        event: 'sale.sold',
        webhookId: String(SALES),
        negative: kind,
      });
      const record = recordOf(server, deliveryTo(result, String(SALES)));
      assert.equal(record.negative, kind);
      refused(receivedFor(receiver, record));
      const verification = await server.verifyDelivery(record);
      assert.equal(verification.verified, false, verification.reason);
    });
  }

  it('a triggered duplicate-event-id sends the webhook’s previous valid event again, same EventId', async () => {
    const first = await server.trigger({
      vendor: 'superoffice',
      event: 'sale.sold',
      webhookId: String(SALES),
    });
    const original = receivedFor(receiver, recordOf(server, deliveryTo(first, String(SALES))));
    const duplicate = await server.trigger({
      vendor: 'superoffice',
      event: 'sale.sold',
      webhookId: String(SALES),
      negative: 'duplicate-event-id',
    });
    const record = recordOf(server, deliveryTo(duplicate, String(SALES)));
    assert.equal(record.negative, 'duplicate-event-id');
    const again = receivedFor(receiver, record);
    assert.equal(again.headers['x-superoffice-eventid'], original.headers['x-superoffice-eventid']);
    assert.ok(again.rawBody.equals(original.rawBody));
    assert.equal(superOfficeSignatureValid(SECRET, again.headers, again.rawBody), true);
  });
});
