/**
 * Credentials: wrong, empty, malformed and other-principal credentials are always refused with the vendor's
 * status (in the vendor's format), and no answer shows a secret the vendor would hide.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { MockServer } from '../../src/server/index.js';
import { startTestServer } from '../support/server.js';
import { specFor } from '../support/spec-check.js';
import type { Vendor } from '../support/spec-check.js';

let server: MockServer;
before(async () => {
  server = await startTestServer({}, { allowTargets: ['127.0.0.1:*'] });
});
after(() => server?.close());

const SHODAI_SECRET = 'whsec_9f3b2c1d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c';
const b64 = (text: string): string => Buffer.from(text).toString('base64');
/** A well-formed JWT nobody issued (EdDSA header, random signature). */
const foreignJwt = `${Buffer.from('{"alg":"EdDSA","typ":"JWT"}').toString('base64url')}.${Buffer.from(
  '{"iss":"https://evil.example","sub":"x","exp":9999999999}',
).toString('base64url')}.${Buffer.alloc(64, 7).toString('base64url')}`;

interface Call {
  method: string;
  path: string;
  body?: string;
}
const calls: Record<Vendor, Call[]> = {
  c1: [
    { method: 'GET', path: '/api/v1/webhooks' },
    { method: 'GET', path: '/api/v1/webhooks/2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1' },
    { method: 'POST', path: '/api/v1/webhooks/2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1/test', body: '{}' },
    { method: 'POST', path: '/api/v1/webhooks', body: '{"displayName":"x","url":"http://127.0.0.1:1/x"}' },
    { method: 'DELETE', path: '/api/v1/webhooks/2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1' },
  ],
  shodai: [
    { method: 'GET', path: '/v0/webhooks' },
    { method: 'GET', path: '/v0/webhooks/wh_demo_alice_1' },
    { method: 'POST', path: '/v0/webhooks/wh_demo_alice_1/test' },
    { method: 'PATCH', path: '/v0/webhooks/wh_demo_alice_1', body: '{"status":"disabled"}' },
    { method: 'DELETE', path: '/v0/webhooks/wh_demo_alice_1' },
  ],
  superoffice: [
    { method: 'GET', path: '/api/v1/Webhook' },
    { method: 'GET', path: '/api/v1/Webhook/1' },
    { method: 'POST', path: '/api/v1/Webhook/Test', body: '{"TargetUrl":"http://127.0.0.1:1/x"}' },
    { method: 'DELETE', path: '/api/v1/Webhook/1' },
  ],
};

/** Bad credentials per vendor: [what, headers]. */
const bad: Record<Vendor, [string, Record<string, string>][]> = {
  c1: [
    ['no credentials', {}],
    ['empty bearer', { authorization: 'Bearer ' }],
    ['wrong token', { authorization: 'Bearer demo-c1-token-wrong' }],
    ['malformed header', { authorization: 'demo-c1-token' }],
    ['basic instead of bearer', { authorization: `Basic ${b64('demo:demo')}` }],
    ['a JWT nobody issued', { authorization: `Bearer ${foreignJwt}` }],
    ['garbage', { authorization: 'Bearer \u00ff\u00fe'.replace(/[^\x20-\x7e]/g, '?') }],
  ],
  shodai: [
    ['no credentials', {}],
    ['empty key', { 'x-api-key': '' }],
    ['wrong key', { 'x-api-key': 'cns_pk_demo_wrong' }],
    ['malformed key', { 'x-api-key': 'not-a-key' }],
    ['empty bearer', { authorization: 'Bearer ' }],
    ['wrong bearer', { authorization: 'Bearer cns_pk_nope' }],
    ['basic', { authorization: `Basic ${b64('cns_pk_demo_free:')}` }],
  ],
  superoffice: [
    ['no credentials', {}],
    ['wrong password', { authorization: `Basic ${b64('demo:wrong')}` }],
    ['unknown user', { authorization: `Basic ${b64('mallory:demo')}` }],
    ['empty basic', { authorization: 'Basic ' }],
    ['malformed basic', { authorization: 'Basic %%%not-base64' }],
    ['basic without colon', { authorization: `Basic ${b64('demodemo')}` }],
    ['wrong ticket', { authorization: 'SOTicket 7T:d3Jvbmc=' }],
    ['wrong bearer', { authorization: 'Bearer 8A:d3Jvbmc=' }],
    ['wrong xsrf token', { 'x-xsrf-token': 'nope' }],
  ],
};

