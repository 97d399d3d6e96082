/**
 * C1's delivery-signing keys: per-tenant algorithm (EdDSA, ES256, RS256), keys derived from the signing seed,
 * rotation with a grace period, and verification as a receiver does it (jose, local and remote JWKS).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  jwtVerify,
} from 'jose';
import type { JWK, JWTVerifyGetKey } from 'jose';
import { FixtureError, loadFixtureFile } from '../../src/core/fixtures.js';
import type { VendorContext } from '../../src/core/vendor-module.js';
import { vendors } from '../../src/vendors/index.js';
import { verifyC1Delivery } from '../../src/vendors/c1/inspection.js';
import { C1_SIGNING_ALGORITHMS } from '../../src/vendors/c1/key-derivation.js';
import type { C1SigningAlgorithm } from '../../src/vendors/c1/key-derivation.js';
import { C1KeyRing, DEFAULT_KEY_GRACE_MS, c1Jwks, rotateC1Key } from '../../src/vendors/c1/keys.js';
import { buildC1Delivery } from '../../src/vendors/c1/negative.js';
import { createSigner, signDeliveryToken } from '../../src/vendors/c1/signing.js';
import type { C1Signer } from '../../src/vendors/c1/signing.js';
import { createC1State } from '../../src/vendors/c1/state.js';
import type { C1State } from '../../src/vendors/c1/state.js';

const SEED = Buffer.alloc(32, 7);
const OTHER_SEED = Buffer.alloc(32, 8);
const NOW = new Date('2026-01-01T00:00:00.000Z');
const ISSUED_AT = Math.floor(NOW.getTime() / 1000);
const DESTINATION = 'https://receiver.example.test/hooks/c1?x=1';
const EXPECTED = { audience: 'receiver.example.test', issuer: 'mock.example.test' };
/** The EdDSA key and token the seed made before the key ring existed: seeded runs must not change. */
const GOLDEN_EDDSA_KID = '--6IM5l0OosLj9yWskISYhUA3n_3CURQkmrYMSha_ck';
const GOLDEN_EDDSA_JWT =
  'eyJhbGciOiJFZERTQSIsImtpZCI6Ii0tNklNNWwwT29zTGo5eVdza0lTWWhVQTNuXzNDVVJRa21yWU1TaGFfY2siLCJ0eXAiOiJKV1QifQ.' +
  'eyJjMXR5cCI6IndoIiwiaHRiX3MyNTYiOiJBVnE5ZjF6RmVpM1pTM1dROEVyWUNFSnprRjdqUHNYT3ZxNWlKMnFYK0dJPSIsImh0bSI6IlBPU1QiLCJodHUiOiJodHRwczovL3JlY2VpdmVyLmV4YW1wbGUudGVzdC9ob29rcy9jMSIsImF1ZCI6InJlY2VpdmVyLmV4YW1wbGUudGVzdCIsImlzcyI6Im1vY2suZXhhbXBsZS50ZXN0IiwianRpIjoiajEiLCJpYXQiOjE3NjcyMjU2MDAsIm5iZiI6MTc2NzIyNTU0MCwiZXhwIjoxNzY3MjI1NzIwfQ.' +
  'NeixLDi1ThvvCUoO-MevD99DohH0br2aEjnZd3ZS8sysemrKBOwztYxIKmKB5wXVrBrkmIHp7G4R-vK5RwCjCA';

const KEY_SHAPE: Record<C1SigningAlgorithm, { kty: string; crv?: string; members: string[] }> = {
  EdDSA: { kty: 'OKP', crv: 'Ed25519', members: ['x'] },
  ES256: { kty: 'EC', crv: 'P-256', members: ['x', 'y'] },
  RS256: { kty: 'RSA', members: ['n', 'e'] },
};
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

function sign(signer: C1Signer, jti = 'j1', issuedAt = ISSUED_AT): Promise<string> {
  return signDeliveryToken(signer, {
    destination: new URL(DESTINATION),
    body: Buffer.from('{"a":1}'),
    issuer: EXPECTED.issuer,
    jti,
    issuedAt,
  });
}

