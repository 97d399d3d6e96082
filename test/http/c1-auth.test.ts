/**
 * HTTP tests of C1's authentication: bearer tokens from the fixtures, the OAuth token endpoint with a client
 * secret or a signed client assertion (as C1's SDKs log in), and the JWKS that verifies deliveries.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';
import type { CryptoKey, JWK, KeyObject } from 'jose';
import { startMockServer } from '../../src/server/index.js';
import { makeFixtures } from '../support/server.js';
import type { MockServer } from '../../src/server/index.js';
import { vendorAgent } from '../support/http.js';
import type { VendorAgent } from '../support/http.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { verifyC1Delivery } from '../support/signatures.js';
import { specFor } from '../support/spec-check.js';

const SECRET_CLIENT = { id: 'demo-client@demo.conductor.one/pcc', secret: 'demo-client-secret' };
const SDK_CLIENT = {
  id: 'demo-sdk@demo.conductor.one/pcc',
  secret:
    'secret-token:conductorone.com:v1:eyJjcnYiOiJFZDI1NTE5IiwiZCI6Ik1oMUVubXE5Qjk4OFNueEMtOE0wSTIzOXYzSWFBblA1OGNRNU1QbnhVNGciLCJ4IjoidVB3dG44WVQyLWNPSENfX3BlaVR3c1ozQ3Z5Um1HNlUwend1SU4zMXpnMCIsImt0eSI6Ik9LUCJ9',
};
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface Status {
  code: number;
  message: string;
  details: unknown[];
}
interface OAuthError {
  error: string;
  error_description?: string;
}
interface TokenAnswer {
  access_token: string;
  token_type: string;
  expires_in: number;
}

let server: MockServer;
let receiver: Receiver;
let c1: VendorAgent;
let fixturesDir: string;
let offsetMs = 0;

before(async () => {
  receiver = await startReceiver();
  fixturesDir = await makeFixtures();
  server = await startMockServer({
    port: 0,
    fixturesDir,
    deliveryTimeoutMs: 2000,
    clock: { now: () => new Date(Date.now() + offsetMs) },
  });
  c1 = vendorAgent(server.urls.c1, 'c1');
});

after(async () => {
  await server.close();
  await receiver.close();
  await rm(fixturesDir, { recursive: true, force: true });
});

beforeEach(() => {
  offsetMs = 0;
  receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
});

/** The private Ed25519 key inside a `secret-token:conductorone.com:v1:<base64 JWK>` client secret. */
async function keyFromSecret(secret: string): Promise<CryptoKey | KeyObject | Uint8Array> {
  const encoded = secret.slice('secret-token:conductorone.com:v1:'.length);
  const jwk = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as JWK;
  assert.equal(jwk.kty, 'OKP');
  assert.equal(jwk.crv, 'Ed25519');
  return importJWK(jwk, 'EdDSA');
}

/** The host name of the mock, without port: the `aud` C1's SDKs put in their assertion. */
function audience(): string {
  return new URL(server.urls.c1).hostname;
}

interface AssertionOptions {
  aud?: string;
  expiresIn?: number;
  notBeforeOffset?: number;
  issuedAt?: boolean;
  issuer?: string;
  key?: CryptoKey | KeyObject | Uint8Array;
}

/** An EdDSA client assertion as C1's SDKs build it: iss = sub = client_id, aud = host name, short exp. */
async function assertion(options: AssertionOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'EdDSA' })
    .setIssuer(options.issuer ?? SDK_CLIENT.id)
    .setSubject(SDK_CLIENT.id)
    .setAudience(options.aud ?? audience())
    .setNotBefore(now + (options.notBeforeOffset ?? -60))
    .setExpirationTime(now + (options.expiresIn ?? 120));
  if (options.issuedAt !== false) jwt.setIssuedAt(now);
  return jwt.sign(options.key ?? (await keyFromSecret(SDK_CLIENT.secret)));
}

