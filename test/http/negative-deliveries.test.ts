/**
 * Negative deliveries over HTTP: for every vendor and every kind, a real receiver gets the deliberately wrong
 * delivery, and the independent verifiers of test/support/signatures.ts refuse it while they accept the
 * normal one; the journal marks the kind; a scenario's `negative:` works; an unknown kind is our own 400.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { parseScenario, ScenarioError } from '../../src/core/scenario-file.js';
import type { OperationCatalog } from '../../src/core/operation-catalog.js';
import type { DeliveryRecord } from '../../src/core/journal.js';
import type { MockServer } from '../../src/server/index.js';
import { startMockServer } from '../../src/server/index.js';
import { startReceiver } from '../support/receiver.js';
import type { ReceivedRequest, Receiver } from '../support/receiver.js';
import { makeFixtures, startTestServer } from '../support/server.js';
import { shodaiSignatureValid, superOfficeSignatureValid, verifyC1Delivery } from '../support/signatures.js';

const C1_HOOK = '2bWkJ8Qv3nYc5hT0dLx9ZfNEG01';
const SHODAI_HOOK = 'wh_negative_1';
const SHODAI_FRESH_HOOK = 'wh_negative_2';
const SHODAI_SECRET = `whsec_${'4e'.repeat(32)}`;
const SO_SECRET = 'so negative secret';
const SO_HOOK = 77;
const C1_AUTH = { Authorization: 'Bearer demo-c1-token', 'Content-Type': 'application/json' };
const ALICE = { 'X-API-Key': 'cns_pk_demo_free' };
const SO_AUTH = {
  Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}`,
  Accept: 'application/json',
  'Content-Type': 'application/json',
};

const scenario = `
name: negative-steps
description: Alice's Shodai test calls are tampered with, then stale, then fine.
rules:
  - vendor: shodai
    operation: testWebhook
    match: { webhook: ${SHODAI_HOOK} }
    sequence:
      - negative: tampered-body
      - negative: stale-timestamp
      - pass: true
  - vendor: superoffice
    operation: v1Webhook_TestWebhook
    negative: missing-signature
`;

/** The Shodai SDK's verifier: the HMAC over `timestamp.body`, and a timestamp within 300 s of now. */
function shodaiVerifies(request: ReceivedRequest, secret = SHODAI_SECRET): boolean {
  const timestamp = Number(request.headers['x-shodai-webhook-timestamp']);
  const fresh = Math.abs(Date.now() / 1000 - timestamp) <= 300;
  return fresh && shodaiSignatureValid(secret, request.headers, request.rawBody);
}