function verify(token: string, keys: JWTVerifyGetKey, at: Date = NOW) {
  return jwtVerify(token, keys, { ...EXPECTED, algorithms: [...C1_SIGNING_ALGORITHMS], currentDate: at });
}

function ring(algorithm: C1SigningAlgorithm, seed = SEED, graceMs?: number): Promise<C1KeyRing> {
  return C1KeyRing.create(seed, NOW, { algorithm, ...(graceMs === undefined ? {} : { graceMs }) });
}

const kids = (jwks: { keys: JWK[] }): (string | undefined)[] => jwks.keys.map((key) => key.kid);
const later = (ms: number): Date => new Date(NOW.getTime() + ms);

describe('C1 signing keys: the default EdDSA key', () => {
  it('is the key the seed made before the key ring: same kid, same JWT bytes', async () => {
    const keys = await ring('EdDSA');
    assert.equal(keys.current.kid, GOLDEN_EDDSA_KID);
    assert.equal(await sign(keys.current), GOLDEN_EDDSA_JWT);
    assert.deepEqual((await createSigner(SEED)).publicJwk, keys.current.publicJwk);
  });

  it('is what a fixture without `signing` gets', async () => {
    const state = await createC1State({}, NOW, SEED);
    assert.equal(state.keys.algorithm, 'EdDSA');
    assert.equal(state.keys.current.kid, GOLDEN_EDDSA_KID);
    assert.equal(state.keys.graceMs, DEFAULT_KEY_GRACE_MS);
    assert.equal(DEFAULT_KEY_GRACE_MS, 10 * 60 * 1000);
  });
});

for (const algorithm of C1_SIGNING_ALGORITHMS) {
  describe(`C1 signing keys: ${algorithm}`, () => {
    let keys: C1KeyRing;
    before(async () => {
      keys = await ring(algorithm);
    });

    it('publishes one public key with kid (its RFC 7638 thumbprint), alg and use "sig", no private part', async () => {
      const jwks = keys.jwks(NOW);
      assert.equal(jwks.keys.length, 1);
      const key = jwks.keys[0]!;
      const shape = KEY_SHAPE[algorithm];
      assert.equal(key.kty, shape.kty);
      assert.equal(key.crv, shape.crv);
      for (const member of shape.members) assert.equal(typeof key[member as keyof JWK], 'string', member);
      for (const member of PRIVATE_MEMBERS) assert.equal(key[member as keyof JWK], undefined, member);
      assert.equal(key.alg, algorithm);
      assert.equal(key.use, 'sig');
      assert.equal(key.kid, await calculateJwkThumbprint(key));
    });

    it('signs a delivery token that jose verifies with the JWKS, naming the key in its header', async () => {
      const token = await sign(keys.current);
      const { protectedHeader, payload } = await verify(token, createLocalJWKSet(keys.jwks(NOW)));
      assert.equal(protectedHeader.alg, algorithm);
      assert.equal(protectedHeader.kid, keys.current.kid);
      assert.equal(payload.htu, 'https://receiver.example.test/hooks/c1');
    });

    it('makes the same keys from the same seed, rotation after rotation, and other keys from another seed', async () => {
      const again = await ring(algorithm);
      const other = await ring(algorithm, OTHER_SEED);
      assert.deepEqual(again.current.publicJwk, keys.current.publicJwk);
      assert.notEqual(other.current.kid, keys.current.kid);
      const twin = await ring(algorithm);
      const first = await twin.rotate(NOW);
      const second = await again.rotate(NOW);
      assert.deepEqual(second, first);
      assert.notEqual(first.kid, keys.current.kid, 'a rotation makes a new key');
      assert.deepEqual(again.current.publicJwk, twin.current.publicJwk);
    });

    it('sends wrong-secret with a key of the same type, not in the JWKS, announced with the current kid', async () => {
      const request = await buildC1Delivery(
        keys.current,
        {
          url: DESTINATION,
          event: {
            instanceId: 'i',
            callbackToken: 't',
            callbackUrl: 'u',
            event: 'e',
            body: Buffer.from('{}'),
          },
          issuer: EXPECTED.issuer,
          jti: 'j2',
          issuedAt: ISSUED_AT,
        },
        'wrong-secret',
      );
      const token = /^bearer (.+)$/.exec(request.headers.Authorization ?? '')![1]!;
      assert.deepEqual(decodeProtectedHeader(token), { alg: algorithm, kid: keys.current.kid, typ: 'JWT' });
      await assert.rejects(verify(token, createLocalJWKSet(keys.jwks(NOW))), {
        code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      });
    });
  });
}

