/**
 * SuperOffice deliveries, deliberately wrong (`X-Mock-Negative`). `X-Superoffice-Signature` is only sent for
 * a webhook with a Secret, so the signature kinds only mean something for such webhooks.
 */
import type { NegativeKind } from '../../core/negative.js';
import { tamperBody, webhookMemory } from '../../core/negative.js';
import { signSuperOfficeBody } from './signing.js';

export const SUPEROFFICE_NEGATIVE_KINDS = [
  'tampered-body',
  'wrong-secret',
  'missing-signature',
  'duplicate-event-id',
] as const satisfies readonly NegativeKind[];

/** A SuperOffice event as it went out; kept per webhook so `duplicate-event-id` can send it again. */
export interface SoSentEvent {
  eventId: string;
  event: string;
  body: Buffer;
}

/** The last valid event delivered to each webhook: by `#<WebhookId>`, or by TargetUrl for unsaved ones. */
export const lastSuperOfficeEvents = webhookMemory<SoSentEvent>();

export function superOfficeWebhookKey(webhook: { WebhookId: number; TargetUrl: string }): string {
  return webhook.WebhookId > 0 ? `#${webhook.WebhookId}` : webhook.TargetUrl;
}

/**
 * The body sent and its `X-Superoffice-Signature` (undefined: no header), broken as `negative` says: the
 * body changed after signing, signed with another secret, or no signature.
 */
export function signedSuperOfficeBody(
  secret: string,
  body: Buffer,
  negative?: NegativeKind,
): { body: Buffer; signature: string | undefined } {
  const sent = negative === 'tampered-body' ? tamperBody(body) : body;
  if (negative === 'missing-signature') return { body: sent, signature: undefined };
  if (negative === 'wrong-secret') {
    return { body: sent, signature: signSuperOfficeBody(`${secret}-but-wrong`, body) };
  }
  return { body: sent, signature: secret === '' ? undefined : signSuperOfficeBody(secret, body) };
}
