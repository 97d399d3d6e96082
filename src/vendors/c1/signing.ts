import { createHash, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK } from 'jose';
import type { JWK } from 'jose';
import { derivePrivateKey } from './key-derivation.js';
import type { C1SigningAlgorithm } from './key-derivation.js';

/**
 * A key the mock signs C1 deliveries with, published at /c1/auth/v1/jwks. C1 signs with RS256, ES256 or
 * EdDSA, whichever the tenant's signing key is (c1.yaml `signing.algorithm`, default EdDSA); `kid` is the
 * public key's RFC 7638 thumbprint.
 */
export interface C1Signer {
  alg: C1SigningAlgorithm;
  kid: string;
  privateKey: KeyObject;
  /** The public key as the JWKS lists it: with `kid`, `alg` and `use: "sig"`. */
  publicJwk: JWK;
}

/**
 * The signer made from a seed (at least 32 bytes: the server's signing seed, random or from --seed) for an
 * algorithm and a generation (0 = first key, n = after n rotations); the same arguments give the same key.
 * The default, EdDSA generation 0, is the Ed25519 key whose private key is the seed's first 32 bytes.
 */
export async function createSigner(
  seed: Buffer,
  algorithm: C1SigningAlgorithm = 'EdDSA',
  generation = 0,
): Promise<C1Signer> {
  const privateKey = derivePrivateKey(seed, algorithm, generation);
  const jwk = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(jwk);
  return { alg: algorithm, kid, privateKey, publicJwk: { ...jwk, kid, alg: algorithm, use: 'sig' } };
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
