import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultFixturesDir, startMockServer } from '../../src/server/index.js';
import type { MockServer } from '../../src/server/index.js';
import { vendorAgent } from '../support/http.js';
import type { VendorAgent } from '../support/http.js';
import { refusedUrl, startReceiver } from '../support/receiver.js';
import type { ReceivedRequest, Receiver } from '../support/receiver.js';
import { superOfficeSignatureValid } from '../support/signatures.js';
import { specFor } from '../support/spec-check.js';

const BASIC = `Basic ${Buffer.from('demo:demo').toString('base64')}`;
const TICKET = 'SOTicket 7T:dGVzdC10aWNrZXQ=';
const BEARER = 'Bearer 8A:dGVzdC10b2tlbg==';
const XSRF = 'xsrf-test-token';
const APP_TOKEN = 'app-token-1';
const SECRET = 'Something Super Secret';

interface WebhookBody {
  WebhookId: number;
  Name: string;
  Events: string[];
  TargetUrl: string;
  Secret: string;
  State: string;
  Type: string;
  Headers: Record<string, string>;
  Properties: Record<string, unknown>;
  Registered: string;
  Updated: string;
  ErrorsEmail: string;
  _Links?: Record<string, string>;
}

let server: MockServer;
let so: VendorAgent;
let fixturesDir: string;
/** Answers 200; the seeded subscribers' target. */
let hooks: Receiver;
/** Answers 500 (webhook 104). */
let failing: Receiver;
/** Answers 410 Gone (webhook 105). */
let gone: Receiver;

function deliveriesOf(receiver: Receiver, event: string, pathName?: string): ReceivedRequest[] {
  return receiver.received.filter(
    (request) =>
      request.headers['x-superoffice-event'] === event &&
      (pathName === undefined || request.path === pathName),
  );
}

/** Every request the test receivers have got, to show that nothing was sent. */
function receivedCount(): number {
  return hooks.received.length + failing.received.length + gone.received.length;
}

function checkDelivery(kind: 'test' | 'event', request: ReceivedRequest): void {
  assert.deepEqual(
    specFor('superoffice').checkDelivery(kind, request.headers, request.rawBody.toString('utf8')),
    [],
  );
}

/** A webhook body for create calls. */
function newWebhook(targetUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Name: 'Contact Handler',
    Events: ['contact.created', 'contact.changed'],
    TargetUrl: targetUrl,
    Secret: SECRET,
    State: 'Active',
    Type: 'webhook',
    ...extra,
  };
}

async function create(targetUrl: string, extra: Record<string, unknown> = {}): Promise<WebhookBody> {
  const res = await so
    .post('/api/v1/Webhook')
    .set('Authorization', BASIC)
    .send(newWebhook(targetUrl, extra))
    .expect(200);
  return res.body as WebhookBody;
}