describe('C1 signing keys: seeded token bytes', () => {
  for (const algorithm of ['EdDSA', 'RS256'] as const) {
    it(`${algorithm}: the same seed gives the same JWT bytes`, async () => {
      assert.equal(await sign((await ring(algorithm)).current), await sign((await ring(algorithm)).current));
    });
  }

  it('ES256: the same seed gives the same key, but each signature is randomized (ECDSA), so tokens differ', async () => {
    const one = await ring('ES256');
    const two = await ring('ES256');
    const [first, second] = [await sign(one.current), await sign(two.current)];
    const [firstSigned, firstSignature] = [first.slice(0, first.lastIndexOf('.')), first.split('.')[2]];
    assert.equal(second.slice(0, second.lastIndexOf('.')), firstSigned, 'same header and claims');
    assert.notEqual(second.split('.')[2], firstSignature);
    for (const token of [first, second]) await verify(token, createLocalJWKSet(one.jwks(NOW)));
  });

  it('RS256: a 2048-bit key with e = 65537 (jose refuses RSA keys under 2048 bits)', async () => {
    const details = (await ring('RS256')).current.privateKey.asymmetricKeyDetails;
    assert.equal(details?.modulusLength, 2048);
    assert.equal(details?.publicExponent, 65537n);
  });
});

/** A JWKS endpoint over a C1 state, on its own clock, counting the fetches (as /c1/auth/v1/jwks serves it). */
interface JwksServer {
  url: URL;
  fetches: number;
  now: Date;
  close(): Promise<void>;
}

