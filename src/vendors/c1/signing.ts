import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK } from 'jose';
import type { JWK } from 'jose';

/**
 * The key the mock signs C1 deliveries with, published at /c1/auth/v1/jwks. C1 signs with RS256, ES256 or
 * EdDSA; the mock uses EdDSA (Ed25519) because its signatures are deterministic: the same key and claims give
 * the same JWT, which a seeded run needs.
 */
export interface C1Signer {
  alg: 'EdDSA';
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

/** PKCS #8 prefix of an Ed25519 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The Ed25519 key made from a 32-byte seed (the server's signing seed: random, or from --seed). */
export async function createSigner(seed: Buffer): Promise<C1Signer> {
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed.subarray(0, 32)]),
    format: 'der',
    type: 'pkcs8',
  });
  const jwk = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(jwk);
  return { alg: 'EdDSA', kid, privateKey, publicJwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' } };
}

/** Base64 (standard alphabet, padded) SHA-256 of the body: C1's `Content-Digest` value and `htb_s256` claim. */
export function bodyDigest(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64');
}

export interface DeliveryTokenInput {
  destination: URL;
  body: Buffer;
  issuer: string;
  jti: string;
  issuedAt: number;
  /** The `aud` claim; default (and C1's rule): the destination's host name. */
  audience?: string;
}

/**
 * The `Authorization: bearer <JWT>` of a delivery, with C1's claims: aud = destination host name, c1typ "wh",
 * exp = iat + 2 min, nbf = iat - 1 min, htb_s256, htm, htu (destination without query), iss, jti.
 */
export function signDeliveryToken(signer: C1Signer, input: DeliveryTokenInput): Promise<string> {
  const htu = `${input.destination.origin}${input.destination.pathname}`;
  return new SignJWT({
    c1typ: 'wh',
    htb_s256: bodyDigest(input.body),
    htm: 'POST',
    htu,
  })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT' })
    .setAudience(input.audience ?? input.destination.hostname)
    .setIssuer(input.issuer)
    .setJti(input.jti)
    .setIssuedAt(input.issuedAt)
    .setNotBefore(input.issuedAt - 60)
    .setExpirationTime(input.issuedAt + 120)
    .sign(signer.privateKey);
}
