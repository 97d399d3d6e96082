/**
 * The admin endpoints behind the web inspector: GET /webhooks, POST /webhooks/{vendor}/{id}/test, the
 * `verification` of each delivery, GET /deliveries/{id}, the event stream, and the page itself.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import supertest from 'supertest';
import type { DeliveryRecord } from '../../src/core/journal.js';
import type { MockServer } from '../../src/server/index.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';

const SHODAI_HOOK = 'wh_inspector_1';
const C1_HOOK = '2inspectorHookAAAAAAAAAAAAA';
const SO_HOOK = 77;
const SO_UNSIGNED = 78;

interface Verification {
  verified: boolean;
  unsigned?: boolean;
  reason: string;
}

interface DeliveryView {
  id: string;
  vendor: string;
  webhookId: string;
  requestId: string;
  request: { url: string; body: string };
  signature: { header: string; value: string | null };
  verification: Verification;
}

interface StreamEvent {
  event: string;
  id: string;
  data: Record<string, unknown>;
}

/** Reads server-sent events from a fetch body until `until` says stop (or the time runs out). */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  until: (events: StreamEvent[]) => boolean,
  timeoutMs = 5000,
): Promise<StreamEvent[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: StreamEvent[] = [];
  let buffer = '';
  const deadline = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => !line.startsWith(':') && line.includes(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
        ) as Record<string, string>;
        if (fields.data !== undefined)
          events.push({
            event: fields.event ?? 'message',
            id: fields.id ?? '',
            data: JSON.parse(fields.data) as Record<string, unknown>,
          });
      }
    }
  } finally {
    clearTimeout(deadline);
    reader.releaseLock();
  }
  return events;
}

