/**
 * What the admin API's inspector asks of SuperOffice: the stored webhooks, a client's test call, and an
 * independent check of a delivery's signature (recomputed here, not with signing.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type {
  ClientCall,
  DeliveryToVerify,
  DeliveryVerification,
  WebhookSummary,
} from '../../core/vendor-module.js';
import { parseSuperOfficeBody } from './content.js';
import type { SuperOfficeState } from './state.js';

/** The operations whose deliveries are signed with the Secret in the request body, not the stored one. */
const TEST_OPERATIONS = new Set(['v1Webhook_TestWebhook', 'v1WebhookAgent_TestWebhook']);

export function listSuperOfficeWebhooks(state: SuperOfficeState): WebhookSummary[] {
  return [...state.webhooks.values()].map((webhook) => ({
    id: String(webhook.WebhookId),
    name: webhook.Name,
    url: webhook.TargetUrl,
    status: webhook.State,
  }));
}

/** The first credential the fixtures offer: Basic, then SOTicket, then Bearer, then X-XSRF-TOKEN. */
function credential(state: SuperOfficeState): Record<string, string> {
  const [user, entry] = [...state.basicUsers.entries()][0] ?? [];
  if (user !== undefined && entry !== undefined)
    return { authorization: `Basic ${Buffer.from(`${user}:${entry.password}`).toString('base64')}` };
  const ticket = [...state.tickets.keys()][0];
  if (ticket !== undefined) return { authorization: `SOTicket ${ticket}` };
  const token = [...state.accessTokens.keys()][0];
  if (token !== undefined) return { authorization: `Bearer ${token}` };
  const xsrf = [...state.xsrfTokens.keys()][0];
  return xsrf === undefined ? {} : { 'x-xsrf-token': xsrf };
}

/** `POST /api/v1/Webhook/Test` with the stored webhook's definition as the body, as a client pings it. */
export function superOfficeTestCall(state: SuperOfficeState, webhookId: string): ClientCall | undefined {
  const webhook = /^\d+$/.test(webhookId) ? state.webhooks.get(Number(webhookId)) : undefined;
  if (webhook === undefined) return undefined;
  const appToken = [...state.appTokens][0];
  return {
    method: 'POST',
    path: '/api/v1/Webhook/Test',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...credential(state),
      ...(appToken === undefined ? {} : { 'so-apptoken': appToken }),
    },
    body: JSON.stringify({
      WebhookId: webhook.WebhookId,
      Name: webhook.Name,
      TargetUrl: webhook.TargetUrl,
      Secret: webhook.Secret,
      Headers: webhook.Headers,
      Properties: webhook.Properties,
    }),
  };
}

function header(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

/** The Secret a test call's body carried (`Secret`, or the agent's `Webhook.Secret`); '' for none. */
function secretInBody(cause: NonNullable<DeliveryToVerify['cause']>): string | undefined {
  try {
    const parsed = parseSuperOfficeBody(header(cause.headers, 'content-type') ?? '', cause.body);
    if (!parsed.parsed || parsed.value === null || typeof parsed.value !== 'object') return undefined;
    const body = parsed.value as { Secret?: unknown; Webhook?: { Secret?: unknown } };
    const secret = 'Webhook' in body && typeof body.Webhook === 'object' ? body.Webhook?.Secret : body.Secret;
    return typeof secret === 'string' ? secret : '';
  } catch {
    return undefined;
  }
}

/**
 * `X-SuperOffice-Signature: base64(HMAC-SHA256(secret, raw body))`, with the Secret of the test call's body for
 * a test delivery and the stored webhook's otherwise.
 */
export function verifySuperOfficeDelivery(
  delivery: DeliveryToVerify,
  state: SuperOfficeState,
): DeliveryVerification {
  const { headers, body } = delivery.request;
  const signature = header(headers, 'x-superoffice-signature');
  let secret: string | undefined;
  let source = "the webhook's Secret";
  if (delivery.cause !== undefined && TEST_OPERATIONS.has(delivery.cause.operationId ?? '')) {
    secret = secretInBody(delivery.cause);
    source = "the Secret in the test call's body";
  }
  if (secret === undefined) {
    const stored = /^\d+$/.test(delivery.webhookId)
      ? state.webhooks.get(Number(delivery.webhookId))
      : undefined;
    secret = stored?.Secret;
    source = "the webhook's Secret";
  }
  if (secret === undefined)
    return {
      verified: false,
      reason: `webhook ${delivery.webhookId} is not in the store and the call that caused the delivery is no longer in the journal, so the secret is unknown`,
    };
  if (secret === '')
    return signature === undefined
      ? {
          verified: false,
          reason: 'not signed: the webhook has no Secret, and SuperOffice signs only with one',
        }
      : { verified: false, reason: 'signed although the webhook has no Secret' };
  if (signature === undefined) return { verified: false, reason: 'no X-SuperOffice-Signature header' };
  const expected = Buffer.from(
    createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('base64'),
  );
  const presented = Buffer.from(signature.trim());
  return expected.length === presented.length && timingSafeEqual(expected, presented)
    ? { verified: true, reason: `base64 HMAC-SHA256 of the body with ${source} matches` }
    : { verified: false, reason: `the signature is not the base64 HMAC-SHA256 of the body with ${source}` };
}