async function call(vendor: Vendor, { method, path, body }: Call, headers: Record<string, string>) {
  const response = await fetch(`${server.urls[vendor]}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  const problems = specFor(vendor).checkResponse(
    method,
    path,
    response.status,
    response.headers.get('content-type') ?? undefined,
    parsed,
    text,
  );
  return { status: response.status, text, problems };
}

for (const vendor of ['c1', 'shodai', 'superoffice'] as const) {
  test(`${vendor}: wrong, empty and malformed credentials are refused with 401 in the vendor's format`, async () => {
    for (const [what, headers] of bad[vendor]) {
      for (const entry of calls[vendor]) {
        const answer = await call(vendor, entry, headers);
        assert.equal(
          answer.status,
          401,
          `${what}: ${entry.method} ${entry.path} → ${answer.status} ${answer.text}`,
        );
        assert.deepEqual(answer.problems, [], `${what}: ${entry.method} ${entry.path}`);
        for (const value of Object.values(headers)) {
          const credential = value.replace(/^\S+\s+/, '');
          if (credential.length >= 6)
            assert.ok(!answer.text.includes(credential), `${what}: the answer repeats the credential`);
        }
      }
    }
    // nothing was changed by the refused calls: the demo webhooks are all still there
    assert.equal((await call(vendor, calls[vendor][1]!, good[vendor])).status, 200);
  });
}

const good: Record<Vendor, Record<string, string>> = {
  c1: { authorization: 'Bearer demo-c1-token' },
  shodai: { 'x-api-key': 'cns_pk_demo_free' },
  superoffice: { authorization: `Basic ${b64('demo:demo')}` },
};

test("shodai: another principal's key never reaches Alice's subscription (404), a paid or blocked key is refused", async () => {
  for (const entry of calls.shodai) {
    const other = await call('shodai', entry, { 'x-api-key': 'cns_pk_demo_other' });
    if (entry.path === '/v0/webhooks') {
      assert.equal(other.status, 200);
      assert.ok(!other.text.includes('wh_demo_alice_1'), "Bob's list shows Alice's subscription");
    } else assert.equal(other.status, 404, `${entry.method} ${entry.path} → ${other.status}`);
    assert.deepEqual(other.problems, []);
    assert.equal((await call('shodai', entry, { 'x-api-key': 'cns_pk_demo_paid' })).status, 402);
    assert.equal((await call('shodai', entry, { 'x-api-key': 'cns_pk_demo_blocked' })).status, 403);
  }
  const alice = await call('shodai', calls.shodai[1]!, good.shodai);
  assert.equal(alice.status, 200, 'the subscription is untouched');
});

test('c1: a token from the token endpoint with a wrong client secret is never issued', async () => {
  for (const secret of ['', 'wrong', 'demo-client-secret ', 'DEMO-CLIENT-SECRET']) {
    const response = await fetch(`${server.urls.c1}/auth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'demo-client@demo.conductor.one/pcc',
        client_secret: secret,
      }).toString(),
    });
    const text = await response.text();
    assert.ok(response.status === 400 || response.status === 401, `secret "${secret}" → ${response.status}`);
    assert.ok(!text.includes('access_token'), text);
  }
});

test('shodai: the signing secret shows only in the creation answer, never again', async () => {
  const created = await fetch(`${server.urls.shodai}/v0/webhooks`, {
    method: 'POST',
    headers: { ...good.shodai, 'content-type': 'application/json' },
    body: JSON.stringify({
      url: 'http://127.0.0.1:9/hook',
      eventTypes: ['agreement.transitioned'],
      filters: {},
    }),
  });
  assert.equal(created.status, 201);
  const data = ((await created.json()) as { data: { id: string; secret?: string } }).data;
  assert.match(data.secret ?? '', /^whsec_/);
  const secrets = [data.secret!, SHODAI_SECRET];
  for (const entry of [
    { method: 'GET', path: '/v0/webhooks' },
    { method: 'GET', path: '/v0/webhooks?limit=100' },
    { method: 'GET', path: `/v0/webhooks/${data.id}` },
    { method: 'GET', path: '/v0/webhooks/wh_demo_alice_1' },
    { method: 'PATCH', path: `/v0/webhooks/${data.id}`, body: '{"status":"disabled"}' },
    { method: 'POST', path: `/v0/webhooks/${data.id}/test` },
    { method: 'POST', path: '/v0/webhooks/wh_demo_alice_1/test' },
    { method: 'PATCH', path: `/v0/webhooks/${data.id}`, body: '{"status":"nonsense"}' },
    { method: 'DELETE', path: `/v0/webhooks/${data.id}` },
  ]) {
    const answer = await call('shodai', entry, good.shodai);
    assert.ok(answer.status < 500);
    for (const secret of secrets)
      assert.ok(!answer.text.includes(secret), `${entry.method} ${entry.path} shows a signing secret`);
  }
});
