/**
 * HTTP tests of C1's per-tenant signing algorithm: with c1.yaml `signing.algorithm` set to EdDSA, ES256 or
 * RS256, the JWKS serves that key type and a real test-call delivery to a real receiver verifies with jose
 * against the mock's /c1/auth/v1/jwks, the way a receiver does it. (Rotation is covered by
 * test/unit/c1-keys.test.ts: nothing here can reach the state to rotate it.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JWK } from 'jose';
import type { MockServer } from '../../src/server/index.js';
import { vendorAgent } from '../support/http.js';
import type { VendorAgent } from '../support/http.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver, ReceivedRequest } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';
import { verifyC1Delivery } from '../support/signatures.js';

const TOKEN = 'Bearer demo-c1-token';
const HOOK_ID = '2bWkJ8Qv3nYc5hT0dLx9ZfRmKe1';
const KEY_TYPE = { EdDSA: ['OKP', 'Ed25519'], ES256: ['EC', 'P-256'], RS256: ['RSA', undefined] } as const;

for (const algorithm of ['EdDSA', 'ES256', 'RS256'] as const) {
  describe(`C1 tenant signing with ${algorithm}`, () => {
    let server: MockServer;
    let receiver: Receiver;
    let c1: VendorAgent;
    let jwksUrl: URL;

    before(async () => {
      receiver = await startReceiver();
      server = await startTestServer({
        set: { c1: { signing: { algorithm } } },
        webhooks: { c1: [{ id: HOOK_ID, displayName: 'Keys', url: `${receiver.url}/c1/keys?tenant=t` }] },
      });
      c1 = vendorAgent(server.urls.c1, 'c1');
      jwksUrl = new URL(`${server.urls.c1}/auth/v1/jwks`);
    });

    after(async () => {
      await server.close();
      await receiver.close();
    });

    /** Asks the mock to test the webhook, and returns what the receiver got. */
    async function testDelivery(negative?: string): Promise<ReceivedRequest> {
      const seen = receiver.received.length;
      const call = c1.post(`/api/v1/webhooks/${HOOK_ID}/test`).set('Authorization', TOKEN);
      if (negative !== undefined) call.set('X-Mock-Negative', negative);
      await call.send({}).expect(200);
      return (await receiver.waitFor(seen + 1))[seen]!;
    }

    it(`serves one ${KEY_TYPE[algorithm][0]} key with kid, alg ${algorithm} and use "sig"`, async () => {
      const jwks = (await c1.get('/auth/v1/jwks').expect(200)).body as { keys: JWK[] };
      assert.equal(jwks.keys.length, 1);
      const key = jwks.keys[0]!;
      assert.deepEqual([key.kty, key.crv], [...KEY_TYPE[algorithm]]);
      assert.equal(key.alg, algorithm);
      assert.equal(key.use, 'sig');
      assert.equal(typeof key.kid, 'string');
      assert.equal(key.d, undefined, 'no private part');
    });

    it('delivers a test event whose bearer JWT verifies with createRemoteJWKSet on the mock’s JWKS URL', async () => {
      const delivery = await testDelivery();
      const claims = await verifyC1Delivery(jwksUrl.href, delivery.headers, delivery.rawBody, {
        audience: '127.0.0.1',
        issuer: new URL(server.url).host,
        url: `${receiver.url}/c1/keys`,
      });
      assert.equal(claims.c1typ, 'wh');
      const jwt = /^bearer (.+)$/.exec(delivery.headers.authorization ?? '')![1]!;
      const jwks = (await c1.get('/auth/v1/jwks').expect(200)).body as { keys: JWK[] };
      const header = decodeProtectedHeader(jwt);
      assert.equal(header.alg, algorithm);
      assert.equal(header.kid, jwks.keys[0]!.kid);
      // a receiver that accepts only this tenant's algorithm verifies it too
      await jwtVerify(jwt, createRemoteJWKSet(jwksUrl), { algorithms: [algorithm], audience: '127.0.0.1' });
    });

    it('wrong-secret: the JWT names the published kid and alg but does not verify', async () => {
      const delivery = await testDelivery('wrong-secret');
      const jwt = /^bearer (.+)$/.exec(delivery.headers.authorization ?? '')![1]!;
      const jwks = (await c1.get('/auth/v1/jwks').expect(200)).body as { keys: JWK[] };
      assert.deepEqual(decodeProtectedHeader(jwt), { alg: algorithm, kid: jwks.keys[0]!.kid, typ: 'JWT' });
      await assert.rejects(jwtVerify(jwt, createRemoteJWKSet(jwksUrl), { audience: '127.0.0.1' }), {
        code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      });
    });
  });
}