describe('negative deliveries', () => {
  let server: MockServer;
  let receiver: Receiver;

  const post = (path: string, headers: Record<string, string>, body?: string): Promise<Response> =>
    fetch(`${server.url}${path}`, { method: 'POST', headers, ...(body === undefined ? {} : { body }) });

  /** Makes the call and returns what the receiver got and the journal's record of it. */
  async function deliveredBy(
    call: () => Promise<Response>,
    webhookId?: string,
  ): Promise<{ res: Response; request: ReceivedRequest; record: DeliveryRecord }> {
    const before = receiver.received.length;
    const res = await call();
    assert.ok(res.status < 300, `the call answered ${res.status}: ${await res.clone().text()}`);
    const received = await receiver.waitFor(before + 1);
    const requestId = res.headers.get('x-request-id');
    const record = server.deliveries
      .list(webhookId === undefined ? {} : { webhookId })
      .filter((entry) => entry.requestId === requestId)
      .at(-1);
    assert.ok(record !== undefined, 'the delivery is in the journal');
    return { res, request: received.at(-1)!, record };
  }

  before(async () => {
    receiver = await startReceiver();
    server = await startTestServer({
      webhooks: {
        c1: [{ id: C1_HOOK, displayName: 'negative', url: `${receiver.url}/c1/hook` }],
        shodai: [
          {
            id: SHODAI_HOOK,
            principalId: 'prn_demo_alice',
            url: `${receiver.url}/shodai`,
            secret: SHODAI_SECRET,
          },
          {
            id: SHODAI_FRESH_HOOK,
            principalId: 'prn_demo_alice',
            url: `${receiver.url}/shodai-fresh`,
            secret: SHODAI_SECRET,
          },
        ],
        superoffice: [
          {
            webhookId: SO_HOOK,
            name: 'negative',
            events: ['contact.created'],
            targetUrl: `${receiver.url}/superoffice`,
            secret: SO_SECRET,
            state: 'Active',
            type: 'webhook',
          },
        ],
      },
      scenarios: { 'negative-steps.yaml': scenario },
    });
  });

  after(async () => {
    await server.close();
    await receiver.close();
  });

  beforeEach(() => {
    receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
  });

  describe('C1', () => {
    const jwks = (): string => `${server.url}/c1/auth/v1/jwks`;
    const expected = (): { audience: string; issuer: string; url: string } => ({
      audience: '127.0.0.1',
      issuer: new URL(server.url).host,
      url: `${receiver.url}/c1/hook`,
    });
    const test = (negative?: string) => () =>
      post(
        `/c1/api/v1/webhooks/${C1_HOOK}/test`,
        { ...C1_AUTH, ...(negative === undefined ? {} : { 'X-Mock-Negative': negative }) },
        '{}',
      );

    it('the normal delivery verifies and is not marked', async () => {
      const { request, record } = await deliveredBy(test());
      await verifyC1Delivery(jwks(), request.headers, request.rawBody, expected());
      assert.equal(record.negative, undefined);
    });

    for (const kind of [
      'tampered-body',
      'wrong-secret',
      'expired-jwt',
      'wrong-audience',
      'bad-content-digest',
      'missing-signature',
    ]) {
      it(`${kind}: the receiver's verifier refuses it, and the journal says ${kind}`, async () => {
        const { request, record } = await deliveredBy(test(kind));
        await assert.rejects(verifyC1Delivery(jwks(), request.headers, request.rawBody, expected()));
        assert.equal(record.negative, kind);
        if (kind === 'missing-signature') assert.equal(request.headers.authorization, undefined);
        const view = (await (
          await fetch(`${server.url}/__admin/deliveries?vendor=c1&webhookId=${C1_HOOK}&limit=1`)
        ).json()) as { deliveries: { negative?: string }[] };
        assert.equal(view.deliveries.at(-1)?.negative, kind);
      });
    }

    it('duplicate-event-id re-sends the previous event: same Webhook-Id and body, a fresh valid JWT', async () => {
      const first = await deliveredBy(test());
      const duplicate = await deliveredBy(test('duplicate-event-id'));
      await verifyC1Delivery(jwks(), duplicate.request.headers, duplicate.request.rawBody, expected());
      assert.equal(duplicate.request.headers['webhook-id'], first.request.headers['webhook-id']);
      assert.deepEqual(duplicate.request.rawBody, first.request.rawBody);
      assert.notEqual(duplicate.request.headers.authorization, first.request.headers.authorization);
      assert.equal(duplicate.record.negative, 'duplicate-event-id');
      const answer = (await duplicate.res.json()) as { webhook: { id: string; attempts: number } };
      assert.equal(answer.webhook.id, first.request.headers['webhook-id']);
      assert.equal(answer.webhook.attempts, 2);
    });
  });

  describe('Shodai', () => {
    const test =
      (negative?: string, hook = SHODAI_HOOK) =>
      () =>
        post(`/shodai/v0/webhooks/${hook}/test`, {
          ...ALICE,
          ...(negative === undefined ? {} : { 'X-Mock-Negative': negative }),
        });

    it('the normal delivery verifies and is not marked', async () => {
      const { request, record } = await deliveredBy(test());
      assert.ok(shodaiVerifies(request));
      assert.equal(record.negative, undefined);
    });

    for (const kind of ['tampered-body', 'wrong-secret', 'stale-timestamp', 'missing-signature']) {
      it(`${kind}: the receiver's verifier refuses it, and the journal says ${kind}`, async () => {
        const { request, record } = await deliveredBy(test(kind));
        assert.equal(shodaiVerifies(request), false);
        assert.equal(record.negative, kind);
        if (kind === 'stale-timestamp') {
          // signed correctly, only too old
          assert.ok(shodaiSignatureValid(SHODAI_SECRET, request.headers, request.rawBody));
          const age = Date.now() / 1000 - Number(request.headers['x-shodai-webhook-timestamp']);
          assert.ok(age > 300, `the timestamp is ${age} s old`);
        }
        if (kind === 'missing-signature')
          assert.equal(request.headers['x-shodai-webhook-signature'], undefined);
      });
    }

    it('duplicate-event-id re-sends the previous event, freshly and validly signed', async () => {
      const first = await deliveredBy(test());
      const duplicate = await deliveredBy(test('duplicate-event-id'));
      assert.ok(shodaiVerifies(duplicate.request));
      assert.equal(
        duplicate.request.headers['x-shodai-webhook-id'],
        first.request.headers['x-shodai-webhook-id'],
      );
      assert.deepEqual(duplicate.request.rawBody, first.request.rawBody);
      assert.equal(duplicate.record.negative, 'duplicate-event-id');
    });

    it('duplicate-event-id without an earlier delivery sends the event, then its duplicate', async () => {
      const before = receiver.received.length;
      const res = await test('duplicate-event-id', SHODAI_FRESH_HOOK)();
      assert.equal(res.status, 201);
      const received = (await receiver.waitFor(before + 2)).slice(before);
      assert.equal(received.length, 2);
      assert.equal(received[0]!.headers['x-shodai-webhook-id'], received[1]!.headers['x-shodai-webhook-id']);
      const records = server.deliveries.list({ webhookId: SHODAI_FRESH_HOOK });
      assert.deepEqual(
        records.map((record) => record.negative),
        [undefined, 'duplicate-event-id'],
      );
    });

    it("a scenario's negative steps spoil the calls they match, in order, and say so", async () => {
      const headers = { 'X-Mock-Scenario': 'negative-steps' };
      const call = () => post(`/shodai/v0/webhooks/${SHODAI_HOOK}/test`, { ...ALICE, ...headers });
      const tampered = await deliveredBy(call);
      const stale = await deliveredBy(call);
      const fine = await deliveredBy(call);
      assert.deepEqual(
        [tampered.record.negative, stale.record.negative, fine.record.negative],
        ['tampered-body', 'stale-timestamp', undefined],
      );
      assert.deepEqual(
        [tampered.request, stale.request, fine.request].map((request) => shodaiVerifies(request)),
        [false, false, true],
      );
      const logged = server.requests.list({ vendor: 'shodai' }).at(-3);
      assert.equal(logged?.scenario, 'negative-steps');
    });
  });

  describe('SuperOffice', () => {
    const test = (negative?: string) => () =>
      post(
        '/superoffice/api/v1/Webhook/Test',
        { ...SO_AUTH, ...(negative === undefined ? {} : { 'X-Mock-Negative': negative }) },
        JSON.stringify({ Name: 'neg', TargetUrl: `${receiver.url}/superoffice-test`, Secret: SO_SECRET }),
      );

    it('the normal delivery verifies and is not marked', async () => {
      const { request, record } = await deliveredBy(test());
      assert.ok(superOfficeSignatureValid(SO_SECRET, request.headers, request.rawBody));
      assert.equal(record.negative, undefined);
    });

    for (const kind of ['tampered-body', 'wrong-secret', 'missing-signature']) {
      it(`${kind}: the receiver's verifier refuses it, and the journal says ${kind}`, async () => {
        const { request, record } = await deliveredBy(test(kind));
        assert.equal(superOfficeSignatureValid(SO_SECRET, request.headers, request.rawBody), false);
        assert.equal(record.negative, kind);
        if (kind === 'missing-signature') assert.equal(request.headers['x-superoffice-signature'], undefined);
      });
    }

    it('duplicate-event-id re-sends the previous event with the same EventId, validly signed', async () => {
      const first = await deliveredBy(test());
      const duplicate = await deliveredBy(test('duplicate-event-id'));
      assert.ok(superOfficeSignatureValid(SO_SECRET, duplicate.request.headers, duplicate.request.rawBody));
      assert.equal(
        duplicate.request.headers['x-superoffice-eventid'],
        first.request.headers['x-superoffice-eventid'],
      );
      assert.deepEqual(duplicate.request.rawBody, first.request.rawBody);
      assert.equal(duplicate.record.negative, 'duplicate-event-id');
    });

    it('a signalled event can be negative too', async () => {
      const { request, record } = await deliveredBy(
        () =>
          post(
            '/superoffice/api/v1/Webhook/contact.created/7',
            { ...SO_AUTH, 'X-Mock-Negative': 'wrong-secret' },
            '{}',
          ),
        String(SO_HOOK),
      );
      assert.equal(record.webhookId, String(SO_HOOK));
      assert.equal(superOfficeSignatureValid(SO_SECRET, request.headers, request.rawBody), false);
      assert.equal(record.negative, 'wrong-secret');
    });

    it("a scenario's negative applies to every matching call", async () => {
      const { request, record } = await deliveredBy(() =>
        post(
          '/superoffice/api/v1/Webhook/Test',
          { ...SO_AUTH, 'X-Mock-Scenario': 'negative-steps' },
          JSON.stringify({ Name: 'neg', TargetUrl: `${receiver.url}/superoffice-test`, Secret: SO_SECRET }),
        ),
      );
      assert.equal(request.headers['x-superoffice-signature'], undefined);
      assert.equal(record.negative, 'missing-signature');
    });
  });

  describe('choosing a kind', () => {
    it('an unknown kind, or one the vendor does not make, is our own 400 problem and delivers nothing', async () => {
      const before = server.deliveries.list().length;
      for (const [path, headers, kind] of [
        [`/shodai/v0/webhooks/${SHODAI_HOOK}/test`, ALICE, 'expired-jwt'],
        [`/c1/api/v1/webhooks/${C1_HOOK}/test`, C1_AUTH, 'stale-timestamp'],
        ['/superoffice/api/v1/Webhook/Test', SO_AUTH, 'no-such-kind'],
      ] as const) {
        const body = JSON.stringify({ Name: 'neg', TargetUrl: `${receiver.url}/superoffice-test` });
        const res = await post(path, { ...headers, 'X-Mock-Negative': kind }, body);
        assert.equal(res.status, 400);
        assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
        const problem = (await res.json()) as { title: string; detail: string };
        assert.equal(problem.title, 'Unknown negative delivery');
        assert.match(problem.detail, new RegExp(`"${kind}"`));
        assert.match(problem.detail, /known: .*tampered-body/);
      }
      assert.equal(server.deliveries.list().length, before);
    });

    it('a scenario file with a kind its vendor does not make is refused at start-up', async () => {
      const bad = `rules:\n  - vendor: c1\n    operation: c1.api.webhooks.v1.WebhooksService.Test\n    negative: stale-timestamp\n`;
      await assert.rejects(
        startMockServer({ port: 0, fixturesDir: await makeFixtures({ scenarios: { 'bad.yaml': bad } }) }),
        (error: unknown) =>
          error instanceof ScenarioError &&
          /\/rules\/0\/negative: c1 has no negative delivery/.test(error.message),
      );
      const unknown = `rules:\n  - vendor: shodai\n    operation: testWebhook\n    negative: bogus\n`;
      assert.throws(
        () => parseScenario('unknown.yaml', unknown, new Map<never, OperationCatalog>()),
        ScenarioError,
      );
    });
  });
});