before(async () => {
  [hooks, failing, gone] = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
  failing.behave({ kind: 'answer', status: 500, body: '{"error":"receiver broke"}' });
  gone.behave({ kind: 'answer', status: 410, body: 'gone' });
  fixturesDir = await mkdtemp(path.join(os.tmpdir(), 'so-fixtures-'));
  for (const file of ['c1.yaml', 'shodai.yaml']) {
    await copyFile(path.join(defaultFixturesDir, file), path.join(fixturesDir, file));
  }
  const seeded = (
    webhookId: number,
    name: string,
    events: string[],
    targetUrl: string,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> => ({ webhookId, name, events, targetUrl, state: 'Active', ...extra });
  const fixture = {
    contextIdentifier: 'Cust12345',
    associates: [{ associateId: 5, name: 'DEMO', fullName: 'Demo User', personId: 5 }],
    basicUsers: [{ username: 'demo', password: 'demo', associateId: 5 }],
    tickets: [{ ticket: '7T:dGVzdC10aWNrZXQ=', associateId: 5 }],
    accessTokens: [{ token: '8A:dGVzdC10b2tlbg==', associateId: 5 }],
    xsrfTokens: [{ token: XSRF, associateId: 5 }],
    appTokens: [APP_TOKEN],
    webhooks: [
      seeded(101, 'Sale hook', ['sale.sold', 'Contact.Created'], `${hooks.url}/sale`, {
        secret: SECRET,
        headers: { 'X-Extra': 'one' },
        properties: { tenantTag: 't1' },
      }),
      seeded(102, 'Stopped sale hook', ['sale.sold'], `${hooks.url}/stopped`, { state: 'Stopped' }),
      seeded(103, 'Project hook', ['project.created'], `${hooks.url}/project`),
      seeded(104, 'Failing hook', ['ticket.created'], `${failing.url}/hook`),
      seeded(105, 'Gone hook', ['ticket.changed'], `${gone.url}/hook`),
      seeded(106, 'Person hook', ['person.created'], `${hooks.url}/person`),
    ],
  };
  await writeFile(path.join(fixturesDir, 'superoffice.yaml'), JSON.stringify(fixture, null, 2));
  server = await startMockServer({ port: 0, fixturesDir, deliveryTimeoutMs: 2000 });
  so = vendorAgent(server.urls.superoffice, 'superoffice');
});

after(async () => {
  await server.close();
  await Promise.all([hooks.close(), failing.close(), gone.close()]);
  await rm(fixturesDir, { recursive: true, force: true });
});

describe('authentication', () => {
  test('a request without credentials is refused with 401 in SuperOffice error format', async () => {
    const res = await so.get('/api/v1/Webhook/default').expect(401);
    assert.equal(res.body.Error, true);
    assert.equal(res.body.ErrorType, 'SoAuthenticationException');
    assert.match(res.body.Message, /Authorization required/);
  });

  test('Basic, SOTicket, Bearer and X-XSRF-TOKEN credentials are all accepted', async () => {
    for (const auth of [BASIC, TICKET, BEARER]) {
      await so.get('/api/v1/Webhook/default').set('Authorization', auth).expect(200);
    }
    await so.get('/api/v1/Webhook/default').set('X-XSRF-TOKEN', XSRF).expect(200);
  });

  test('wrong credentials of every scheme are 401', async () => {
    const wrongBasic = `Basic ${Buffer.from('demo:nope').toString('base64')}`;
    for (const auth of [wrongBasic, 'SOTicket 7T:bm9wZQ==', 'Bearer 8A:bm9wZQ==', 'Digest abc']) {
      await so.get('/api/v1/Webhook/default').set('Authorization', auth).expect(401);
    }
    await so.get('/api/v1/Webhook/default').set('X-XSRF-TOKEN', 'not-a-session').expect(401);
  });

  test('an SO-AppToken the fixture does not list is refused with 403; a listed one is accepted', async () => {
    const res = await so
      .get('/api/v1/Webhook/default')
      .set('Authorization', BEARER)
      .set('SO-AppToken', 'someone-elses-app')
      .expect(403);
    assert.equal(res.body.ErrorType, 'SoAccessDeniedException');
    await so
      .get('/api/v1/Webhook/default')
      .set('Authorization', BEARER)
      .set('SO-AppToken', APP_TOKEN)
      .expect(200);
  });

  test('the credential check comes before request validation (401, not 400)', async () => {
    await so.get('/api/v1/Webhook/abc').expect(401);
  });
});

describe('tenant prefix', () => {
  test('/Cust12345/api/v1/... serves the same store and links below the tenant', async () => {
    const res = await so.get('/Cust12345/api/v1/Webhook/101').set('Authorization', BASIC).expect(200);
    const body = res.body as WebhookBody;
    assert.equal(body.Name, 'Sale hook');
    assert.equal(body._Links?.Self, `${server.urls.superoffice}/Cust12345/api/v1/Webhook/101`);
  });

  test('another tenant is refused with 401', async () => {
    await so.get('/Cust99999/api/v1/Webhook/101').set('Authorization', BASIC).expect(401);
  });

  test('deliveries made through a tenant path carry that tenant as ContextIdentifier', async () => {
    const res = await so
      .post('/Cust12345/api/v1/Webhook/Test')
      .set('Authorization', BASIC)
      .send({ Name: 'tenant test', TargetUrl: `${hooks.url}/tenant` })
      .expect(200);
    assert.equal(res.body.Success, true);
    const delivery = hooks.received.filter((request) => request.path === '/tenant').at(-1);
    assert.ok(delivery);
    assert.equal(JSON.parse(delivery.rawBody.toString()).ContextIdentifier, 'Cust12345');
  });
});

describe('GET /api/v1/Webhook/default and GET /api/v1/Webhook', () => {
  test('the default webhook is the one dev/subscription.md shows', async () => {
    const res = await so.get('/api/v1/Webhook/default').set('Authorization', BASIC).expect(200);
    assert.deepEqual(res.body, {
      WebhookId: 0,
      Name: null,
      Events: ['contact.created', 'contact.deleted'],
      TargetUrl: null,
      Secret: null,
      State: 'Active',
      Type: 'webhook',
      Headers: null,
      Properties: null,
      Registered: '0001-01-01T00:00:00',
      RegisteredAssociate: null,
      Updated: '0001-01-01T00:00:00',
      UpdatedAssociate: null,
      ErrorsEmail: null,
    });
  });

  test('the list holds every webhook, and nameFilter, eventFilter and statusFilter narrow it', async () => {
    const all = await so.get('/api/v1/Webhook').set('Authorization', BASIC).expect(200);
    const ids = (all.body as WebhookBody[]).map((webhook) => webhook.WebhookId);
    for (const id of [101, 102, 103, 104, 105, 106]) assert.ok(ids.includes(id), `webhook ${id} listed`);

    const byName = await so
      .get('/api/v1/Webhook?nameFilter=project%20hook')
      .set('Authorization', BASIC)
      .expect(200);
    assert.deepEqual(
      (byName.body as WebhookBody[]).map((webhook) => webhook.WebhookId),
      [103],
    );
    const byEvent = await so
      .get('/api/v1/Webhook?eventFilter=sale.sold')
      .set('Authorization', BASIC)
      .expect(200);
    assert.deepEqual(
      (byEvent.body as WebhookBody[]).map((webhook) => webhook.WebhookId),
      [101, 102],
    );
    const stopped = await so
      .get('/api/v1/Webhook?statusFilter=Stopped&eventFilter=sale.sold')
      .set('Authorization', BASIC)
      .expect(200);
    assert.deepEqual(
      (stopped.body as WebhookBody[]).map((webhook) => webhook.WebhookId),
      [102],
    );
    const unknown = await so
      .get('/api/v1/Webhook?statusFilter=Unknown')
      .set('Authorization', BASIC)
      .expect(200);
    assert.equal(unknown.body.length, all.body.length, 'Unknown means no status filter');
  });

  test('a statusFilter outside the enum is 400 naming query.statusFilter', async () => {
    const res = await so.get('/api/v1/Webhook?statusFilter=Paused').set('Authorization', BASIC).expect(400);
    assert.match(res.body.Message, /query\.statusFilter/);
  });
});

describe('POST /api/v1/Webhook', () => {
  test('creating pings the target with a signed test event, then saves the webhook (200 with _Links)', async () => {
    const before = hooks.received.length;
    const created = await create(`${hooks.url}/created`, { Headers: { 'X-Custom': 'yes' } });
    assert.ok(created.WebhookId > 106);
    assert.equal(created.Name, 'Contact Handler');
    assert.deepEqual(created.Events, ['contact.created', 'contact.changed']);
    assert.equal(created.State, 'Active');
    assert.equal(created._Links?.Self, `${server.urls.superoffice}/api/v1/Webhook/${created.WebhookId}`);

    const pings = hooks.received.slice(before);
    assert.equal(pings.length, 1);
    const ping = pings[0]!;
    assert.equal(ping.path, '/created');
    assert.equal(ping.headers['x-superoffice-event'], 'test');
    assert.equal(ping.headers['x-hook-test'], 'true');
    assert.equal(ping.headers['x-custom'], 'yes');
    assert.ok(superOfficeSignatureValid(SECRET, ping.headers, ping.rawBody));
    checkDelivery('test', ping);
    assert.equal(JSON.parse(ping.rawBody.toString()).WebhookName, 'Contact Handler');

    const fetched = await so
      .get(`/api/v1/Webhook/${created.WebhookId}`)
      .set('Authorization', BASIC)
      .expect(200);
    assert.equal(fetched.body.TargetUrl, `${hooks.url}/created`);
    assert.equal(fetched.body.RegisteredAssociate.AssociateId, 5);
  });

  test('a target answering 500 makes the save fail with 400 whose Message carries its answer', async () => {
    const count = (await so.get('/api/v1/Webhook').set('Authorization', BASIC)).body.length as number;
    const res = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .send(newWebhook(`${failing.url}/create`))
      .expect(400);
    assert.equal(res.body.Error, true);
    assert.match(res.body.Message, /HTTP\/1\.1 500/);
    assert.match(res.body.Message, /receiver broke/);
    const after = (await so.get('/api/v1/Webhook').set('Authorization', BASIC)).body.length as number;
    assert.equal(after, count, 'nothing was saved');
  });

  test('a target refusing connections makes the save fail with 400 naming the connection error', async () => {
    const res = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .send(newWebhook(await refusedUrl()))
      .expect(400);
    assert.match(res.body.Message, /connection-refused/);
  });

  test('camelCase property names are read as NetServer reads them', async () => {
    const res = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .send({ name: 'camel', events: ['sale.created'], targetUrl: `${hooks.url}/camel`, state: 'Stopped' })
      .expect(200);
    assert.equal(res.body.Name, 'camel');
    assert.equal(res.body.State, 'Stopped');
    assert.deepEqual(res.body.Events, ['sale.created']);
  });

  test('a body without TargetUrl is 400 naming body.TargetUrl', async () => {
    const res = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .send({ Name: 'no target', Events: ['contact.created'] })
      .expect(400);
    assert.equal(res.body.ErrorType, 'ArgumentException');
    assert.match(res.body.Message, /body\.TargetUrl/);
  });

  test('fields of the wrong type are 400 naming the field', async () => {
    const events = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .send(newWebhook(`${hooks.url}/x`, { Events: 'contact.created' }))
      .expect(400);
    assert.match(events.body.Message, /body\.Events/);
    const state = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .send(newWebhook(`${hooks.url}/x`, { State: 'Paused' }))
      .expect(400);
    assert.match(state.body.Message, /body\.State/);
    const type = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .send(newWebhook(`${hooks.url}/x`, { Type: 'carrier-pigeon' }))
      .expect(400);
    assert.match(type.body.Message, /body\.Type/);
  });

  test('a target URL that is not http(s) is 400 naming body.TargetUrl', async () => {
    const res = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .send(newWebhook('ftp://example.com/hook'))
      .expect(400);
    assert.match(res.body.Message, /body\.TargetUrl/);
  });

  test('broken JSON is 400 and a missing body is 400', async () => {
    await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .set('Content-Type', 'application/json')
      .send('{"Name": ')
      .expect(400);
    await so.post('/api/v1/Webhook').set('Authorization', BASIC).expect(400);
  });

  test('a Content-Type the operation does not accept is 415', async () => {
    const res = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .set('Content-Type', 'text/plain')
      .send('Name=x')
      .expect(415);
    assert.equal(res.body.ErrorType, 'UnsupportedMediaTypeException');
  });

  test('a crmscript webhook is saved without a test POST (its TargetUrl is a script id)', async () => {
    const before = receivedCount();
    const res = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .send({ Name: 'script', Events: ['script.fired'], TargetUrl: 'script-42', Type: 'crmscript' })
      .expect(200);
    assert.equal(res.body.Type, 'crmscript');
    await so.post('/api/v1/Webhook/script.fired/1').set('Authorization', BASIC).expect(204);
    assert.equal(receivedCount(), before, 'no HTTP POST for a CRMScript webhook');
  });
});

describe('GET, PUT, PATCH and DELETE /api/v1/Webhook/{id}', () => {
  test('an unknown id is 404 in SuperOffice error format for GET, PUT, PATCH, DELETE and LastError', async () => {
    const get = await so.get('/api/v1/Webhook/9999').set('Authorization', BASIC).expect(404);
    assert.deepEqual(Object.keys(get.body).sort(), ['Error', 'ErrorSource', 'ErrorType', 'Message']);
    assert.equal(get.body.ErrorType, 'SoNotFoundException');
    await so
      .put('/api/v1/Webhook/9999')
      .set('Authorization', BASIC)
      .send(newWebhook(`${hooks.url}/x`))
      .expect(404);
    await so.patch('/api/v1/Webhook/9999').set('Authorization', BASIC).send({ Name: 'x' }).expect(404);
    await so.delete('/api/v1/Webhook/9999').set('Authorization', BASIC).expect(404);
    await so.get('/api/v1/Webhook/9999/LastError').set('Authorization', BASIC).expect(404);
  });

  test('a non-numeric id is 400 naming path.id', async () => {
    const res = await so.get('/api/v1/Webhook/abc').set('Authorization', BASIC).expect(400);
    assert.match(res.body.Message, /path\.id/);
  });

  test('PUT replaces the fields, keeps id and Registered, and pings only a changed TargetUrl', async () => {
    const created = await create(`${hooks.url}/put-1`);
    const pingsBefore = hooks.received.length;
    const same = await so
      .put(`/api/v1/Webhook/${created.WebhookId}`)
      .set('Authorization', TICKET)
      .send({ Name: 'Renamed', Events: ['sale.lost'], TargetUrl: `${hooks.url}/put-1`, State: 'Stopped' })
      .expect(200);
    assert.equal(hooks.received.length, pingsBefore, 'same TargetUrl: no test POST');
    assert.equal(same.body.WebhookId, created.WebhookId);
    assert.equal(same.body.Name, 'Renamed');
    assert.deepEqual(same.body.Events, ['sale.lost']);
    assert.equal(same.body.State, 'Stopped');
    assert.equal(same.body.Secret, '', 'PUT replaces: a Secret left out is cleared');
    assert.equal(same.body.Registered, created.Registered);

    await so
      .put(`/api/v1/Webhook/${created.WebhookId}`)
      .set('Authorization', BASIC)
      .send({ Name: 'Moved', TargetUrl: `${hooks.url}/put-2` })
      .expect(200);
    assert.equal(hooks.received.length, pingsBefore + 1);
    assert.equal(hooks.received.at(-1)?.path, '/put-2');

    const refused = await so
      .put(`/api/v1/Webhook/${created.WebhookId}`)
      .set('Authorization', BASIC)
      .send({ Name: 'Broken', TargetUrl: `${failing.url}/put` })
      .expect(400);
    assert.match(refused.body.Message, /500/);
    const kept = await so.get(`/api/v1/Webhook/${created.WebhookId}`).set('Authorization', BASIC).expect(200);
    assert.equal(kept.body.Name, 'Moved', 'a refused save changes nothing');
  });

  test('PUT without a body is 400', async () => {
    await so.put('/api/v1/Webhook/101').set('Authorization', BASIC).expect(400);
  });

  test('PATCH applies a JSON Patch with case-insensitive paths and an optional leading slash', async () => {
    const created = await create(`${hooks.url}/patch`);
    const res = await so
      .patch(`/api/v1/Webhook/${created.WebhookId}`)
      .set('Authorization', BASIC)
      .set('Content-Type', 'application/json-patch+json')
      .send(
        JSON.stringify([
          { op: 'test', path: '/name', value: 'Contact Handler' },
          { op: 'replace', path: 'Name', value: 'Patched' },
          { op: 'add', path: '/events/-', value: 'contact.deleted' },
          { op: 'remove', path: '/Events/0' },
          { op: 'add', path: '/Headers/X-Added', value: 'added' },
          { op: 'remove', path: '/secret' },
        ]),
      )
      .expect(200);
    assert.equal(res.body.Name, 'Patched');
    assert.deepEqual(res.body.Events, ['contact.changed', 'contact.deleted']);
    assert.deepEqual(res.body.Headers, { 'X-Added': 'added' });
    assert.equal(res.body.Secret, '');
    assert.equal(res.body.WebhookId, created.WebhookId);
  });

  test('PATCH applies a JSON Merge Patch, and null resets a property', async () => {
    const created = await create(`${hooks.url}/merge`, { Headers: { A: '1', B: '2' } });
    const res = await so
      .patch(`/api/v1/Webhook/${created.WebhookId}`)
      .set('Authorization', BASIC)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ name: 'Merged', Headers: { B: null, C: '3' }, Secret: null, WebhookId: 1 }))
      .expect(200);
    assert.equal(res.body.Name, 'Merged');
    assert.deepEqual(res.body.Headers, { A: '1', C: '3' });
    assert.equal(res.body.Secret, '');
    assert.equal(res.body.WebhookId, created.WebhookId, 'the id cannot be patched');
  });

  test('PATCH with plain application/json takes an array as JSON Patch and an object as Merge Patch', async () => {
    const created = await create(`${hooks.url}/plain-patch`);
    await so
      .patch(`/api/v1/Webhook/${created.WebhookId}`)
      .set('Authorization', BASIC)
      .send([{ op: 'replace', path: '/State', value: 'Stopped' }])
      .expect(200);
    const res = await so
      .patch(`/api/v1/Webhook/${created.WebhookId}`)
      .set('Authorization', BASIC)
      .send({ ErrorsEmail: 'ops@example.com' })
      .expect(200);
    assert.equal(res.body.State, 'Stopped');
    assert.equal(res.body.ErrorsEmail, 'ops@example.com');
  });

  test('PATCH answers 409 when a test op fails, and changes nothing', async () => {
    const created = await create(`${hooks.url}/conflict`);
    const res = await so
      .patch(`/api/v1/Webhook/${created.WebhookId}`)
      .set('Authorization', BASIC)
      .set('Content-Type', 'application/json-patch+json')
      .send(
        JSON.stringify([
          { op: 'test', path: '/Name', value: 'Someone else' },
          { op: 'replace', path: '/Name', value: 'Never' },
        ]),
      )
      .expect(409);
    assert.equal(res.body.ErrorType, 'SoConflictException');
    const kept = await so.get(`/api/v1/Webhook/${created.WebhookId}`).set('Authorization', BASIC).expect(200);
    assert.equal(kept.body.Name, 'Contact Handler');
  });

  test('PATCH answers 412 when the webhook changed after If-Unmodified-Since', async () => {
    const created = await create(`${hooks.url}/precondition`);
    const res = await so
      .patch(`/api/v1/Webhook/${created.WebhookId}`)
      .set('Authorization', BASIC)
      .set('If-Unmodified-Since', 'Mon, 01 Jan 2001 00:00:00 GMT')
      .send({ Name: 'late' })
      .expect(412);
    assert.equal(res.body.Error, true);
    await so
      .patch(`/api/v1/Webhook/${created.WebhookId}`)
      .set('Authorization', BASIC)
      .set('If-Unmodified-Since', new Date(Date.now() + 60_000).toUTCString())
      .send({ Name: 'in time' })
      .expect(200);
  });

  test('PATCH refuses bad documents with 400 naming the problem', async () => {
    const merge = await so
      .patch('/api/v1/Webhook/101')
      .set('Authorization', BASIC)
      .set('Content-Type', 'application/merge-patch+json')
      .send('[{"op":"replace","path":"/Name","value":"x"}]')
      .expect(400);
    assert.match(merge.body.Message, /Merge Patch/);
    const move = await so
      .patch('/api/v1/Webhook/101')
      .set('Authorization', BASIC)
      .send([{ op: 'move', from: '/Name', path: '/Secret' }])
      .expect(400);
    assert.match(move.body.Message, /op/);
    const unknown = await so
      .patch('/api/v1/Webhook/101')
      .set('Authorization', BASIC)
      .send([{ op: 'replace', path: '/Colour', value: 'red' }])
      .expect(400);
    assert.match(unknown.body.Message, /body\[0\]\.path/);
    const type = await so
      .patch('/api/v1/Webhook/101')
      .set('Authorization', BASIC)
      .send([{ op: 'replace', path: '/Events', value: 'sale.sold' }])
      .expect(400);
    assert.match(type.body.Message, /body\.Events/);
  });

  test('DELETE answers 204 with no body; the webhook is then gone', async () => {
    const created = await create(`${hooks.url}/delete`);
    const res = await so
      .delete(`/api/v1/Webhook/${created.WebhookId}`)
      .set('Authorization', BASIC)
      .expect(204);
    assert.equal(res.text, '');
    await so.get(`/api/v1/Webhook/${created.WebhookId}`).set('Authorization', BASIC).expect(404);
    await so.delete(`/api/v1/Webhook/${created.WebhookId}`).set('Authorization', BASIC).expect(404);
  });

  test('a method the resource does not have is 405', async () => {
    await so.delete('/api/v1/Webhook').set('Authorization', BASIC).expect(405);
  });
});