async function serveJwks(state: C1State): Promise<JwksServer> {
  const served: JwksServer = {
    url: new URL('http://127.0.0.1/'),
    fetches: 0,
    now: NOW,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((_req, res) => {
    served.fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(c1Jwks(state, served.now)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  served.url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/c1/auth/v1/jwks`);
  return served;
}

for (const algorithm of C1_SIGNING_ALGORITHMS) {
  describe(`C1 key rotation: ${algorithm}`, () => {
    const grace = 5 * 60 * 1000;
    const rotatedAt = later(60 * 1000);
    let state: C1State;
    let jwks: JwksServer;
    let oldKid: string;
    let oldToken: string;
    let newToken: string;
    let cached: JWTVerifyGetKey;
    let refetching: JWTVerifyGetKey;

    before(async () => {
      state = await createC1State({ signing: { algorithm } }, NOW, SEED, { graceMs: grace });
      jwks = await serveJwks(state);
      oldKid = state.keys.current.kid;
      oldToken = await sign(state.keys.current);
      // two receivers verify the first delivery: one keeps that JWKS for ever, one re-fetches on an unknown kid
      cached = createLocalJWKSet(c1Jwks(state, NOW));
      refetching = createRemoteJWKSet(jwks.url, { cooldownDuration: 0 });
      await verify(oldToken, cached);
      await verify(oldToken, refetching);
    });
    after(() => jwks.close());

    it('rotates to a new key of the same algorithm that signs at once; the old one retires after the grace period', async () => {
      const rotation = await rotateC1Key(state, rotatedAt);
      assert.equal(rotation.alg, algorithm);
      assert.equal(rotation.previousKid, oldKid);
      assert.notEqual(rotation.kid, oldKid);
      assert.equal(rotation.retiresAt.getTime(), rotatedAt.getTime() + grace);
      assert.equal(state.keys.current.kid, rotation.kid);
      assert.equal(state.keys.current.alg, algorithm);
      jwks.now = rotatedAt;
      newToken = await sign(state.keys.current, 'j-new', Math.floor(rotatedAt.getTime() / 1000));
      assert.equal(decodeProtectedHeader(newToken).kid, rotation.kid);
    });

    it('publishes the new key first and keeps the old one during the grace period', () => {
      const published = c1Jwks(state, later(60 * 1000 + grace - 1));
      assert.deepEqual(kids(published), [state.keys.current.kid, oldKid]);
      for (const key of published.keys) assert.deepEqual([key.alg, key.use], [algorithm, 'sig']);
      assert.equal(jwks.fetches, 1);
    });

    it('a receiver that cached the old JWKS and never re-fetches refuses the new kid', async () => {
      await assert.rejects(verify(newToken, cached, rotatedAt), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    });

    it('a receiver that re-fetches the JWKS on an unknown kid verifies the new key, and still the old one', async () => {
      await verify(newToken, refetching, rotatedAt);
      assert.equal(jwks.fetches, 2, 're-fetched once, for the unknown kid');
      await verify(oldToken, refetching, rotatedAt);
    });

    it('drops the old key from the JWKS once the grace period is over', async () => {
      const retired = later(60 * 1000 + grace);
      assert.deepEqual(kids(c1Jwks(state, retired)), [state.keys.current.kid]);
      await assert.rejects(verify(oldToken, createLocalJWKSet(c1Jwks(state, retired))), {
        code: 'ERR_JWKS_NO_MATCHING_KEY',
      });
    });
  });
}

describe('C1 key ring bookkeeping', () => {
  it('records when each key was published, replaced and retired', async () => {
    const keys = await ring('EdDSA', SEED, 1000);
    const first = keys.current;
    await keys.rotate(later(10));
    assert.deepEqual(
      keys.keys.map((key) => [key.generation, key.publishedAt, key.supersededAt, key.retiresAt]),
      [
        [1, later(10), undefined, undefined],
        [0, NOW, later(10), later(1010)],
      ],
    );
    assert.equal(keys.keys[1], first);
  });

  it('keeps every key still within its grace period when rotations follow each other', async () => {
    const keys = await ring('ES256', SEED, 1000);
    const kid0 = keys.current.kid;
    const { kid: kid1 } = await keys.rotate(later(100));
    const { kid: kid2 } = await keys.rotate(later(600));
    assert.deepEqual(kids(keys.jwks(later(700))), [kid2, kid1, kid0]);
    assert.deepEqual(kids(keys.jwks(later(1100))), [kid2, kid1]);
    assert.deepEqual(kids(keys.jwks(later(1600))), [kid2]);
  });

  it('runs concurrent rotations one after another: consecutive generations, each replacing the one before', async () => {
    const keys = await ring('EdDSA');
    const kid0 = keys.current.kid;
    const [one, two] = await Promise.all([keys.rotate(later(1)), keys.rotate(later(2))]);
    assert.equal(one.previousKid, kid0);
    assert.equal(two.previousKid, one.kid);
    assert.deepEqual(
      keys.keys.map((key) => key.generation),
      [2, 1, 0],
    );
  });

  it('with a grace period of 0 the replaced key leaves the JWKS at once', async () => {
    const keys = await ring('EdDSA', SEED, 0);
    const { kid } = await keys.rotate(later(5));
    assert.deepEqual(kids(keys.jwks(later(5))), [kid]);
  });

  it('forgets the oldest retired keys beyond its history limit, never a published one', async () => {
    const keys = await C1KeyRing.create(SEED, NOW, { graceMs: 0, historyLimit: 2 });
    for (let step = 1; step <= 5; step += 1) await keys.rotate(later(step));
    assert.deepEqual(
      keys.keys.map((key) => key.generation),
      [5, 4, 3],
    );
  });

  it('refuses a negative grace period', async () => {
    await assert.rejects(C1KeyRing.create(SEED, NOW, { graceMs: -1 }), RangeError);
  });

  it('starts again from the seed when the state is made anew (a vendor reset)', async () => {
    const state = await createC1State({ signing: { algorithm: 'RS256' } }, NOW, SEED);
    const kid0 = state.keys.current.kid;
    await rotateC1Key(state, later(1));
    const reset = await createC1State({ signing: { algorithm: 'RS256' } }, later(2), SEED);
    assert.equal(reset.keys.current.kid, kid0);
    assert.deepEqual(kids(c1Jwks(reset, later(2))), [kid0]);
  });
});

describe('C1 inspector check: the JWKS as it was when the delivery was sent', () => {
  const ctx = { publicUrl: `http://${EXPECTED.issuer}` } as VendorContext;
  const deliveryAt = async (state: C1State, sentAt: Date, negative?: 'wrong-secret') => ({
    webhookId: 'w',
    event: 'c1.webhooks.v1.PayloadTest',
    sentAt,
    request: await buildC1Delivery(
      state.keys.current,
      {
        url: DESTINATION,
        event: { instanceId: 'i', callbackToken: 't', callbackUrl: 'u', event: 'e', body: Buffer.from('{}') },
        issuer: EXPECTED.issuer,
        jti: 'j',
        issuedAt: Math.floor(sentAt.getTime() / 1000),
      },
      negative,
    ),
  });

  for (const algorithm of C1_SIGNING_ALGORITHMS) {
    it(`${algorithm}: a delivery signed before a rotation verifies as of its sending, even after the old key retired`, async () => {
      const state = await createC1State({ signing: { algorithm } }, NOW, SEED, { graceMs: 1000 });
      const before = await deliveryAt(state, later(10));
      await rotateC1Key(state, later(20));
      const afterRotation = await deliveryAt(state, later(30));
      assert.equal((await verifyC1Delivery(before, state, ctx)).verified, true);
      assert.equal((await verifyC1Delivery(afterRotation, state, ctx)).verified, true);
      // the same old-key request, had it been sent once the old key left the JWKS, would not verify
      const late = await verifyC1Delivery({ ...before, sentAt: later(20 + 1000) }, state, ctx);
      assert.equal(late.verified, false);
      assert.match(late.reason, /does not verify/);
      const wrong = await verifyC1Delivery(await deliveryAt(state, later(40), 'wrong-secret'), state, ctx);
      assert.equal(wrong.verified, false);
    });
  }
});

describe('C1 fixture: signing.algorithm', () => {
  const c1 = vendors.find((vendor) => vendor.name === 'c1')!;
  const load = async (content: string): Promise<unknown> => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vwm-c1-keys-'));
    await writeFile(path.join(dir, 'c1.yaml'), content);
    return loadFixtureFile(dir, c1);
  };

  for (const algorithm of C1_SIGNING_ALGORITHMS) {
    it(`accepts ${algorithm} and signs with it`, async () => {
      const fixture = await load(`signing:\n  algorithm: ${algorithm}\nwebhooks: []\n`);
      assert.deepEqual(fixture, { signing: { algorithm }, webhooks: [] });
      const state = await createC1State({ signing: { algorithm } }, NOW, SEED);
      assert.equal(state.keys.current.alg, algorithm);
    });
  }

  for (const [what, content] of [
    ['an algorithm C1 does not sign with', 'signing:\n  algorithm: HS256\n'],
    ['an unknown key under signing', 'signing:\n  algorithm: ES256\n  privateKey: x\n'],
  ]) {
    it(`refuses ${what}`, async () => {
      await assert.rejects(load(content!), (error: unknown) => error instanceof FixtureError);
    });
  }
});

describe('C1 wrong-secret key', () => {
  it('is derived from the current kid, so a seeded run sends the same wrong key (EdDSA: as before)', async () => {
    const signer = await createSigner(SEED);
    const expected = await createSigner(
      createHash('sha256').update(`c1-negative-wrong-key:${signer.kid}`).digest(),
    );
    const request = await buildC1Delivery(
      signer,
      {
        url: DESTINATION,
        event: { instanceId: 'i', callbackToken: 't', callbackUrl: 'u', event: 'e', body: Buffer.from('{}') },
        issuer: EXPECTED.issuer,
        jti: 'j',
        issuedAt: ISSUED_AT,
      },
      'wrong-secret',
    );
    const token = /^bearer (.+)$/.exec(request.headers.Authorization ?? '')![1]!;
    await verify(token, createLocalJWKSet({ keys: [{ ...expected.publicJwk, kid: signer.kid }] }));
  });
});
