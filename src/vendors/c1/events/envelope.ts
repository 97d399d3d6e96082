/**
 * The one envelope of every C1 delivery (c1.webhooks.v1.Body, product/admin/webhooks.mdx "Webhook requests").
 */
import type { C1Payload } from './types.js';

export interface C1EnvelopeInput {
  /** The WebhookInstance id: the body's `webhookId` and the `Webhook-Id` header, C1's de-duplication key. */
  instanceId: string;
  callbackUrl: string;
  /** The event name, e.g. `c1.webhooks.v1.PayloadProvisionStep`. */
  event: string;
  payload: C1Payload;
}

/**
 * The exact bytes C1 sends: `{"version":"v1","webhookId":…,"callbackUrl":…,"event":…,"payload":{"@type":…}}`,
 * in that order, compact. The JWT's `htb_s256` and `Content-Digest` are computed over these bytes.
 */
export function c1EventBody({ instanceId, callbackUrl, event, payload }: C1EnvelopeInput): Buffer {
  return Buffer.from(JSON.stringify({ version: 'v1', webhookId: instanceId, callbackUrl, event, payload }));
}