describe('POST /api/v1/Webhook/Test', () => {
  test('Success is true for a 200 answer, and Message holds its status line, headers and body', async () => {
    const res = await so
      .post('/api/v1/Webhook/Test')
      .set('Authorization', BASIC)
      .send({ Name: 'ping', TargetUrl: `${hooks.url}/ping`, Secret: SECRET })
      .expect(200);
    assert.equal(res.body.Success, true);
    assert.match(res.body.Message, /^HTTP\/1\.1 200 OK/);
    const ping = hooks.received.at(-1)!;
    checkDelivery('test', ping);
    assert.ok(superOfficeSignatureValid(SECRET, ping.headers, ping.rawBody));
  });

  test('Success is false (still 200) for a 500 answer and for a refused connection', async () => {
    const error = await so
      .post('/api/v1/Webhook/Test')
      .set('Authorization', BASIC)
      .send({ TargetUrl: `${failing.url}/ping` })
      .expect(200);
    assert.equal(error.body.Success, false);
    assert.match(error.body.Message, /500/);
    const refused = await so
      .post('/api/v1/Webhook/Test')
      .set('Authorization', BASIC)
      .send({ TargetUrl: await refusedUrl() })
      .expect(200);
    assert.equal(refused.body.Success, false);
    assert.match(refused.body.Message, /connection-refused/);
  });

  test('Success is false when the target does not answer within the delivery timeout', async () => {
    const slow = await startReceiver();
    slow.behave({ kind: 'hang' });
    const quick = await startMockServer({ port: 0, fixturesDir, deliveryTimeoutMs: 300 });
    try {
      const res = await vendorAgent(quick.urls.superoffice, 'superoffice')
        .post('/api/v1/Webhook/Test')
        .set('Authorization', BASIC)
        .send({ TargetUrl: `${slow.url}/slow` })
        .expect(200);
      assert.equal(res.body.Success, false);
      assert.match(res.body.Message, /timeout/);
    } finally {
      await quick.close();
      await slow.close();
    }
  });

  test('X-Superoffice-Signature is sent only when the webhook has a Secret', async () => {
    await so
      .post('/api/v1/Webhook/Test')
      .set('Authorization', BASIC)
      .send({ TargetUrl: `${hooks.url}/unsigned` })
      .expect(200);
    const unsigned = hooks.received.at(-1)!;
    assert.equal(unsigned.headers['x-superoffice-signature'], undefined);
    checkDelivery('test', unsigned);
  });

  test('a Test body without TargetUrl is 400 naming body.TargetUrl', async () => {
    const res = await so
      .post('/api/v1/Webhook/Test')
      .set('Authorization', BASIC)
      .send({ Name: 'x' })
      .expect(400);
    assert.match(res.body.Message, /body\.TargetUrl/);
  });
});

