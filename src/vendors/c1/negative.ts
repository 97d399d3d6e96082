/**
 * C1 deliveries, right and deliberately wrong (`X-Mock-Negative`): the JWT, Content-Digest and body are made
 * as for a real delivery, then the one thing the kind names is broken.
 */
import { createHash } from 'node:crypto';
import type { DeliveryRequest } from '../../core/delivery.js';
import type { NegativeKind } from '../../core/negative.js';
import { STALE_SECONDS, tamperBody, webhookMemory } from '../../core/negative.js';
import type { C1Signer } from './signing.js';
import { bodyDigest, createSigner, signDeliveryToken } from './signing.js';

export const C1_NEGATIVE_KINDS = [
  'tampered-body',
  'wrong-secret',
  'expired-jwt',
  'wrong-audience',
  'bad-content-digest',
  'missing-signature',
  'duplicate-event-id',
] as const satisfies readonly NegativeKind[];

/** A C1 event as it goes out; kept per webhook so `duplicate-event-id` can send it again. */
export interface C1Event {
  /** The WebhookInstance id: body `webhookId` and `Webhook-Id`, C1's de-duplication key. */
  instanceId: string;
  callbackToken: string;
  callbackUrl: string;
  event: string;
  body: Buffer;
}

/** The last valid event delivered to each webhook (by webhook id). */
export const lastC1Events = webhookMemory<C1Event>();

export interface C1DeliveryInput {
  url: string;
  event: C1Event;
  /** `iss`: the mock's host. */
  issuer: string;
  jti: string;
  /** Unix seconds. */
  issuedAt: number;
}

/** The `wrong-secret` key made for each signing key (an RSA key takes a prime search: make it once). */
const wrongSigners = new WeakMap<C1Signer, Promise<C1Signer>>();

/**
 * The key of `wrong-secret`: one of the same algorithm that is not published, announced with the published
 * key's `kid` (derived from that `kid`, so a seeded run sends the same wrong key).
 */
function wrongSigner(signer: C1Signer): Promise<C1Signer> {
  let wrong = wrongSigners.get(signer);
  if (wrong === undefined) {
    const seed = createHash('sha256').update(`c1-negative-wrong-key:${signer.kid}`).digest();
    wrong = createSigner(seed, signer.alg).then((made) => ({ ...made, kid: signer.kid }));
    wrongSigners.set(signer, wrong);
  }
  return wrong;
}

/**
 * The request of a C1 delivery: `Authorization: bearer <JWT>`, `Content-Digest` and the `Webhook-*` headers,
 * broken as `negative` says (`duplicate-event-id` is the caller's business: it passes the earlier event).
 */
export async function buildC1Delivery(
  signer: C1Signer,
  input: C1DeliveryInput,
  negative?: NegativeKind,
): Promise<DeliveryRequest> {
  const { event } = input;
  const destination = new URL(input.url);
  const signedBody = event.body;
  const jwt = await signDeliveryToken(negative === 'wrong-secret' ? await wrongSigner(signer) : signer, {
    destination,
    body: signedBody,
    issuer: input.issuer,
    jti: input.jti,
    issuedAt: negative === 'expired-jwt' ? input.issuedAt - STALE_SECONDS : input.issuedAt,
    ...(negative === 'wrong-audience' ? { audience: `not-${destination.hostname}.invalid` } : {}),
  });
  const body = negative === 'tampered-body' ? tamperBody(signedBody) : signedBody;
  const digest = bodyDigest(negative === 'bad-content-digest' ? tamperBody(signedBody) : signedBody);
  return {
    url: input.url,
    headers: {
      ...(negative === 'missing-signature' ? {} : { Authorization: `bearer ${jwt}` }),
      'Content-Digest': `sha-256=${digest}`,
      'Content-Type': 'application/json',
      'Webhook-Version': 'v1',
      'Webhook-Id': event.instanceId,
      'Webhook-Event': event.event,
      'Webhook-Callback-Url': event.callbackUrl,
    },
    body,
  };
}