function tokenRequest(form: Record<string, string>) {
  return c1
    .post('/auth/v1/token')
    .type('form')
    .send(new URLSearchParams(form).toString())
    .expect('content-type', /application\/json/);
}

async function assertionTokenStatus(jwt: string): Promise<{ status: number; body: unknown }> {
  const res = await tokenRequest({
    grant_type: 'client_credentials',
    client_id: SDK_CLIENT.id,
    client_assertion_type: JWT_BEARER,
    client_assertion: jwt,
  });
  return { status: res.status, body: res.body };
}

/**
 * A login as C1's SDKs make it: a form-encoded POST to `<server URL>/auth/v1/token` with a client assertion
 * whose `aud` is the server URL's host name (unless `aud` says otherwise), over a real connection to that URL.
 */
async function sdkLogin(serverUrl: string, aud?: string): Promise<{ status: number; body: unknown }> {
  const base = serverUrl.replace(/\/+$/, '');
  const res = await fetch(`${base}/auth/v1/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: SDK_CLIENT.id,
      client_assertion_type: JWT_BEARER,
      client_assertion: await assertion({ aud: aud ?? new URL(base).hostname }),
    }),
  });
  return { status: res.status, body: await res.json() };
}

function assertInvalidClient(res: { status: number; body: unknown }): void {
  assert.equal(res.status, 401);
  assert.equal((res.body as OAuthError).error, 'invalid_client');
  assert.equal(typeof (res.body as OAuthError).error_description, 'string');
}

describe('C1 bearer tokens', () => {
  it('accepts the fixture token "Bearer demo-c1-token"', async () => {
    await c1.get('/api/v1/webhooks').set('Authorization', 'Bearer demo-c1-token').expect(200);
  });

  it('accepts the scheme in any case, as HTTP auth schemes are case-insensitive', async () => {
    await c1.get('/api/v1/webhooks').set('Authorization', 'bearer demo-c1-token').expect(200);
  });

  it('returns 401 with google.rpc.Status code 16 when Authorization is missing', async () => {
    const res = await c1.get('/api/v1/webhooks').expect(401);
    const body = res.body as Status;
    assert.equal(body.code, 16);
    assert.match(body.message, /bearer/i);
    assert.deepEqual(body.details, []);
  });

  it('returns 401 with google.rpc.Status code 16 for an unknown token', async () => {
    const res = await c1.get('/api/v1/webhooks').set('Authorization', 'Bearer not-a-token').expect(401);
    assert.equal((res.body as Status).code, 16);
  });

  it('returns 401 for credentials sent with another scheme', async () => {
    const res = await c1
      .get('/api/v1/webhooks')
      .set('Authorization', `Basic ${Buffer.from('demo:demo').toString('base64')}`)
      .expect(401);
    assert.equal((res.body as Status).code, 16);
  });

  it('returns 401 on every webhook operation without a token', async () => {
    const id = '2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1';
    await c1.post('/api/v1/webhooks').send({ displayName: 'x', url: 'https://x.example.com' }).expect(401);
    await c1.get(`/api/v1/webhooks/${id}`).expect(401);
    await c1.post(`/api/v1/webhooks/${id}`).send({}).expect(401);
    await c1.delete(`/api/v1/webhooks/${id}`).expect(401);
    await c1.post(`/api/v1/webhooks/${id}/test`).send({}).expect(401);
    await c1.post('/api/v1/search/webhooks').send({}).expect(401);
  });
});

describe('C1 token endpoint: POST /auth/v1/token with a client secret', () => {
  it('issues a Bearer access token for client_credentials with client_id and client_secret', async () => {
    const res = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: SECRET_CLIENT.id,
      client_secret: SECRET_CLIENT.secret,
    }).expect(200);
    const body = res.body as TokenAnswer;
    assert.equal(body.token_type, 'Bearer');
    assert.equal(typeof body.access_token, 'string');
    assert.ok(body.access_token.length >= 20);
    assert.ok(Number.isInteger(body.expires_in) && body.expires_in > 0);
    assert.equal(res.headers['cache-control'], 'no-store');

    await c1.get('/api/v1/webhooks').set('Authorization', `Bearer ${body.access_token}`).expect(200);
  });

  it('issues a different token on every call', async () => {
    const form = {
      grant_type: 'client_credentials',
      client_id: SECRET_CLIENT.id,
      client_secret: SECRET_CLIENT.secret,
    };
    const first = (await tokenRequest(form).expect(200)).body as TokenAnswer;
    const second = (await tokenRequest(form).expect(200)).body as TokenAnswer;
    assert.notEqual(first.access_token, second.access_token);
  });

  it('refuses an issued token with 401 once expires_in has passed', async () => {
    const res = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: SECRET_CLIENT.id,
      client_secret: SECRET_CLIENT.secret,
    }).expect(200);
    const body = res.body as TokenAnswer;
    offsetMs = (body.expires_in + 1) * 1000;
    const refused = await c1
      .get('/api/v1/webhooks')
      .set('Authorization', `Bearer ${body.access_token}`)
      .expect(401);
    assert.equal((refused.body as Status).code, 16);
    assert.match((refused.body as Status).message, /expired/);
  });

  it('returns 401 invalid_client for a wrong client_secret', async () => {
    const res = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: SECRET_CLIENT.id,
      client_secret: 'wrong',
    });
    assertInvalidClient(res);
  });

  it('returns 401 invalid_client for an unknown client_id', async () => {
    const res = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'nobody@demo.conductor.one/pcc',
      client_secret: SECRET_CLIENT.secret,
    });
    assertInvalidClient(res);
  });

  it('returns 401 invalid_client when neither a secret nor an assertion is sent', async () => {
    assertInvalidClient(
      await tokenRequest({ grant_type: 'client_credentials', client_id: SECRET_CLIENT.id }),
    );
  });

  it('returns 400 unsupported_grant_type for a grant other than client_credentials', async () => {
    const res = await tokenRequest({
      grant_type: 'password',
      client_id: SECRET_CLIENT.id,
      client_secret: SECRET_CLIENT.secret,
    }).expect(400);
    assert.equal((res.body as OAuthError).error, 'unsupported_grant_type');
  });

  it('returns 400 in the OAuth error format when grant_type is missing', async () => {
    const res = await tokenRequest({
      client_id: SECRET_CLIENT.id,
      client_secret: SECRET_CLIENT.secret,
    }).expect(400);
    assert.equal((res.body as OAuthError).error, 'invalid_request');
    assert.match((res.body as OAuthError).error_description ?? '', /grant_type/);
  });

  it('returns 400 invalid_request for a token request that is not form-encoded', async () => {
    const res = await c1
      .post('/auth/v1/token')
      .send({ grant_type: 'client_credentials', client_id: SECRET_CLIENT.id, client_secret: 'x' })
      .expect(400);
    assert.equal((res.body as OAuthError).error, 'invalid_request');
  });

  it('returns 400 invalid_request, as for a bad Content-Type, for a Content-Encoding it cannot decode', async () => {
    const res = await c1
      .post('/auth/v1/token')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('Content-Encoding', 'compress')
      .send(`grant_type=client_credentials&client_id=${encodeURIComponent(SECRET_CLIENT.id)}&client_secret=x`)
      .expect(400);
    assert.equal((res.body as OAuthError).error, 'invalid_request');
    assert.match((res.body as OAuthError).error_description ?? '', /unsupported content encoding "compress"/);
  });

  it('returns 405 for GET on the token endpoint', async () => {
    await c1.get('/auth/v1/token').expect(405);
  });
});

describe('C1 token endpoint: the client_assertion flow of C1 SDKs', () => {
  it('issues a token for an EdDSA assertion signed with the key inside the client secret', async () => {
    const { status, body } = await assertionTokenStatus(await assertion());
    assert.equal(status, 200, JSON.stringify(body));
    const token = body as TokenAnswer;
    assert.equal(token.token_type, 'Bearer');
    assert.ok(token.expires_in > 0);
    await c1.get('/api/v1/webhooks').set('Authorization', `Bearer ${token.access_token}`).expect(200);
  });

  it('accepts an assertion without iat, since only exp within five minutes is required', async () => {
    const { status, body } = await assertionTokenStatus(await assertion({ issuedAt: false }));
    assert.equal(status, 200, JSON.stringify(body));
  });

  it('refuses an assertion whose exp is more than five minutes away', async () => {
    assertInvalidClient(await assertionTokenStatus(await assertion({ expiresIn: 3600 })));
  });

  it('refuses an assertion for another audience', async () => {
    assertInvalidClient(await assertionTokenStatus(await assertion({ aud: 'acme.conductor.one' })));
    // the host name, without port
    assertInvalidClient(await assertionTokenStatus(await assertion({ aud: new URL(server.urls.c1).host })));
  });

  // C1's TypeScript SDK puts the host name of the server URL it was given into `aud`; the README's base URL
  // is http://localhost:4010/c1, and 127.0.0.1 is what the mock itself prints.
  for (const name of ['localhost', '127.0.0.1']) {
    it(`logs in as the SDK does through http://${name}:<port>/c1, then calls the API`, async () => {
      const base = new URL(server.urls.c1);
      base.hostname = name;
      const token = await sdkLogin(base.href);
      assert.equal(token.status, 200, JSON.stringify(token.body));
      const access = (token.body as TokenAnswer).access_token;
      const list = await fetch(`${base.href}/api/v1/webhooks`, {
        headers: { authorization: `Bearer ${access}` },
      });
      assert.equal(list.status, 200);
    });
  }

  it('refuses an assertion for the host name of another server even when called through localhost', async () => {
    const base = new URL(server.urls.c1);
    base.hostname = 'localhost';
    const token = await sdkLogin(base.href, 'tenant.conductor.one');
    assert.equal(token.status, 401);
    assert.match((token.body as OAuthError).error_description ?? '', /"aud"/);
  });

  it('refuses an expired assertion', async () => {
    assertInvalidClient(
      await assertionTokenStatus(await assertion({ expiresIn: -30, notBeforeOffset: -120 })),
    );
  });

  it('refuses an assertion that is not valid yet', async () => {
    assertInvalidClient(await assertionTokenStatus(await assertion({ notBeforeOffset: 120 })));
  });

  it('refuses an assertion signed by another key', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    assertInvalidClient(await assertionTokenStatus(await assertion({ key: privateKey })));
  });

  it('refuses an assertion whose issuer is not the client_id', async () => {
    assertInvalidClient(await assertionTokenStatus(await assertion({ issuer: 'someone-else' })));
  });

  it('refuses a client assertion for a client whose secret holds no key', async () => {
    const res = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: SECRET_CLIENT.id,
      client_assertion_type: JWT_BEARER,
      client_assertion: await assertion(),
    });
    assertInvalidClient(res);
  });

  it('returns 400 invalid_request for a client_assertion_type other than jwt-bearer', async () => {
    const res = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: SDK_CLIENT.id,
      client_assertion_type: 'urn:example:other',
      client_assertion: await assertion(),
    }).expect(400);
    assert.equal((res.body as OAuthError).error, 'invalid_request');
  });

  it('also accepts the SDK client with its whole secret as client_secret', async () => {
    await tokenRequest({
      grant_type: 'client_credentials',
      client_id: SDK_CLIENT.id,
      client_secret: SDK_CLIENT.secret,
    }).expect(200);
  });
});