describe('signalling events and LastError', () => {
  test('a signal reaches exactly the Active webhooks subscribed to the event, signed like the test event', async () => {
    const sale = deliveriesOf(hooks, 'sale.sold').length;
    await so
      .post('/api/v1/Webhook/sale.sold/42')
      .set('Authorization', BASIC)
      .send({ amount: 1000, name: 'Big deal' })
      .expect(204);
    const delivered = deliveriesOf(hooks, 'sale.sold').slice(sale);
    assert.deepEqual(
      delivered.map((request) => request.path),
      ['/sale'],
      'the Stopped webhook 102 and webhooks of other events get nothing',
    );
    const delivery = delivered[0]!;
    checkDelivery('event', delivery);
    assert.ok(superOfficeSignatureValid(SECRET, delivery.headers, delivery.rawBody));
    assert.equal(delivery.headers['x-extra'], 'one');
    assert.equal(delivery.headers['x-hook-test'], undefined);
    const body = JSON.parse(delivery.rawBody.toString());
    assert.equal(body.Event, 'sale.sold');
    assert.equal(body.Entity, 'sale');
    assert.equal(body.PrimaryKey, 42);
    assert.equal(body.WebhookName, 'Sale hook');
    assert.equal(body.ContextIdentifier, 'Cust12345');
    assert.equal(body.ChangedByAssociateId, 5);
    assert.equal(body.tenantTag, 't1', 'Properties are merged into the body');
    assert.deepEqual(body.Changes, ['amount', 'name']);
    assert.deepEqual(body.FieldValues, { amount: 1000, name: 'Big deal' }, 'event data keeps its keys');
    assert.equal(delivery.headers['x-superoffice-eventid'], body.EventId);
  });

  test('event names match subscriptions case-insensitively, and a signal without body is fine', async () => {
    const before = deliveriesOf(hooks, 'contact.created', '/sale').length;
    await so.post('/api/v1/Webhook/contact.created/7').set('Authorization', BASIC).expect(204);
    const after = deliveriesOf(hooks, 'contact.created', '/sale');
    assert.equal(after.length, before + 1);
    const body = JSON.parse(after.at(-1)!.rawBody.toString());
    assert.deepEqual(body.Changes, []);
    assert.equal(body.FieldValues, undefined);
  });

  test('a signal for an event nobody subscribes to delivers nothing and answers 204', async () => {
    const before = receivedCount();
    await so.post('/api/v1/Webhook/window.closed/0').set('Authorization', BASIC).expect(204);
    assert.equal(receivedCount(), before);
  });

  test('a signal with an invalid event name or primary key is 400', async () => {
    const name = await so.post('/api/v1/Webhook/closed/1').set('Authorization', BASIC).expect(400);
    assert.match(name.body.Message, /path\.eventName/);
    const key = await so.post('/api/v1/Webhook/sale.sold/abc').set('Authorization', BASIC).expect(400);
    assert.match(key.body.Message, /path\.primaryKey/);
  });

  test('LastError is "" before any failure, then the failed answer; nine failures set TooManyErrors', async () => {
    const empty = await so.get('/api/v1/Webhook/104/LastError').set('Authorization', BASIC).expect(200);
    assert.equal(empty.body, '');
    await so.post('/api/v1/Webhook/ticket.created/1').set('Authorization', BASIC).expect(204);
    const last = await so.get('/api/v1/Webhook/104/LastError').set('Authorization', BASIC).expect(200);
    assert.match(last.body as string, /HTTP\/1\.1 500/);
    assert.match(last.body as string, /receiver broke/);
    let state = (await so.get('/api/v1/Webhook/104').set('Authorization', BASIC).expect(200)).body.State;
    assert.equal(state, 'Active', 'one failure does not stop a webhook');

    for (let attempt = 2; attempt <= 9; attempt += 1) {
      await so.post('/api/v1/Webhook/ticket.created/1').set('Authorization', BASIC).expect(204);
    }
    state = (await so.get('/api/v1/Webhook/104').set('Authorization', BASIC).expect(200)).body.State;
    assert.equal(state, 'TooManyErrors');
    const deliveredBefore = failing.received.length;
    await so.post('/api/v1/Webhook/ticket.created/1').set('Authorization', BASIC).expect(204);
    assert.equal(failing.received.length, deliveredBefore, 'a TooManyErrors webhook gets no events');

    // the receiver resets the state to Active to resume
    failing.behave({ kind: 'answer', status: 200, body: 'ok' });
    await so.patch('/api/v1/Webhook/104').set('Authorization', BASIC).send({ State: 'Active' }).expect(200);
    await so.post('/api/v1/Webhook/ticket.created/2').set('Authorization', BASIC).expect(204);
    assert.equal(failing.received.length, deliveredBefore + 1);
    failing.behave({ kind: 'answer', status: 500, body: '{"error":"receiver broke"}' });
  });

  test('a 410 Gone answer stops the webhook', async () => {
    await so.post('/api/v1/Webhook/ticket.changed/3').set('Authorization', BASIC).expect(204);
    const res = await so.get('/api/v1/Webhook/105').set('Authorization', BASIC).expect(200);
    assert.equal(res.body.State, 'Stopped');
    const last = await so.get('/api/v1/Webhook/105/LastError').set('Authorization', BASIC).expect(200);
    assert.match(last.body as string, /410/);
  });
});

