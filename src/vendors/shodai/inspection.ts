/**
 * What the admin API's inspector asks of Shodai: the stored subscriptions, a client's test call, and an
 * independent check of a delivery's signature (recomputed here from the stored secret, not with signing.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type {
  ClientCall,
  DeliveryToVerify,
  DeliveryVerification,
  WebhookSummary,
} from '../../core/vendor-module.js';
import type { ShodaiState } from './state.js';

export function listShodaiWebhooks(state: ShodaiState): WebhookSummary[] {
  return [...state.subscriptions.values()].map((subscription) => ({
    id: subscription.id,
    name: subscription.id,
    url: subscription.url,
    status: subscription.status,
  }));
}

/** `POST /v0/webhooks/{id}/test` with an API key of the subscription's principal (a usable one first). */
export function shodaiTestCall(state: ShodaiState, webhookId: string): ClientCall | undefined {
  const subscription = state.subscriptions.get(webhookId);
  if (subscription === undefined) return undefined;
  const keys = [...state.apiKeys.values()].filter((key) => key.principalId === subscription.principalId);
  const key = keys.find((entry) => entry.entitlement === 'free_allowlist') ?? keys[0];
  return {
    method: 'POST',
    path: `/v0/webhooks/${encodeURIComponent(webhookId)}/test`,
    headers: key === undefined ? {} : { 'x-api-key': key.key },
  };
}

function header(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

/** How far the timestamp may be from the receiver's clock: `verifyWebhookSignature`'s default tolerance. */
const TOLERANCE_SECONDS = 300;

/**
 * `x-shodai-webhook-signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>`, and a timestamp
 * within the SDK's tolerance of the moment it was sent (as a receiver checks it on arrival).
 */
export function verifyShodaiDelivery(delivery: DeliveryToVerify, state: ShodaiState): DeliveryVerification {
  const { headers, body } = delivery.request;
  const signature = header(headers, 'x-shodai-webhook-signature');
  const timestamp = header(headers, 'x-shodai-webhook-timestamp');
  if (signature === undefined) return { verified: false, reason: 'no x-shodai-webhook-signature header' };
  if (timestamp === undefined) return { verified: false, reason: 'no x-shodai-webhook-timestamp header' };
  const subscription = state.subscriptions.get(delivery.webhookId);
  if (subscription === undefined)
    return {
      verified: false,
      reason: `subscription ${delivery.webhookId} is not in the store (any more), so its secret is unknown`,
    };
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', subscription.secret).update(`${timestamp}.`).update(body).digest('hex')}`,
  );
  const presented = Buffer.from(signature.trim());
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented))
    return {
      verified: false,
      reason: "the signature is not the HMAC-SHA256 of timestamp + '.' + body with the subscription's secret",
    };
  const skew = Math.round(delivery.sentAt.getTime() / 1000 - Number(timestamp));
  if (!/^\d+$/.test(timestamp.trim()))
    return { verified: false, reason: 'the HMAC matches, but the timestamp is not in unix seconds' };
  if (Math.abs(skew) > TOLERANCE_SECONDS)
    return {
      verified: false,
      reason: `the HMAC matches, but the timestamp is ${Math.abs(skew)} s ${skew > 0 ? 'before' : 'after'} the sending time (Shodai's SDK allows ${TOLERANCE_SECONDS} s)`,
    };
  return {
    verified: true,
    reason:
      "HMAC-SHA256 of timestamp + '.' + body with the subscription's secret matches, and the timestamp is the sending time's",
  };
}
