import { setBounded } from './bounded-map.js';

/**
 * Negative deliveries: deliveries made wrong on purpose, so that a receiver can prove its verifier refuses
 * them. Which kinds a vendor offers, and how it makes each one, lives in the vendor's folder (`negative.ts`);
 * this is the shared vocabulary.
 */

export const NEGATIVE_KINDS = [
  'tampered-body',
  'wrong-secret',
  'stale-timestamp',
  'expired-jwt',
  'wrong-audience',
  'bad-content-digest',
  'missing-signature',
  'duplicate-event-id',
] as const;

export type NegativeKind = (typeof NEGATIVE_KINDS)[number];

/** What is wrong with each kind of negative delivery, in a few words (CLI table, errors). */
export const NEGATIVE_DESCRIPTIONS: Readonly<Record<NegativeKind, string>> = {
  'tampered-body': 'the body was changed after it was signed',
  'wrong-secret': 'signed with a secret (or key) the receiver does not have',
  'stale-timestamp': 'correctly signed, but the timestamp is 10 minutes old',
  'expired-jwt': 'the JWT expired 8 minutes ago',
  'wrong-audience': 'the JWT is for another host (aud)',
  'bad-content-digest': 'Content-Digest is not the digest of the body',
  'missing-signature': 'no signature at all',
  'duplicate-event-id': 'the previous valid event again, correctly signed (same event id)',
};

/** How old a stale timestamp is: well past the 300 s tolerance of Shodai's SDK verifier. */
export const STALE_SECONDS = 600;

export function isNegativeKind(value: string): value is NegativeKind {
  return (NEGATIVE_KINDS as readonly string[]).includes(value);
}

/**
 * The body as an attacker might change it after signing: a JSON object gets an extra `"tampered": true`
 * member (everything else byte-for-byte as it was); anything else gets one more byte.
 */
export function tamperBody(body: Buffer): Buffer {
  const text = body.toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const end = text.lastIndexOf('}');
      const empty = Object.keys(value).length === 0;
      return Buffer.from(`${text.slice(0, end)}${empty ? '' : ','}"tampered":true${text.slice(end)}`);
    }
  } catch {
    // not JSON: fall through
  }
  return Buffer.concat([body, Buffer.from(' ')]);
}

/** How many webhooks' last events are remembered per state; the one remembered first goes. */
export const WEBHOOK_MEMORY_LIMIT = 1000;

/** The last valid event per webhook, bounded (a webhook forgotten gets a fresh first event on a duplicate). */
export interface WebhookMemory<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
}

/**
 * Per-state memory of the last valid delivery to each webhook (for `duplicate-event-id`). Keyed by the
 * vendor's state object, so a reset, which makes a new state, forgets it.
 */
export function webhookMemory<T>(limit = WEBHOOK_MEMORY_LIMIT): (state: object) => WebhookMemory<T> {
  const byState = new WeakMap<object, Map<string, T>>();
  return (state) => {
    let memory = byState.get(state);
    if (memory === undefined) {
      memory = new Map();
      byState.set(state, memory);
    }
    const entries = memory;
    return {
      get: (key) => entries.get(key),
      set: (key, value) => {
        entries.delete(key); // most recently used last
        setBounded(entries, key, value, limit);
      },
    };
  };
}