describe('the Webhook agent (/api/v1/Agents/Webhook/<Method>)', () => {
  const agent = (method: string): string => `/api/v1/Agents/Webhook/${method}`;

  test('CreateDefaultWebhook answers the default webhook', async () => {
    const res = await so.post(agent('CreateDefaultWebhook')).set('Authorization', BASIC).expect(200);
    assert.equal(res.body.WebhookId, 0);
    assert.equal(res.body.Type, 'webhook');
  });

  test('SaveWebhook creates and updates on the REST store; GetWebhook, GetAllWebhooks and DeleteWebhook follow', async () => {
    const saved = await so
      .post(agent('SaveWebhook'))
      .set('Authorization', BASIC)
      .send(newWebhook(`${hooks.url}/agent`, { Name: 'Agent hook', Events: ['quote.sent'] }))
      .expect(200);
    const id = saved.body.WebhookId as number;
    assert.ok(id > 0);
    assert.equal(saved.body._Links, undefined, 'agents answer plain carriers');
    await so.get(`/api/v1/Webhook/${id}`).set('Authorization', BASIC).expect(200);

    const got = await so
      .post(agent(`GetWebhook?webhookId=${id}`))
      .set('Authorization', BASIC)
      .expect(200);
    assert.equal(got.body.Name, 'Agent hook');

    const updated = await so
      .post(agent('SaveWebhook'))
      .set('Authorization', BASIC)
      .send({ ...got.body, Name: 'Agent hook 2' })
      .expect(200);
    assert.equal(updated.body.WebhookId, id);
    assert.equal(updated.body.Name, 'Agent hook 2');

    const list = await so
      .post(agent('GetAllWebhooks'))
      .set('Authorization', BASIC)
      .send({ NameFilter: 'agent hook 2', EventFilter: 'quote.sent', StatusFilter: 'Active' })
      .expect(200);
    assert.deepEqual(
      (list.body as WebhookBody[]).map((webhook) => webhook.WebhookId),
      [id],
    );
    const unfiltered = await so.post(agent('GetAllWebhooks')).set('Authorization', BASIC).expect(200);
    assert.ok(unfiltered.body.length > 1);

    await so
      .post(agent(`DeleteWebhook?WebhookId=${id}`))
      .set('Authorization', BASIC)
      .expect(204);
    await so
      .post(agent(`GetWebhook?webhookId=${id}`))
      .set('Authorization', BASIC)
      .expect(404);
    await so
      .post(agent(`DeleteWebhook?WebhookId=${id}`))
      .set('Authorization', BASIC)
      .expect(404);
  });

  test('SaveWebhook with an unknown WebhookId is 404; GetWebhook without webhookId is 400', async () => {
    await so
      .post(agent('SaveWebhook'))
      .set('Authorization', BASIC)
      .send(newWebhook(`${hooks.url}/agent`, { WebhookId: 9999 }))
      .expect(404);
    const res = await so.post(agent('GetWebhook')).set('Authorization', BASIC).expect(400);
    assert.match(res.body.Message, /query\.webhookId/);
  });

  test('SaveWebhook refuses a target that fails the test POST with 400', async () => {
    const res = await so
      .post(agent('SaveWebhook'))
      .set('Authorization', BASIC)
      .send(newWebhook(`${failing.url}/agent`))
      .expect(400);
    assert.match(res.body.Message, /500/);
  });

  test('GetAllWebhooks with a StatusFilter outside the enum is 400 naming body.StatusFilter', async () => {
    const res = await so
      .post(agent('GetAllWebhooks'))
      .set('Authorization', BASIC)
      .send({ StatusFilter: 'Sleeping' })
      .expect(400);
    assert.match(res.body.Message, /body\.StatusFilter/);
  });

  test('TestWebhook takes {"Webhook": {...}} and reports Success', async () => {
    const ok = await so
      .post(agent('TestWebhook'))
      .set('Authorization', BASIC)
      .send({ Webhook: { TargetUrl: `${hooks.url}/agent-test`, Secret: SECRET } })
      .expect(200);
    assert.equal(ok.body.Success, true);
    const ping = hooks.received.at(-1)!;
    assert.ok(superOfficeSignatureValid(SECRET, ping.headers, ping.rawBody));
    const failed = await so
      .post(agent('TestWebhook'))
      .set('Authorization', BASIC)
      .send({ Webhook: { TargetUrl: `${failing.url}/agent-test` } })
      .expect(200);
    assert.equal(failed.body.Success, false);
    const missing = await so.post(agent('TestWebhook')).set('Authorization', BASIC).send({}).expect(400);
    assert.match(missing.body.Message, /body\.Webhook/);
  });

  test('SignalEvent delivers like the REST signal; GetLastError reads the failure', async () => {
    const before = deliveriesOf(hooks, 'person.created').length;
    await so
      .post(agent('SignalEvent'))
      .set('Authorization', BASIC)
      .send({ EventName: 'person.created', PrimaryKey: 9, Data: { firstname: 'Ada' } })
      .expect(204);
    const delivered = deliveriesOf(hooks, 'person.created').slice(before);
    assert.equal(delivered.length, 1);
    checkDelivery('event', delivered[0]!);
    assert.equal(delivered[0]!.headers['x-superoffice-signature'], undefined, 'webhook 106 has no Secret');
    const body = JSON.parse(delivered[0]!.rawBody.toString());
    assert.equal(body.PrimaryKey, 9);
    assert.deepEqual(body.FieldValues, { firstname: 'Ada' });

    const last = await so
      .post(agent('GetLastError'))
      .set('Authorization', BASIC)
      .send({ WebhookId: 104 })
      .expect(200);
    assert.match(last.body as string, /500/);
    const missing = await so.post(agent('SignalEvent')).set('Authorization', BASIC).send({}).expect(400);
    assert.match(missing.body.Message, /body\.EventName/);
    await so.post(agent('GetLastError')).set('Authorization', BASIC).send({ WebhookId: 9999 }).expect(404);
    const noId = await so.post(agent('GetLastError')).set('Authorization', BASIC).send({}).expect(400);
    assert.match(noId.body.Message, /body\.WebhookId/);
  });
});

