/** What scenario rules match on in a SuperOffice request: the credential presented and the webhook meant. */
import { ownValue } from '../../core/safe-object.js';
import type { VendorRequest } from '../../core/vendor-module.js';

/** The Basic user name, or the SOTicket/Bearer value, or the X-XSRF-TOKEN. */
export function superOfficeCredential(headers: Record<string, string | undefined>): string | undefined {
  const match = /^(\S+)\s+(.+)$/.exec(headers.authorization?.trim() ?? '');
  if (match === null) return headers['x-xsrf-token']?.trim() || undefined;
  if (match[1]!.toLowerCase() === 'basic')
    return Buffer.from(match[2]!, 'base64').toString('utf8').split(':')[0];
  return match[2];
}

function ownPath(body: unknown, keys: string[]): unknown {
  let node = body;
  for (const key of keys) {
    if (node === null || typeof node !== 'object') return undefined;
    node = ownValue(node, key);
  }
  return node;
}

/** A path id, the agents' `webhookId`/`WebhookId` query, or a `WebhookId` in the body (also `Webhook.WebhookId`). */
export function superOfficeTargetWebhook(
  request: Pick<VendorRequest, 'params' | 'query' | 'body'>,
): string | undefined {
  const fromPath = request.params.id ?? request.params.webhookId;
  if (fromPath !== undefined) return fromPath;
  const fromQuery = request.query.webhookId ?? request.query.WebhookId;
  if (typeof fromQuery === 'string') return fromQuery;
  const fromBody = ownPath(request.body, ['WebhookId']) ?? ownPath(request.body, ['Webhook', 'WebhookId']);
  return typeof fromBody === 'number' || typeof fromBody === 'string' ? String(fromBody) : undefined;
}