describe('C1 JWKS: GET /auth/v1/jwks', () => {
  it('serves, without credentials, the public key that verifies deliveries', async () => {
    const res = await c1.get('/auth/v1/jwks').expect(200);
    const jwks = res.body as { keys: JWK[] };
    assert.equal(jwks.keys.length, 1);
    const key = jwks.keys[0]!;
    assert.equal(key.use, 'sig');
    assert.ok(['ES256', 'RS256', 'EdDSA'].includes(key.alg ?? ''));
    assert.equal(key.d, undefined, 'no private part');

    const created = await c1
      .post('/api/v1/webhooks')
      .set('Authorization', 'Bearer demo-c1-token')
      .send({ displayName: 'JWKS check', url: `${receiver.url}/jwks-check` })
      .expect(200);
    const id = (created.body as { webhook: { id: string } }).webhook.id;
    const before = receiver.received.length;
    await c1
      .post(`/api/v1/webhooks/${id}/test`)
      .set('Authorization', 'Bearer demo-c1-token')
      .send({})
      .expect(200);
    const delivery = (await receiver.waitFor(before + 1))[before]!;
    const jwt = /^bearer (.+)$/.exec(delivery.headers.authorization ?? '')?.[1];
    assert.ok(jwt);
    const verified = await jwtVerify(jwt, createLocalJWKSet(jwks), { audience: '127.0.0.1' });
    assert.equal(verified.protectedHeader.kid, key.kid);

    // a key that is not in the set does not verify it
    const other = await generateKeyPair(key.alg ?? 'EdDSA', { extractable: true, crv: 'Ed25519' });
    const otherJwk = { ...(await exportJWK(other.publicKey)), kid: key.kid, alg: key.alg, use: 'sig' };
    await assert.rejects(jwtVerify(jwt, createLocalJWKSet({ keys: [otherJwk] })));
  });
});

