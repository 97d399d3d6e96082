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

/** Test calls: their delivery is signed with the Secret in the call's body, whatever the store holds. */
const TEST_OPERATIONS = new Set(['v1Webhook_TestWebhook', 'v1WebhookAgent_TestWebhook']);
/** Saves: a new or changed TargetUrl first gets a `test` event, signed with the Secret being saved. */
const SAVE_OPERATIONS = new Set([
  'v1Webhook_PostWebhook',
  'v1Webhook_PutWebhook',
  'v1WebhookAgent_SaveWebhook',
  'v1Webhook_PatchWebhook',
]);

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

type Cause = NonNullable<DeliveryToVerify['cause']>;

function parsedBody(cause: Cause): unknown {
  try {
    const parsed = parseSuperOfficeBody(header(cause.headers, 'content-type') ?? '', cause.body);
    return parsed.parsed ? parsed.value : undefined;
  } catch {
    return undefined;
  }
}

/** A Secret as a body carries it: a string, or none at all ('': null or missing); undefined for anything else. */
function secretValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : undefined;
}

/**
 * The Secret a JSON Patch (ops on `/Secret`, any case) or a merge patch (a `Secret` member) sets; undefined when
 * the patch leaves it alone, so the webhook's own Secret signed the test event.
 */
function secretInPatch(body: unknown): string | undefined {
  if (Array.isArray(body)) {
    let secret: string | undefined;
    for (const op of body as unknown[]) {
      if (op === null || typeof op !== 'object') continue;
      const entry = Object.fromEntries(Object.entries(op).map(([key, value]) => [key.toLowerCase(), value]));
      if (typeof entry.path !== 'string' || entry.path.replace(/^\//, '').toLowerCase() !== 'secret')
        continue;
      if (entry.op === 'remove') secret = '';
      else if (entry.op === 'add' || entry.op === 'replace') secret = secretValue(entry.value);
    }
    return secret;
  }
  if (body !== null && typeof body === 'object' && 'Secret' in body)
    return secretValue((body as { Secret: unknown }).Secret);
  return undefined;
}

/**
 * The Secret the call that caused a `test` delivery had in its body, when it was a test call or a save, and the
 * words for where it came from; undefined for any other call, or a patch that left the Secret alone.
 */
function secretOfCause(
  cause: Cause | undefined,
  event: string,
): { secret: string; source: string } | undefined {
  const operation = cause?.operationId ?? '';
  if (cause === undefined || event !== 'test') return undefined;
  const body = parsedBody(cause);
  if (TEST_OPERATIONS.has(operation)) {
    const webhook = body !== null && typeof body === 'object' && 'Webhook' in body ? body.Webhook : body;
    const secret =
      webhook !== null && typeof webhook === 'object'
        ? secretValue((webhook as { Secret?: unknown }).Secret)
        : undefined;
    return secret === undefined ? undefined : { secret, source: "the Secret in the test call's body" };
  }
  if (!SAVE_OPERATIONS.has(operation)) return undefined;
  const secret =
    operation === 'v1Webhook_PatchWebhook'
      ? secretInPatch(body)
      : secretValue((body as { Secret?: unknown } | null)?.Secret);
  return secret === undefined ? undefined : { secret, source: "the Secret the save's body carried" };
}

/** The secret to check a delivery with: from the call that caused it, else the stored (or deleted) webhook's. */
function secretFor(
  delivery: DeliveryToVerify,
  state: SuperOfficeState,
): { secret: string; source: string } | string {
  const fromCause = secretOfCause(delivery.cause, delivery.event);
  if (fromCause !== undefined) return fromCause;
  const id = /^\d+$/.test(delivery.webhookId) ? Number(delivery.webhookId) : undefined;
  const stored = id === undefined ? undefined : state.webhooks.get(id);
  if (stored !== undefined) return { secret: stored.Secret, source: "the webhook's Secret" };
  const deleted = id === undefined ? undefined : state.deletedWebhooks.get(id);
  if (deleted !== undefined)
    return { secret: deleted.Secret, source: 'the Secret the webhook had when it was deleted' };
  return delivery.cause === undefined
    ? `webhook ${delivery.webhookId} is not in the store, and the call that caused the delivery is no longer in the journal, so the secret is unknown`
    : `webhook ${delivery.webhookId} is not in the store, and the call that caused the delivery (${delivery.cause.operationId ?? 'unknown operation'}) carries no Secret`;
}

/**
 * `X-SuperOffice-Signature: base64(HMAC-SHA256(secret, raw body))`, with the Secret of the call that caused a
 * test delivery (a test call or a save) and the stored webhook's otherwise — or, for a webhook deleted since,
 * the one it had then. A webhook without a Secret gets unsigned deliveries: `unsigned`, neither pass nor fail.
 */
export function verifySuperOfficeDelivery(
  delivery: DeliveryToVerify,
  state: SuperOfficeState,
): DeliveryVerification {
  const { headers, body } = delivery.request;
  const signature = header(headers, 'x-superoffice-signature');
  const found = secretFor(delivery, state);
  if (typeof found === 'string') return { verified: false, reason: found };
  const { secret, source } = found;
  if (secret === '')
    return signature === undefined
      ? {
          verified: false,
          unsigned: true,
          reason: 'the webhook has no Secret, and SuperOffice signs only with one',
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
