import { createHash } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';

/** The key the mock signs C1 deliveries with: made at start-up, published at /c1/auth/v1/jwks. */
export interface C1Signer {
  alg: 'ES256';
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function createSigner(): Promise<C1Signer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { alg: 'ES256', kid, privateKey, publicJwk: { ...jwk, kid, alg: 'ES256', use: 'sig' } };
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
    .setAudience(input.destination.hostname)
    .setIssuer(input.issuer)
    .setJti(input.jti)
    .setIssuedAt(input.issuedAt)
    .setNotBefore(input.issuedAt - 60)
    .setExpirationTime(input.issuedAt + 120)
    .sign(signer.privateKey);
}