describe('the inspector’s admin endpoints', () => {
  let server: MockServer;
  let receiver: Receiver;
  let admin: ReturnType<typeof supertest>;

  before(async () => {
    receiver = await startReceiver();
    server = await startTestServer({
      webhooks: {
        c1: [{ id: C1_HOOK, displayName: 'Inspector hook', url: `${receiver.url}/c1` }],
        shodai: [
          {
            id: SHODAI_HOOK,
            principalId: 'prn_demo_alice',
            url: `${receiver.url}/shodai`,
            secret: `whsec_${'d'.repeat(64)}`,
          },
        ],
        superoffice: [
          {
            webhookId: SO_HOOK,
            name: 'Inspector SO hook',
            events: ['contact.created'],
            targetUrl: `${receiver.url}/so`,
            secret: 'so-inspector-secret',
          },
          {
            webhookId: SO_UNSIGNED,
            name: 'Unsigned SO hook',
            events: ['contact.created'],
            targetUrl: `${receiver.url}/so-unsigned`,
          },
        ],
      },
    });
    admin = supertest(`${server.url}/__admin`);
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await admin.post('/reset').expect(200);
    receiver.received.splice(0);
    receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
  });

  it('lists every vendor’s webhooks, and one vendor’s with ?vendor=', async () => {
    const all = await admin.get('/webhooks').expect(200);
    const webhooks = all.body.webhooks as {
      vendor: string;
      id: string;
      name: string;
      url: string;
      status?: string;
    }[];
    assert.deepEqual(
      webhooks.find((webhook) => webhook.id === C1_HOOK),
      { vendor: 'c1', id: C1_HOOK, name: 'Inspector hook', url: `${receiver.url}/c1` },
    );
    assert.deepEqual(webhooks.find((webhook) => webhook.id === SHODAI_HOOK)?.status, 'active');
    assert.equal(webhooks.find((webhook) => webhook.id === String(SO_HOOK))?.name, 'Inspector SO hook');
    assert.deepEqual(
      new Set(webhooks.map((webhook) => webhook.vendor)),
      new Set(['c1', 'shodai', 'superoffice']),
    );

    const shodai = await admin.get('/webhooks').query({ vendor: 'shodai' }).expect(200);
    assert.ok((shodai.body.webhooks as { vendor: string }[]).every((webhook) => webhook.vendor === 'shodai'));
    await admin
      .get('/webhooks')
      .query({ vendor: 'nope' })
      .expect(400)
      .expect('content-type', /problem\+json/);
  });

  for (const [vendor, id, path] of [
    ['c1', C1_HOOK, '/c1'],
    ['shodai', SHODAI_HOOK, '/shodai'],
    ['superoffice', String(SO_HOOK), '/so'],
  ] as const) {
    it(`makes ${vendor}’s test call through the vendor route, and the delivery verifies`, async () => {
      const res = await admin.post(`/webhooks/${vendor}/${id}/test`).expect(200);
      const body = res.body as {
        vendor: string;
        webhookId: string;
        request: { path: string; requestId: string };
        response: { status: number; body: string; json?: Record<string, unknown> };
      };
      assert.equal(body.vendor, vendor);
      assert.equal(body.webhookId, id);
      assert.equal(body.response.status, vendor === 'shodai' ? 201 : 200);
      const [received] = await receiver.waitFor(1);
      assert.equal(received?.path, path);

      // the call went through the vendor's route like any client's: it is in the request journal
      const requests = server.requests.list({ vendor });
      assert.equal(requests.length, 1);
      assert.equal(requests[0]!.id, body.request.requestId);
      assert.equal(requests[0]!.url, body.request.path);

      const deliveries = (await admin.get('/deliveries').query({ vendor }).expect(200)).body
        .deliveries as DeliveryView[];
      assert.equal(deliveries.length, 1);
      assert.equal(deliveries[0]!.requestId, body.request.requestId);
      assert.deepEqual(deliveries[0]!.verification.verified, true, deliveries[0]!.verification.reason);

      const one = await admin.get(`/deliveries/${deliveries[0]!.id}`).expect(200);
      assert.equal((one.body.delivery as DeliveryView).verification.verified, true);
    });
  }

  it('reports the vendor’s own answer, scenario included', async () => {
    await admin
      .put('/scenarios')
      .send({ activate: ['receiver-down'] })
      .expect(200);
    const res = await admin.post(`/webhooks/shodai/${SHODAI_HOOK}/test`).expect(200);
    const json = res.body.response.json as { data: { ok: boolean; error: string } };
    assert.equal(json.data.ok, false);
    assert.match(json.data.error, /connection-refused/);
    assert.equal(receiver.received.length, 0);
    // the vendor's own reading of its answer, for the inspector's result line
    assert.equal(res.body.ok, false);
    assert.equal(res.body.summary, 'HTTP 201 · ok: false');
  });

  it('lists the mounted vendors for the inspector: names, labels, base paths, signature headers', async () => {
    const res = await admin.get('/vendors').expect(200);
    assert.deepEqual(
      (res.body.vendors as { name: string; label: string; basePath: string; signatureHeader: string }[]).map(
        ({ name, label, basePath, signatureHeader }) => [name, label, basePath, signatureHeader],
      ),
      [
        ['c1', 'ConductorOne', '/c1', 'authorization'],
        ['shodai', 'Shodai', '/shodai', 'x-shodai-webhook-signature'],
        ['superoffice', 'SuperOffice', '/superoffice', 'x-superoffice-signature'],
      ],
    );
  });

  it('answers 404 for an unknown vendor, webhook or delivery', async () => {
    await admin
      .post('/webhooks/nope/x/test')
      .expect(404)
      .expect('content-type', /problem\+json/);
    await admin.post('/webhooks/shodai/wh_missing/test').expect(404);
    await admin.post('/webhooks/superoffice/999/test').expect(404);
    await admin.get('/deliveries/dlv_missing').expect(404);
  });

  it('does not verify a delivery whose bytes were changed after signing', async () => {
    for (const [vendor, id] of [
      ['c1', C1_HOOK],
      ['shodai', SHODAI_HOOK],
      ['superoffice', String(SO_HOOK)],
    ] as const) {
      await admin.post(`/webhooks/${vendor}/${id}/test`).expect(200);
      const [record] = server.deliveries.list({ vendor });
      const tampered: DeliveryRecord = {
        ...record!,
        id: `dlv_tampered_${vendor}`,
        outcome: {
          ...record!.outcome,
          request: { ...record!.outcome.request, body: Buffer.from('{"tampered":true}') },
        },
      };
      server.deliveries.record(tampered);
      const res = await admin.get(`/deliveries/${tampered.id}`).expect(200);
      const verification = (res.body.delivery as DeliveryView).verification;
      assert.equal(verification.verified, false, `${vendor}: ${verification.reason}`);
      assert.match(verification.reason, /body|signature|HMAC/i);
    }
  });

  it('calls a delivery of a webhook without a Secret unsigned, and verifies one of a webhook deleted since', async () => {
    await admin.post(`/webhooks/superoffice/${SO_UNSIGNED}/test`).expect(200);
    const [unsigned] = (await admin.get('/deliveries').query({ vendor: 'superoffice' }).expect(200)).body
      .deliveries as DeliveryView[];
    assert.equal(unsigned!.signature.value, null);
    assert.deepEqual(unsigned!.verification.verified, false);
    assert.equal(unsigned!.verification.unsigned, true);
    assert.match(unsigned!.verification.reason, /has no Secret/);

    // an event delivered with the stored Secret, then the webhook deleted: still verifiable
    const so = supertest(server.urls.superoffice);
    await so
      .post('/api/v1/Webhook/contact.created/42')
      .auth('demo', 'demo')
      .send({ name: 'Acme' })
      .expect(204);
    const signed = (
      await admin.get('/deliveries').query({ vendor: 'superoffice', webhookId: String(SO_HOOK) })
    ).body.deliveries as DeliveryView[];
    assert.equal(signed.length, 1);
    assert.equal(signed[0]!.verification.verified, true, signed[0]!.verification.reason);
    assert.match(signed[0]!.verification.reason, /webhook's Secret/);
    await so.delete(`/api/v1/Webhook/${SO_HOOK}`).auth('demo', 'demo').expect(204);
    const gone = (await admin.get(`/deliveries/${signed[0]!.id}`).expect(200)).body.delivery as DeliveryView;
    assert.equal(gone.verification.verified, true, gone.verification.reason);
    assert.match(gone.verification.reason, /the Secret the webhook had when it was deleted/);
  });

  it('says, truthfully, when the secret of a delivery is unknown', async () => {
    await admin.post(`/webhooks/superoffice/${SO_HOOK}/test`).expect(200);
    server.deliveries.record({
      ...server.deliveries.list({ vendor: 'superoffice' })[0]!,
      id: 'dlv_orphan',
      webhookId: '999',
      event: 'contact.created',
      requestId: 'req_not_in_the_journal',
    });
    const orphan = (await admin.get('/deliveries/dlv_orphan').expect(200)).body.delivery as DeliveryView;
    assert.equal(orphan.verification.verified, false);
    assert.match(
      orphan.verification.reason,
      /not in the store, and the call that caused the delivery is no longer in the journal/,
    );
  });

  describe('a SuperOffice save’s test POST, signed with the Secret being saved', () => {
    const so = () => supertest(server.urls.superoffice);
    /** The newest delivery (the admin API lists them oldest first). */
    const lastDelivery = async (): Promise<DeliveryView> => {
      const { deliveries } = (await admin.get('/deliveries').query({ vendor: 'superoffice' }).expect(200))
        .body as { deliveries: DeliveryView[] };
      return deliveries[deliveries.length - 1]!;
    };
    const webhook = (name: string, secret?: string) => ({
      Name: name,
      Events: ['contact.created'],
      TargetUrl: `${receiver.url}/${name}`,
      ...(secret === undefined ? {} : { Secret: secret }),
    });

    it('verifies the test event of a POST, a PUT, an agent SaveWebhook and a PATCH, and calls it unsigned without a Secret', async () => {
      const created = await so()
        .post('/api/v1/Webhook')
        .auth('demo', 'demo')
        .send(webhook('post', 'post-secret'))
        .expect(200);
      const id = (created.body as { WebhookId: number }).WebhookId;
      const checks: [string, () => Promise<unknown>, RegExp, boolean?][] = [
        ['POST', async () => undefined, /the Secret the save's body carried/],
        [
          'PUT',
          () =>
            so()
              .put(`/api/v1/Webhook/${id}`)
              .auth('demo', 'demo')
              .send(webhook('put', 'put-secret'))
              .expect(200),
          /save's body/,
        ],
        [
          'agent SaveWebhook',
          () =>
            so()
              .post('/api/v1/Agents/Webhook/SaveWebhook')
              .auth('demo', 'demo')
              .send({ ...webhook('agent', 'agent-secret'), WebhookId: id })
              .expect(200),
          /save's body/,
        ],
        [
          'JSON Patch of TargetUrl and Secret',
          () =>
            so()
              .patch(`/api/v1/Webhook/${id}`)
              .auth('demo', 'demo')
              .type('application/json-patch+json')
              .send([
                { op: 'replace', path: '/TargetUrl', value: `${receiver.url}/patched` },
                { op: 'replace', path: '/secret', value: 'patched-secret' },
              ])
              .expect(200),
          /save's body/,
        ],
        [
          'JSON Patch of TargetUrl only',
          () =>
            so()
              .patch(`/api/v1/Webhook/${id}`)
              .auth('demo', 'demo')
              .type('application/json-patch+json')
              .send([{ op: 'replace', path: '/TargetUrl', value: `${receiver.url}/patched-again` }])
              .expect(200),
          /the webhook's Secret/,
        ],
        [
          'POST without a Secret',
          () => so().post('/api/v1/Webhook').auth('demo', 'demo').send(webhook('nosecret')).expect(200),
          /has no Secret/,
          true,
        ],
      ];
      for (const [what, save, reason, unsigned] of checks) {
        await save();
        const delivery = await lastDelivery();
        assert.equal(delivery.request.url.includes(receiver.url), true, what);
        if (unsigned === true) {
          assert.equal(delivery.verification.unsigned, true, `${what}: ${delivery.verification.reason}`);
        } else {
          assert.equal(delivery.verification.verified, true, `${what}: ${delivery.verification.reason}`);
        }
        assert.match(delivery.verification.reason, reason, what);
      }
    });

    it('verifies the test event of a save the target refused, which stored nothing', async () => {
      receiver.behave({ kind: 'answer', status: 500, body: 'no' });
      await so()
        .post('/api/v1/Webhook')
        .auth('demo', 'demo')
        .send(webhook('refused', 'refused-secret'))
        .expect(400);
      const delivery = await lastDelivery();
      assert.equal(delivery.webhookId, '0');
      assert.equal(delivery.verification.verified, true, delivery.verification.reason);
    });
  });

  it('does not verify a Shodai delivery whose timestamp is older than the SDK’s tolerance', async () => {
    await supertest(server.urls.shodai)
      .post(`/v0/webhooks/${SHODAI_HOOK}/test`)
      .set('X-API-Key', 'cns_pk_demo_free')
      .set('X-Mock-Negative', 'stale-timestamp')
      .expect(201);
    const [stale] = (await admin.get('/deliveries').query({ vendor: 'shodai' }).expect(200)).body
      .deliveries as DeliveryView[];
    assert.equal(stale!.verification.verified, false);
    assert.match(
      stale!.verification.reason,
      /HMAC matches, but the timestamp is 60\d s before the sending time/,
    );
  });

  it('verifies a SuperOffice test of an unsaved webhook with the Secret of the call’s body', async () => {
    await supertest(server.urls.superoffice)
      .post('/api/v1/Webhook/Test')
      .auth('demo', 'demo')
      .send({ Name: 'adhoc', TargetUrl: `${receiver.url}/adhoc`, Secret: 'adhoc-secret' })
      .expect(200);
    const [delivery] = (await admin.get('/deliveries').expect(200)).body.deliveries as DeliveryView[];
    assert.equal(delivery!.verification.verified, true, delivery!.verification.reason);
    assert.match(delivery!.verification.reason, /test call's body/);
  });

  it('streams a delivery once the request that caused it is journalled, so its check can use it', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${server.url}/__admin/events?vendor=superoffice`, {
      signal: controller.signal,
    });
    try {
      // the save's test POST is delivered before the save is answered (and journalled)
      await supertest(server.urls.superoffice)
        .post('/api/v1/Webhook')
        .auth('demo', 'demo')
        .send({
          Name: 'streamed',
          Events: [],
          TargetUrl: `${receiver.url}/streamed`,
          Secret: 'streamed-secret',
        })
        .expect(200);
      const events = await readEvents(stream.body!, (seen) =>
        seen.some((event) => event.event === 'delivery'),
      );
      const delivery = events.find((event) => event.event === 'delivery')!;
      const verification = delivery.data.verification as Verification;
      assert.equal(verification.verified, true, verification.reason);
      assert.match(verification.reason, /the Secret the save's body carried/);
    } finally {
      controller.abort();
    }
  });

  it('streams a triggered event’s deliveries at once, with their verdicts: a trigger is no request to wait for', async () => {
    receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1","complete":{}}' });
    const controller = new AbortController();
    const stream = await fetch(`${server.url}/__admin/events`, { signal: controller.signal });
    try {
      const trigger = await admin
        .post('/trigger')
        .send({ vendor: 'c1', event: 'c1.webhooks.v1.PayloadProvisionStep' })
        .expect(200);
      const sent = (trigger.body.deliveries as { deliveryId?: string }[]).map((entry) => entry.deliveryId);
      assert.ok(sent.length >= 2, 'every C1 webhook gets it');
      // each delivery used to wait CAUSE_WAIT_MS (2 s) for a request that never comes, holding the stream up
      const events = await readEvents(
        stream.body!,
        (seen) => seen.filter((event) => event.event === 'delivery').length >= sent.length,
        1500,
      );
      const streamed = events.filter((event) => event.event === 'delivery');
      assert.deepEqual(
        streamed.map((event) => event.id),
        sent,
      );
      const ours = streamed.find((event) => event.data.webhookId === C1_HOOK)!;
      assert.deepEqual(ours.data.verdict, {
        valid: true,
        kind: 'provisioned',
        description: 'provisioning complete',
        outcome: { kind: 'provisioned' },
      });
    } finally {
      controller.abort();
    }
  });

  it('streams new requests and deliveries as server-sent events, and resets', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${server.url}/__admin/events?vendor=shodai`, { signal: controller.signal });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    try {
      // another vendor's traffic is filtered out
      await admin.post(`/webhooks/c1/${C1_HOOK}/test`).expect(200);
      const test = await admin.post(`/webhooks/shodai/${SHODAI_HOOK}/test`).expect(200);
      const events = await readEvents(stream.body!, (seen) => seen.length >= 2);
      assert.deepEqual(events.map((event) => event.event).sort(), ['delivery', 'request']);
      assert.ok(events.every((event) => event.data.vendor === 'shodai'));
      const request = events.find((event) => event.event === 'request')!;
      assert.equal(request.id, test.body.request.requestId);
      assert.equal(request.data.operationId, 'testWebhook');
      const delivery = events.find((event) => event.event === 'delivery')!;
      assert.equal((delivery.data.verification as Verification).verified, true);
      assert.equal((delivery.data.signature as { header: string }).header, 'x-shodai-webhook-signature');

      await admin.post('/reset').expect(200);
      const [reset] = await readEvents(stream.body!, (seen) => seen.length >= 1);
      assert.equal(reset?.event, 'reset');
    } finally {
      controller.abort();
    }
  });

  it('serves the page with a strict Content-Security-Policy and no credentials needed', async () => {
    const page = supertest(server.url);
    await page.get('/__inspector').expect(301).expect('location', '/__inspector/');
    const html = await page
      .get('/__inspector/')
      .expect(200)
      .expect('content-type', /text\/html/);
    assert.match(html.headers['content-security-policy'] ?? '', /default-src 'self'/);
    assert.equal(html.headers['x-content-type-options'], 'nosniff');
    assert.doesNotMatch(html.text, /<script>|<style>|\son\w+=/i, 'nothing inline that the CSP would block');
    // the page's script and every module it imports
    for (const script of [
      'inspector.js',
      'dom.js',
      'verdict.js',
      'trigger-form.js',
      'attempts.js',
      'clock-panel.js',
    ])
      await page
        .get(`/__inspector/${script}`)
        .expect(200)
        .expect('content-type', /javascript/);
    await page
      .get('/__inspector/inspector.css')
      .expect(200)
      .expect('content-type', /text\/css/);
    await page.get('/__inspector/../package.json').expect(404);
    await page.get('/__inspector/nope.js').expect(404);
  });

  it('lets server.close() finish while an event stream is open', async () => {
    const other = await startTestServer();
    const stream = await fetch(`${other.url}/__admin/events`);
    assert.equal(stream.status, 200);
    const started = Date.now();
    await other.close();
    assert.ok(Date.now() - started < 3000, `close took ${Date.now() - started} ms`);
    await stream.body?.cancel().catch(() => undefined);
  });
});

describe('the inspector’s admin endpoints with an admin token', () => {
  let server: MockServer;

  before(async () => {
    server = await startTestServer({}, { adminToken: 's3cret' });
  });
  after(async () => {
    await server.close();
  });

  it('ask for the token in the Authorization header, also on the event stream', async () => {
    const admin = supertest(`${server.url}/__admin`);
    await admin.get('/webhooks').expect(401);
    await admin.post('/webhooks/shodai/wh_demo_alice_1/test').expect(401);
    await admin.get('/webhooks').set('Authorization', 'Bearer s3cret').expect(200);
    assert.equal((await fetch(`${server.url}/__admin/events`)).status, 401);
    // the token is never taken from the URL (logs, browser history)
    assert.equal((await fetch(`${server.url}/__admin/events?token=s3cret`)).status, 401);
    const controller = new AbortController();
    const stream = await fetch(`${server.url}/__admin/events`, {
      headers: { authorization: 'Bearer s3cret' },
      signal: controller.signal,
    });
    assert.equal(stream.status, 200);
    controller.abort();
    // the page itself holds no data: it loads, then asks for the token
    await supertest(server.url).get('/__inspector/').expect(200);
  });
});
