/**
 * What the admin API's inspector asks of C1: the stored webhooks, a client's test call, and an independent
 * check of a delivery's signature (written from C1's documentation, not from signing.ts, so it catches a
 * signer that went wrong).
 */
import { createHash } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type {
  ClientCall,
  DeliveryToVerify,
  DeliveryVerification,
  VendorContext,
  WebhookSummary,
} from '../../core/vendor-module.js';
import type { C1State } from './state.js';

export function listC1Webhooks(state: C1State): WebhookSummary[] {
  return [...state.webhooks.values()].map((webhook) => ({
    id: webhook.id,
    name: webhook.displayName,
    url: webhook.url,
  }));
}

/** `POST /api/v1/webhooks/{id}/test` with the first fixture access token that has not expired. */
export function c1TestCall(state: C1State, webhookId: string, now: Date): ClientCall | undefined {
  if (!state.webhooks.has(webhookId)) return undefined;
  const token = [...state.accessTokens.entries()].find(
    ([, entry]) => entry.expiresAt === undefined || entry.expiresAt > now,
  )?.[0];
  return {
    method: 'POST',
    path: `/api/v1/webhooks/${encodeURIComponent(webhookId)}/test`,
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: '{}',
  };
}

function header(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

/** `sha-256=<base64>` as the mock sends it, or RFC 9530's structured form `sha-256=:<base64>:`. */
function digestOf(contentDigest: string): string | undefined {
  for (const member of contentDigest.split(',')) {
    const match = /^\s*sha-256\s*=\s*:?([A-Za-z0-9+/=]+):?\s*$/i.exec(member);
    if (match !== null) return match[1];
  }
  return undefined;
}

const fail = (reason: string): DeliveryVerification => ({ verified: false, reason });

/**
 * Verifies as a receiver would: the bearer JWT (RS256, ES256 or EdDSA) against the mock's JWKS as it was at
 * the moment of sending (the keys /c1/auth/v1/jwks published then, including replaced keys in their grace
 * period), its claims (iss, aud, c1typ, htm, htu, htb_s256) and the Content-Digest header.
 */
export async function verifyC1Delivery(
  delivery: DeliveryToVerify,
  state: C1State,
  ctx: VendorContext,
): Promise<DeliveryVerification> {
  const { headers, body, url } = delivery.request;
  const authorization = header(headers, 'authorization');
  const match = /^bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (match === null) return fail('no "Authorization: bearer <JWT>" header');
  const bodyHash = createHash('sha256').update(body).digest('base64');
  const destination = new URL(url);
  let claims: Record<string, unknown>;
  try {
    const published = { keys: state.keys.keysPublishedAt(delivery.sentAt).map((key) => key.publicJwk) };
    const verified = await jwtVerify(match[1]!, createLocalJWKSet(published), {
      algorithms: ['EdDSA', 'ES256', 'RS256'],
      issuer: new URL(ctx.publicUrl).host,
      audience: destination.hostname,
      currentDate: delivery.sentAt,
    });
    claims = verified.payload;
  } catch (error) {
    return fail(`the JWT does not verify against the mock's JWKS: ${(error as Error).message}`);
  }
  if (claims.c1typ !== 'wh') return fail(`the JWT's c1typ is ${JSON.stringify(claims.c1typ)}, not "wh"`);
  if (claims.htm !== 'POST') return fail(`the JWT's htm is ${JSON.stringify(claims.htm)}, not "POST"`);
  const htu = `${destination.origin}${destination.pathname}`;
  if (claims.htu !== htu) return fail(`the JWT's htu is ${JSON.stringify(claims.htu)}, not "${htu}"`);
  if (claims.htb_s256 !== bodyHash) return fail("the JWT's htb_s256 is not the SHA-256 of the body");
  const contentDigest = header(headers, 'content-digest');
  if (contentDigest === undefined) return fail('no Content-Digest header');
  if (digestOf(contentDigest) !== bodyHash) return fail('Content-Digest is not the SHA-256 of the body');
  return {
    verified: true,
    reason:
      "the JWT verifies against the mock's JWKS (iss, aud, exp/nbf at sending time), and htb_s256, htm, htu and Content-Digest match the request",
  };
}
