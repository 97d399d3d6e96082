import type { JWK } from 'jose';
import type { C1WebhookSource } from './events/types.js';
import type { C1Outcome } from './responses.js';
import { MockError } from '../../core/errors.js';
import { base62 } from '../../core/ids.js';
import type { IdSource } from '../../core/ids.js';
import type { C1Fixture } from './fixture-schema.js';
import { C1KeyRing } from './keys.js';
import type { C1KeyRingOptions } from './keys.js';

/** C1's Webhook (c1.api.webhooks.v1.Webhook). */
export interface C1Webhook {
  id: string;
  displayName: string;
  description: string;
  url: string;
  /** Protobuf JSON duration, e.g. "691200s". */
  callbackTimeout: string;
  createdAt: string;
  updatedAt: string;
}

export type WebhookState =
  | 'WEBHOOK_STATE_PENDING'
  | 'WEBHOOK_STATE_RUNNING'
  | 'WEBHOOK_STATE_ERROR'
  | 'WEBHOOK_STATE_WAITING_CALLBACK'
  | 'WEBHOOK_STATE_SUCCESS'
  | 'WEBHOOK_STATE_FATAL_ERROR';

/** One delivery of an event to a webhook (c1.api.webhooks.v1.WebhookInstance). */
export interface WebhookInstance {
  id: string;
  webhookId: string;
  state: WebhookState;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  lastAttemptedAt?: string;
  completedAt?: string;
  expiresAt: string;
  source: C1WebhookSource;
  spec: { destination: string };
}

export interface PendingCallback {
  instanceId: string;
  /** The event whose answer the callback carries (its response document is judged by the event). */
  event: string;
  /** The delivery it answers, to record the callback's outcome with it in the journal. */
  deliveryId: string;
  expiresAt: Date;
  used: boolean;
}

export interface AccessToken {
  expiresAt?: Date;
  clientId?: string;
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** The public half of the Ed25519 key inside a `secret-token:conductorone.com:v1:` secret, if it is one. */
  assertionKey?: JWK;
}

export interface C1State {
  /** The tenant's delivery-signing keys: `keys.current` signs, `keys.jwks(now)` is published. */
  keys: C1KeyRing;
  accessTokens: Map<string, AccessToken>;
  clients: Map<string, OAuthClient>;
  webhooks: Map<string, C1Webhook>;
  instances: Map<string, WebhookInstance>;
  /** What C1 made of each instance's answer (a response document's action, or why it was invalid). */
  outcomes: Map<string, C1Outcome>;
  callbacks: Map<string, PendingCallback>;
}

/** The default callback timeout: 8 days, as C1's documentation states. */
export const DEFAULT_CALLBACK_TIMEOUT = '691200s';

const SECRET_PREFIX = 'secret-token:conductorone.com:v1:';

/** The public JWK inside a C1 client secret (`secret-token:conductorone.com:v1:<base64 Ed25519 private JWK>`). */
export function assertionKeyFromSecret(secret: string): JWK | undefined {
  if (!secret.startsWith(SECRET_PREFIX)) return undefined;
  try {
    const jwk = JSON.parse(
      Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64url').toString('utf8'),
    ) as JWK;
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') return undefined;
    return { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  } catch {
    return undefined;
  }
}

/** A new id in C1's style: 27 base62 characters, like a KSUID. */
export function newC1Id(ids: IdSource): string {
  return `2${base62(ids, 26)}`;
}

/** Seconds of a protobuf duration such as "691200s". */
export function durationSeconds(duration: string): number {
  const match = /^(-?\d+(?:\.\d+)?)s$/.exec(duration);
  if (match === null) {
    throw new MockError(
      'invalid-request',
      `invalid duration ${JSON.stringify(duration)}; use seconds like "86400s"`,
      {
        fields: [{ field: 'body.callbackTimeout', message: 'must be a duration such as "86400s"' }],
      },
    );
  }
  return Number(match[1]);
}

/**
 * The C1 store as the fixture describes it. The signing keys start again from `signingSeed` with the fixture's
 * `signing.algorithm` (default EdDSA); `keyOptions` sets the rotation grace period.
 */
export async function createC1State(
  fixture: C1Fixture,
  now: Date,
  signingSeed: Buffer,
  keyOptions: Omit<C1KeyRingOptions, 'algorithm'> = {},
): Promise<C1State> {
  const stamp = now.toISOString();
  return {
    keys: await C1KeyRing.create(signingSeed, now, {
      ...keyOptions,
      algorithm: fixture.signing?.algorithm ?? 'EdDSA',
    }),
    accessTokens: new Map((fixture.accessTokens ?? []).map((entry) => [entry.token, {}])),
    clients: new Map(
      (fixture.clients ?? []).map((client) => {
        const assertionKey = assertionKeyFromSecret(client.clientSecret);
        return [
          client.clientId,
          {
            clientId: client.clientId,
            clientSecret: client.clientSecret,
            ...(assertionKey ? { assertionKey } : {}),
          },
        ];
      }),
    ),
    webhooks: new Map(
      (fixture.webhooks ?? []).map((webhook) => [
        webhook.id,
        {
          id: webhook.id,
          displayName: webhook.displayName,
          description: webhook.description ?? '',
          url: webhook.url,
          callbackTimeout: webhook.callbackTimeout ?? DEFAULT_CALLBACK_TIMEOUT,
          createdAt: webhook.createdAt ?? stamp,
          updatedAt: webhook.createdAt ?? stamp,
        },
      ]),
    ),
    instances: new Map(),
    outcomes: new Map(),
    callbacks: new Map(),
  };
}