describe('XML', () => {
  test('an XML body creates a webhook, and Accept: application/xml answers in XML', async () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<Webhook xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <Name>XML &amp; friends</Name>
  <Events><string>contact.created</string><string>sale.sold</string></Events>
  <TargetUrl>${hooks.url}/xml?a=1&amp;b=2</TargetUrl>
  <Secret>${SECRET}</Secret>
  <State>Active</State>
  <Type>webhook</Type>
  <Headers><KeyValueOfstringstring><Key>X-From-Xml</Key><Value>yes</Value></KeyValueOfstringstring></Headers>
  <Properties i:nil="true"/>
</Webhook>`;
    const res = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .set('Content-Type', 'application/xml')
      .set('Accept', 'application/xml')
      .send(xml)
      .expect(200);
    assert.match(res.headers['content-type'] ?? '', /^application\/xml/);
    assert.match(res.text, /^<\?xml version="1\.0" encoding="utf-8"\?><WebhookWithLinks /);
    assert.match(res.text, /<Name>XML &amp; friends<\/Name>/);
    assert.match(
      res.text,
      /<Events><string>contact\.created<\/string><string>sale\.sold<\/string><\/Events>/,
    );
    assert.match(
      res.text,
      /<Headers><KeyValueOfstringstring><Key>X-From-Xml<\/Key><Value>yes<\/Value><\/KeyValueOfstringstring><\/Headers>/,
    );
    const id = Number(/<WebhookId>(\d+)<\/WebhookId>/.exec(res.text)?.[1]);
    const json = await so.get(`/api/v1/Webhook/${id}`).set('Authorization', BASIC).expect(200);
    assert.equal(json.body.Name, 'XML & friends');
    assert.equal(json.body.TargetUrl, `${hooks.url}/xml?a=1&b=2`);
    assert.deepEqual(json.body.Headers, { 'X-From-Xml': 'yes' });
    assert.equal(hooks.received.at(-1)?.path, '/xml?a=1&b=2', 'the target got the test POST');
  });

  test('text/xml bodies work for the agents, and text/xml is answered when asked for', async () => {
    const res = await so
      .post('/api/v1/Agents/Webhook/TestWebhook')
      .set('Authorization', BASIC)
      .set('Content-Type', 'text/xml; charset=utf-8')
      .set('Accept', 'text/xml')
      .send(`<TestWebhook><Webhook><TargetUrl>${hooks.url}/xml-agent</TargetUrl></Webhook></TestWebhook>`)
      .expect(200);
    assert.match(res.headers['content-type'] ?? '', /^text\/xml/);
    assert.match(res.text, /<WebhookResult [^>]*><Success>true<\/Success>/);
  });

  test('lists, strings and errors are answered in XML too', async () => {
    const list = await so
      .get('/api/v1/Webhook?eventFilter=project.created')
      .set('Authorization', BASIC)
      .set('Accept', 'application/xml')
      .expect(200);
    assert.match(list.text, /<ArrayOfWebhook [^>]*><Webhook><WebhookId>103<\/WebhookId>/);
    const last = await so
      .get('/api/v1/Webhook/103/LastError')
      .set('Authorization', BASIC)
      .set('Accept', 'application/xml')
      .expect(200);
    assert.match(last.text, /<string [^>]*><\/string>$/);
    const missing = await so
      .get('/api/v1/Webhook/9999')
      .set('Authorization', BASIC)
      .set('Accept', 'application/xml')
      .expect(404);
    assert.match(missing.headers['content-type'] ?? '', /^application\/xml/);
    assert.match(
      missing.text,
      /<Error [^>]*><Error>true<\/Error><ErrorType>SoNotFoundException<\/ErrorType>/,
    );
  });

  test('Accept prefers by q-value and falls back to JSON', async () => {
    const xml = await so
      .get('/api/v1/Webhook/default')
      .set('Authorization', BASIC)
      .set('Accept', 'application/json;q=0.5, application/xml')
      .expect(200);
    assert.match(xml.headers['content-type'] ?? '', /^application\/xml/);
    const json = await so
      .get('/api/v1/Webhook/default')
      .set('Authorization', BASIC)
      .set('Accept', 'image/png')
      .expect(200);
    assert.match(json.headers['content-type'] ?? '', /^application\/json/);
  });

  test('an XML body with a DOCTYPE is refused with 400 and nothing is expanded or saved', async () => {
    const count = (await so.get('/api/v1/Webhook').set('Authorization', BASIC)).body.length as number;
    const res = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .set('Content-Type', 'application/xml')
      .send(
        `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>` +
          `<Webhook><Name>&lol2;</Name><TargetUrl>${hooks.url}/dtd</TargetUrl></Webhook>`,
      )
      .expect(400);
    assert.equal(res.body.ErrorType, 'SerializationException');
    assert.match(res.body.Message, /DOCTYPE/);
    const after = (await so.get('/api/v1/Webhook').set('Authorization', BASIC)).body.length as number;
    assert.equal(after, count);
  });

  test('malformed XML is 400, and an XML value of the wrong type is 400 naming the field', async () => {
    await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .set('Content-Type', 'application/xml')
      .send('<Webhook><Name>unclosed</Webhook>')
      .expect(400);
    const res = await so
      .post('/api/v1/Webhook')
      .set('Authorization', BASIC)
      .set('Content-Type', 'application/xml')
      .send(`<Webhook><WebhookId>abc</WebhookId><TargetUrl>${hooks.url}/x</TargetUrl></Webhook>`)
      .expect(400);
    assert.match(res.body.Message, /body\.WebhookId/);
  });

  test('XML event data of a signal reaches the subscriber as FieldValues', async () => {
    const before = deliveriesOf(hooks, 'project.created').length;
    await so
      .post('/api/v1/Webhook/project.created/5')
      .set('Authorization', BASIC)
      .set('Content-Type', 'application/xml')
      .send('<Data><windowName>foo</windowName><Name>kept as sent</Name></Data>')
      .expect(204);
    const delivered = deliveriesOf(hooks, 'project.created').slice(before);
    assert.equal(delivered.length, 1);
    const body = JSON.parse(delivered[0]!.rawBody.toString());
    assert.deepEqual(body.FieldValues, { windowName: 'foo', Name: 'kept as sent' });
  });
});
