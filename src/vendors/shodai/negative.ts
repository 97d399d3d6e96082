/**
 * Shodai deliveries, right and deliberately wrong (`X-Mock-Negative`): the `x-shodai-webhook-*` headers are
 * made as for a real delivery, then the one thing the kind names is broken.
 */
import { createHash } from 'node:crypto';
import type { DeliveryRequest } from '../../core/delivery.js';
import type { NegativeKind } from '../../core/negative.js';
import { STALE_SECONDS, tamperBody, webhookMemory } from '../../core/negative.js';
import { signShodaiDelivery } from './signing.js';

export const SHODAI_NEGATIVE_KINDS = [
  'tampered-body',
  'wrong-secret',
  'stale-timestamp',
  'missing-signature',
  'duplicate-event-id',
] as const satisfies readonly NegativeKind[];

/** A Shodai event as it goes out; kept per subscription so `duplicate-event-id` can send it again. */
export interface ShodaiEvent {
  id: string;
  type: string;
  body: Buffer;
}

/** The last valid event delivered to each subscription (by subscription id). */
export const lastShodaiEvents = webhookMemory<ShodaiEvent>();

/** A well-formed `whsec_` secret that is not `secret`. */
export function wrongShodaiSecret(secret: string): string {
  return `whsec_${createHash('sha256').update(`shodai-negative-wrong-secret:${secret}`).digest('hex')}`;
}

/**
 * The request of a Shodai delivery (`x-shodai-webhook-id`, `-timestamp` and `-signature` =
 * `sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`), broken as `negative` says. `timestamp` is unix
 * seconds; `stale-timestamp` signs, correctly, a timestamp 10 minutes older.
 */
export function buildShodaiDelivery(
  url: string,
  secret: string,
  event: ShodaiEvent,
  timestamp: number,
  negative?: NegativeKind,
): DeliveryRequest {
  const sentAt = String(negative === 'stale-timestamp' ? timestamp - STALE_SECONDS : timestamp);
  const key = negative === 'wrong-secret' ? wrongShodaiSecret(secret) : secret;
  const signature = signShodaiDelivery(key, sentAt, event.body);
  return {
    url,
    headers: {
      'content-type': 'application/json',
      'x-shodai-webhook-id': event.id,
      'x-shodai-webhook-timestamp': sentAt,
      ...(negative === 'missing-signature' ? {} : { 'x-shodai-webhook-signature': signature }),
    },
    body: negative === 'tampered-body' ? tamperBody(event.body) : event.body,
  };
}
