/** Signature checks done the way a receiver does them, independent of the mock's code. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';

/**
 * C1: verify the bearer JWT against the mock's JWKS, then the body against `htb_s256` and Content-Digest. `at`
 * is the moment to check the JWT's times against (a seeded mock's frozen clock), else now.
 */
export async function verifyC1Delivery(
  jwksUrl: string,
  headers: Record<string, string>,
  rawBody: Buffer,
  expected: { audience: string; issuer: string; url: string; at?: Date },
): Promise<JWTPayload> {
  const match = /^bearer (.+)$/.exec(headers.authorization ?? '');
  if (match === null) throw new Error('no "bearer <JWT>" Authorization header');
  const jwks = createRemoteJWKSet(new URL(jwksUrl));
  const { payload } = await jwtVerify(match[1]!, jwks, {
    audience: expected.audience,
    issuer: expected.issuer,
    ...(expected.at === undefined ? {} : { currentDate: expected.at }),
  });
  const digest = createHash('sha256').update(rawBody).digest('base64');
  if (payload.htb_s256 !== digest) throw new Error('htb_s256 does not match the body');
  if (headers['content-digest'] !== `sha-256=${digest}`)
    throw new Error('Content-Digest does not match the body');
  if (payload.htm !== 'POST') throw new Error('htm is not POST');
  const target = new URL(expected.url);
  if (payload.htu !== `${target.origin}${target.pathname}`)
    throw new Error(`htu ${String(payload.htu)} is not the URL`);
  if (payload.c1typ !== 'wh') throw new Error('c1typ is not wh');
  return payload;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Shodai: `sha256=` hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`), as the SDK's verifier computes it. */
export function shodaiSignatureValid(
  secret: string,
  headers: Record<string, string>,
  rawBody: Buffer,
): boolean {
  const timestamp = headers['x-shodai-webhook-timestamp'] ?? '';
  const expected = `sha256=${createHmac('sha256', secret)
    .update(`${timestamp}.${rawBody.toString('utf8')}`)
    .digest('hex')}`;
  return safeEqual(expected, headers['x-shodai-webhook-signature'] ?? '');
}

/** SuperOffice: base64 HMAC-SHA256(secret, raw body), as dev-security.md's receivers compute it. */
export function superOfficeSignatureValid(
  secret: string,
  headers: Record<string, string>,
  rawBody: Buffer,
): boolean {
  const expected = createHmac('sha256', secret).update(rawBody).digest('base64');
  return safeEqual(expected, headers['x-superoffice-signature'] ?? '');
}
