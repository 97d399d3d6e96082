/**
 * HTTP tests of C1's signing keys as receivers see them. With c1.yaml `signing.algorithm` set to EdDSA, ES256 or
 * RS256 the JWKS serves that key type, and real test-call deliveries to a real receiver verify with jose against
 * the mock's /c1/auth/v1/jwks. A rotation — `POST /__admin/c1/rotate-key` or `mock.c1.rotateKey()` — makes the
 * next delivery carry a new kid at once: a receiver that re-fetches the JWKS on an unknown kid keeps verifying,
 * one that keeps the JWKS it fetched first (jose's `createLocalJWKSet` built once) refuses from then on. The old
 * key stays in the JWKS for the grace period (tokens it signed still verify), until `mock.clock` passes it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JWK, JWTVerifyGetKey } from 'jose';
import supertest from 'supertest';
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
const GRACE_MS = 5 * 60 * 1000;
const JWKS_OPERATION = 'c1.api.auth.v1.Jwks';

type Algorithm = keyof typeof KEY_TYPE;

interface RotationAnswer {
  kid: string;
  alg: string;
  previousKid: string;
  retiresAt: string;
}

const bearer = (delivery: ReceivedRequest): string =>
  /^bearer (.+)$/.exec(delivery.headers.authorization ?? '')![1]!;

/** Every served key is public, names its kid, alg and use, and is of the tenant's key type. */
function assertKeyShapes(jwks: { keys: JWK[] }, algorithm: Algorithm): void {
  for (const key of jwks.keys) {
    assert.deepEqual([key.kty, key.crv], [...KEY_TYPE[algorithm]]);
    assert.equal(key.alg, algorithm);
    assert.equal(key.use, 'sig');
    assert.equal(typeof key.kid, 'string');
    assert.equal(key.d, undefined, 'no private part');
  }
}

