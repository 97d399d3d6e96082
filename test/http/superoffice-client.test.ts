/**
 * SuperOffice's official TypeScript client (@superoffice/webapi) against the mock: its WebhookAgent calls
 * `POST <base>/v1/Agents/Webhook/<Method>` with camelCase bodies and reads PascalCase answers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebhookAgent } from '@superoffice/webapi';
import { startMockServer } from '../../src/server/index.js';
import type { MockServer } from '../../src/server/index.js';
import { startReceiver } from '../support/receiver.js';
import type { ReceivedRequest, Receiver } from '../support/receiver.js';
import { superOfficeSignatureValid } from '../support/signatures.js';
import { specFor } from '../support/spec-check.js';

// The client's ESM typings re-export Carriers and Enums without file extensions, which NodeNext cannot follow,
// so its enums (WebhookState) are passed as plain strings here.

/** The demo fixtures' SOTicket credential. */
const TICKET = 'SOTicket 7T:ZGVtby10aWNrZXQ=';
const SECRET = 'client-test-secret';

let server: MockServer;
let receiver: Receiver;
let agent: WebhookAgent;

function assertSignedDelivery(kind: 'test' | 'event', delivery: ReceivedRequest | undefined): void {
  assert.ok(delivery, 'a delivery arrived');
  assert.ok(superOfficeSignatureValid(SECRET, delivery.headers, delivery.rawBody), 'signature verifies');
  assert.deepEqual(
    specFor('superoffice').checkDelivery(kind, delivery.headers, delivery.rawBody.toString('utf8')),
    [],
  );
}

/** What axios puts on a rejected call. */
function failure(error: unknown): { status: number; data: { Error: boolean; Message: string } } {
  const response = (error as { response?: { status: number; data: { Error: boolean; Message: string } } })
    .response;
  assert.ok(response, `expected an HTTP error, got ${String(error)}`);
  return response;
}

before(async () => {
  receiver = await startReceiver();
  server = await startMockServer({ port: 0 });
  agent = new WebhookAgent({
    baseUrl: `${server.urls.superoffice}/Cust12345/api`,
    axiosConfig: { headers: { Authorization: TICKET } },
  });
});

after(async () => {
  await server.close();
  await receiver.close();
});

test('the official WebhookAgent creates, reads, lists, tests and deletes a webhook, and the target gets signed deliveries', async () => {
  const draft = await agent.createDefaultWebhookAsync();
  assert.equal(draft.webhookId, 0);
  assert.deepEqual(draft.events, ['contact.created', 'contact.deleted']);
  assert.equal(String(draft.state), 'Active');

  draft.name = 'Client test hook';
  draft.targetUrl = `${receiver.url}/client`;
  draft.secret = SECRET;
  draft.events = ['contact.created', 'sale.sold'];
  const saved = await agent.saveWebhookAsync(draft);
  assert.ok(saved.webhookId > 0);
  assert.equal(saved.name, 'Client test hook');
  assert.equal(saved.targetUrl, `${receiver.url}/client`);
  assert.equal(saved.registeredAssociate?.associateId, 5);
  // SaveWebhook sent the test event first
  assert.equal(receiver.received.length, 1);
  assert.equal(receiver.received[0]?.headers['x-superoffice-event'], 'test');
  assertSignedDelivery('test', receiver.received[0]);

  const fetched = await agent.getWebhookAsync(saved.webhookId);
  assert.equal(fetched.name, 'Client test hook');
  assert.deepEqual(fetched.events, ['contact.created', 'sale.sold']);
  assert.equal(fetched.secret, SECRET);

  const listed = await agent.getAllWebhooksAsync('Client test hook', 'sale.sold', 'Active' as never);
  assert.deepEqual(
    listed.map((webhook: { webhookId?: number }) => webhook.webhookId),
    [saved.webhookId],
  );
  const all = await agent.getAllWebhooksAsync({
    nameFilter: '',
    eventFilter: '',
    statusFilter: 'Unknown' as never,
  });
  assert.ok(all.length >= 2, 'the demo webhook and ours');

  const result = await agent.testWebhookAsync(fetched);
  assert.equal(result.success, true);
  assert.match(result.message ?? '', /^HTTP\/1\.1 200 OK/);
  assert.equal(receiver.received.length, 2);
  assertSignedDelivery('test', receiver.received[1]);

  await agent.signalEventAsync('sale.sold', 77, { amount: 5 });
  assert.equal(receiver.received.length, 3);
  assertSignedDelivery('event', receiver.received[2]);
  assert.equal(JSON.parse(receiver.received[2]!.rawBody.toString()).PrimaryKey, 77);
  assert.equal(await agent.getLastErrorAsync(saved.webhookId), '');

  await agent.deleteWebhookAsync(saved.webhookId);
  const gone = failure(
    await agent.getWebhookAsync(saved.webhookId).then(
      () => undefined,
      (error: unknown) => error,
    ),
  );
  assert.equal(gone.status, 404);
  assert.equal(gone.data.Error, true);
});

test('the official WebhookAgent sees a refused save as an HTTP 400 carrying the target answer', async () => {
  receiver.behave({ kind: 'answer', status: 503, body: 'maintenance' });
  try {
    const draft = await agent.createDefaultWebhookAsync();
    draft.name = 'Refused';
    draft.targetUrl = `${receiver.url}/down`;
    const error = await agent.saveWebhookAsync(draft).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    const response = failure(error);
    assert.equal(response.status, 400);
    assert.match(response.data.Message, /503/);
    assert.match(response.data.Message, /maintenance/);
  } finally {
    receiver.behave({ kind: 'answer', status: 200, body: '{}' });
  }
});