describe('C1 log in, create, test, delete', () => {
  it('logs in with a client assertion, creates a webhook, tests it, verifies the delivery and deletes it', async () => {
    const login = await assertionTokenStatus(await assertion());
    assert.equal(login.status, 200);
    const auth = `Bearer ${(login.body as TokenAnswer).access_token}`;

    const url = `${receiver.url}/flow?step=1`;
    const created = await c1
      .post('/api/v1/webhooks')
      .set('Authorization', auth)
      .send({ displayName: 'Flow webhook', url, description: 'from the SDK login flow' })
      .expect(200);
    const webhook = (created.body as { webhook: { id: string; url: string } }).webhook;
    assert.equal(webhook.url, url);

    const before = receiver.received.length;
    const tested = await c1
      .post(`/api/v1/webhooks/${webhook.id}/test`)
      .set('Authorization', auth)
      .send({})
      .expect(200);
    const instance = (tested.body as { webhook: { id: string; state: string; webhookId: string } }).webhook;
    assert.equal(instance.state, 'WEBHOOK_STATE_SUCCESS');
    assert.equal(instance.webhookId, webhook.id);

    const delivery = (await receiver.waitFor(before + 1))[before]!;
    assert.deepEqual(
      specFor('c1').checkDelivery(
        'c1.webhooks.v1.PayloadTest',
        delivery.headers,
        delivery.rawBody.toString('utf8'),
      ),
      [],
    );
    const claims = await verifyC1Delivery(
      `${server.urls.c1}/auth/v1/jwks`,
      delivery.headers,
      delivery.rawBody,
      {
        audience: '127.0.0.1',
        issuer: new URL(server.url).host,
        url,
      },
    );
    assert.equal(claims.htu, `${receiver.url}/flow`);
    assert.equal(delivery.headers['webhook-id'], instance.id);

    await c1.delete(`/api/v1/webhooks/${webhook.id}`).set('Authorization', auth).send({}).expect(200);
    await c1.get(`/api/v1/webhooks/${webhook.id}`).set('Authorization', auth).expect(404);
  });
});