for (const algorithm of ['EdDSA', 'ES256', 'RS256'] as const) {
  describe(`C1 tenant signing with ${algorithm}`, () => {
    let server: MockServer;
    let receiver: Receiver;
    let c1: VendorAgent;
    let admin: ReturnType<typeof supertest>;
    let jwksUrl: URL;
    /** A receiver that fetched the JWKS once, at its start, and keeps it for ever. */
    let cached: JWTVerifyGetKey;
    /** A receiver that fetches the JWKS again whenever a JWT names a kid it does not know. */
    let refetching: JWTVerifyGetKey;
    let firstKid: string;
    let beforeRotation: ReceivedRequest;
    let rotation: RotationAnswer;

    before(async () => {
      receiver = await startReceiver();
      server = await startTestServer(
        {
          set: { c1: { signing: { algorithm } } },
          webhooks: { c1: [{ id: HOOK_ID, displayName: 'Keys', url: `${receiver.url}/c1/keys?tenant=t` }] },
        },
        { vendorSettings: { c1: { keyGraceMs: GRACE_MS } } },
      );
      c1 = vendorAgent(server.urls.c1, 'c1');
      admin = supertest(`${server.url}/__admin`);
      jwksUrl = new URL(`${server.urls.c1}/auth/v1/jwks`);
      const jwks = await served();
      firstKid = jwks.keys[0]!.kid!;
      cached = createLocalJWKSet(jwks);
      refetching = createRemoteJWKSet(jwksUrl, { cooldownDuration: 0 });
    });

    after(async () => {
      await server.close();
      await receiver.close();
    });

    async function served(): Promise<{ keys: JWK[] }> {
      return (await c1.get('/auth/v1/jwks').expect(200)).body as { keys: JWK[] };
    }

    /** Asks the mock to test the webhook, and returns what the receiver got. */
    async function testDelivery(negative?: string): Promise<ReceivedRequest> {
      const seen = receiver.received.length;
      const call = c1.post(`/api/v1/webhooks/${HOOK_ID}/test`).set('Authorization', TOKEN);
      if (negative !== undefined) call.set('X-Mock-Negative', negative);
      await call.send({}).expect(200);
      return (await receiver.waitFor(seen + 1))[seen]!;
    }

    /** What a receiver does: the delivery's JWT verified with `keys`, at the mock's time. */
    function verifyWith(keys: JWTVerifyGetKey, delivery: ReceivedRequest) {
      return jwtVerify(bearer(delivery), keys, {
        algorithms: [algorithm],
        audience: '127.0.0.1',
        issuer: new URL(server.url).host,
        currentDate: server.clock.now(),
      });
    }

    const jwksFetches = (): number => server.requests.list({ operationId: JWKS_OPERATION }).length;

    it(`serves one ${KEY_TYPE[algorithm][0]} key with kid, alg ${algorithm} and use "sig"`, async () => {
      const jwks = await served();
      assert.equal(jwks.keys.length, 1);
      assertKeyShapes(jwks, algorithm);
    });

    it('delivers a test event whose bearer JWT verifies with createRemoteJWKSet on the mock’s JWKS URL', async () => {
      const delivery = await testDelivery();
      const claims = await verifyC1Delivery(jwksUrl.href, delivery.headers, delivery.rawBody, {
        audience: '127.0.0.1',
        issuer: new URL(server.url).host,
        url: `${receiver.url}/c1/keys`,
      });
      assert.equal(claims.c1typ, 'wh');
      const header = decodeProtectedHeader(bearer(delivery));
      assert.equal(header.alg, algorithm);
      assert.equal(header.kid, firstKid);
      // a receiver that accepts only this tenant's algorithm verifies it too
      await jwtVerify(bearer(delivery), createRemoteJWKSet(jwksUrl), {
        algorithms: [algorithm],
        audience: '127.0.0.1',
      });
    });

    it('wrong-secret: the JWT names the published kid and alg but does not verify', async () => {
      const delivery = await testDelivery('wrong-secret');
      assert.deepEqual(decodeProtectedHeader(bearer(delivery)), {
        alg: algorithm,
        kid: firstKid,
        typ: 'JWT',
      });
      await assert.rejects(
        jwtVerify(bearer(delivery), createRemoteJWKSet(jwksUrl), { audience: '127.0.0.1' }),
        {
          code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
        },
      );
    });

    it('before a rotation, a receiver that cached the JWKS and one that re-fetches it both verify', async () => {
      beforeRotation = await testDelivery();
      await verifyWith(cached, beforeRotation);
      await verifyWith(refetching, beforeRotation);
    });

    it('POST /__admin/c1/rotate-key answers the new and old kid and when the old one retires, and publishes both', async () => {
      const calledAt = server.clock.now().getTime();
      rotation = (await admin.post('/c1/rotate-key').expect(200)).body as RotationAnswer;
      assert.equal(rotation.alg, algorithm);
      assert.equal(rotation.previousKid, firstKid);
      assert.notEqual(rotation.kid, firstKid);
      const retiresAt = Date.parse(rotation.retiresAt);
      assert.ok(retiresAt >= calledAt + GRACE_MS && retiresAt <= server.clock.now().getTime() + GRACE_MS);
      const jwks = await served();
      assert.deepEqual(
        jwks.keys.map((key) => key.kid),
        [rotation.kid, firstKid],
        'the new key first, the old one still there',
      );
      assertKeyShapes(jwks, algorithm);
    });

    it('during the grace period the next delivery carries the new kid: the re-fetching receiver verifies it, the cached one refuses', async () => {
      const delivery = await testDelivery();
      assert.deepEqual(decodeProtectedHeader(bearer(delivery)), {
        alg: algorithm,
        kid: rotation.kid,
        typ: 'JWT',
      });
      const fetches = jwksFetches();
      await verifyWith(refetching, delivery);
      assert.equal(jwksFetches(), fetches + 1, 'it fetched the JWKS again, once, for the unknown kid');
      await assert.rejects(verifyWith(cached, delivery), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
      // what the grace period is for: a token the old key signed still verifies against the JWKS served now
      await verifyWith(createLocalJWKSet(await served()), beforeRotation);
    });

    it('once mock.clock passes the grace period the old key leaves the JWKS; the re-fetching receiver still verifies', async () => {
      server.clock.advance(GRACE_MS);
      const jwks = await served();
      assert.deepEqual(
        jwks.keys.map((key) => key.kid),
        [rotation.kid],
      );
      const delivery = await testDelivery();
      await verifyWith(refetching, delivery);
      await assert.rejects(verifyWith(cached, delivery), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
      await assert.rejects(verifyWith(createLocalJWKSet(jwks), beforeRotation), {
        code: 'ERR_JWKS_NO_MATCHING_KEY',
      });
    });

    it('mock.c1.rotateKey() rotates the same way, typed: the next delivery carries its kid, retiresAt is a Date', async () => {
      const now = server.clock.now().getTime();
      const again = await server.c1.rotateKey();
      assert.equal(again.previousKid, rotation.kid);
      assert.equal(again.alg, algorithm);
      assert.ok(again.retiresAt instanceof Date);
      assert.ok(again.retiresAt.getTime() >= now + GRACE_MS);
      assert.deepEqual(
        (await served()).keys.map((key) => key.kid),
        [again.kid, rotation.kid],
      );
      const delivery = await testDelivery();
      assert.equal(decodeProtectedHeader(bearer(delivery)).kid, again.kid);
      await verifyWith(refetching, delivery);
      await assert.rejects(verifyWith(cached, delivery), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    });

    it('a reset brings back the fixture’s key: alone in the JWKS, signing again, so the cached JWKS verifies again', async () => {
      await admin.post('/reset').expect(200);
      assert.deepEqual(
        (await served()).keys.map((key) => key.kid),
        [firstKid],
      );
      const delivery = await testDelivery();
      assert.equal(decodeProtectedHeader(bearer(delivery)).kid, firstKid);
      await verifyWith(cached, delivery);
    });
  });
}

describe('C1 key rotation: the grace period and seeded runs', () => {
  it('defaults to a grace period of 10 minutes on the mock’s clock', async () => {
    const server = await startTestServer({}, { seed: 'grace', clockStart: '2026-03-01T12:00:00Z' });
    try {
      const rotation = await server.c1.rotateKey();
      assert.equal(rotation.retiresAt.toISOString(), '2026-03-01T12:10:00.000Z');
    } finally {
      await server.close();
    }
  });

  it('refuses an unknown setting or a grace period it cannot use, naming it', async () => {
    await assert.rejects(startTestServer({}, { vendorSettings: { c1: { keyGrace: 1000 } } }), {
      name: 'RangeError',
      message: 'vendorSettings.c1: no setting "keyGrace" (it has keyGraceMs)',
    });
    await assert.rejects(startTestServer({}, { vendorSettings: { c1: { keyGraceMs: -1 } } }), {
      name: 'RangeError',
      message: /^vendorSettings\.c1\.keyGraceMs must be a number of milliseconds from 0 to 604800000/,
    });
  });

  for (const algorithm of ['EdDSA', 'RS256', 'ES256'] as const) {
    const signatures =
      algorithm === 'ES256'
        ? 'the same kids (ECDSA signatures are randomized)'
        : 'the same kids and JWT bytes';
    it(`${algorithm}: the same seed gives ${signatures}, before and after a rotation`, async () => {
      const receiver = await startReceiver();
      const runs = await Promise.all(
        [1, 2].map(() =>
          startTestServer(
            {
              set: { c1: { signing: { algorithm } } },
              webhooks: { c1: [{ id: HOOK_ID, displayName: 'Seeded', url: `${receiver.url}/seeded` }] },
            },
            { seed: `rotation-${algorithm}`, publicUrl: 'http://mock.example.test' },
          ),
        ),
      );
      try {
        const seen: { kids: string[]; tokens: string[] }[] = [];
        for (const server of runs) {
          const test = async (): Promise<string> => {
            const count = receiver.received.length;
            await server.call('c1', {
              method: 'POST',
              path: `/api/v1/webhooks/${HOOK_ID}/test`,
              headers: { authorization: TOKEN, 'content-type': 'application/json' },
              body: '{}',
            });
            return bearer((await receiver.waitFor(count + 1))[count]!);
          };
          const first = await test();
          const { kid, previousKid } = await server.c1.rotateKey();
          seen.push({ kids: [previousKid, kid], tokens: [first, await test()] });
        }
        const [one, two] = seen as [(typeof seen)[0], (typeof seen)[0]];
        assert.deepEqual(two.kids, one.kids);
        assert.notEqual(one.kids[0], one.kids[1]);
        assert.deepEqual(
          one.tokens.map((token) => decodeProtectedHeader(token).kid),
          one.kids,
        );
        if (algorithm === 'ES256') assert.notDeepEqual(two.tokens, one.tokens);
        else assert.deepEqual(two.tokens, one.tokens);
      } finally {
        await Promise.all(runs.map((server) => server.close()));
        await receiver.close();
      }
    });
  }
});
