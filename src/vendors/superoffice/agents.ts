import type { VendorResponse } from '../../core/vendor-module.js';
import { defaultWebhook, invalid, isPlainObject, readWebhookFields } from './model.js';
import { signalEvent } from './signal.js';
import { pingWebhook } from './test-call.js';
import type { WebhookInput } from './test-call.js';
import {
  filterWebhooks,
  findWebhook,
  intParam,
  lastErrorOf,
  removeWebhook,
  saveWebhook,
} from './webhooks.js';
import type { SoCall } from './webhooks.js';

/**
 * The Webhook agent of the HTTP RPC Agents API (`POST /api/v1/Agents/Webhook/<Method>`), as
 * @superoffice/webapi's WebhookAgent calls it. It works on the same store as the REST resource; its answers
 * are plain Webhook carriers (no `_Links`).
 */

function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (!isPlainObject(body)) invalid([{ field: 'body', message: 'must be an object' }]);
  return body;
}

function optionalText(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') invalid([{ field: `body.${name}`, message: 'must be a string' }]);
  return value;
}

/** CreateDefaultWebhook: no body. */
export function agentCreateDefaultWebhook(): VendorResponse {
  return { status: 200, body: defaultWebhook() };
}

/** GetWebhook?webhookId=N */
export function agentGetWebhook({ request, state }: SoCall): VendorResponse {
  return { status: 200, body: findWebhook(state, intParam(request.query.webhookId)) };
}

/** SaveWebhook: creates when WebhookId is 0 or absent, otherwise changes that webhook (404 if unknown). */
export async function agentSaveWebhook(call: SoCall): Promise<VendorResponse> {
  const body = bodyObject(call.request.body);
  const fields = readWebhookFields(body, 'body');
  const id = typeof body.WebhookId === 'number' ? body.WebhookId : 0;
  const existing = id > 0 ? findWebhook(call.state, id) : undefined;
  return { status: 200, body: await saveWebhook(call, existing, fields, 'body') };
}

/** DeleteWebhook?WebhookId=N: 204. */
export function agentDeleteWebhook({ request, state }: SoCall): VendorResponse {
  removeWebhook(state, intParam(request.query.WebhookId));
  return { status: 204 };
}

/** GetAllWebhooks {NameFilter, EventFilter, StatusFilter} */
export function agentGetAllWebhooks({ request, state }: SoCall): VendorResponse {
  const body = bodyObject(request.body);
  const list = filterWebhooks(
    state,
    {
      name: optionalText(body, 'NameFilter'),
      event: optionalText(body, 'EventFilter'),
      status: optionalText(body, 'StatusFilter'),
    },
    'body.StatusFilter',
  );
  return { status: 200, body: list };
}

/** TestWebhook {Webhook: {...}}: 200 with a WebhookResult, Success or not. */
export async function agentTestWebhook(call: SoCall): Promise<VendorResponse> {
  const body = bodyObject(call.request.body);
  if (!isPlainObject(body.Webhook)) invalid([{ field: 'body.Webhook', message: 'is required' }]);
  const webhook = body.Webhook as unknown as WebhookInput;
  if (typeof webhook.TargetUrl !== 'string' || webhook.TargetUrl === '') {
    invalid([{ field: 'body.Webhook.TargetUrl', message: 'is required' }]);
  }
  const result = await pingWebhook(webhook, call.state, call.principal, call, 'body.Webhook.TargetUrl');
  return { status: 200, body: result };
}

/** SignalEvent {EventName, PrimaryKey, Data}: 204 once the subscribers have answered. */
export async function agentSignalEvent(call: SoCall): Promise<VendorResponse> {
  const body = bodyObject(call.request.body);
  const eventName = optionalText(body, 'EventName');
  if (eventName === undefined) invalid([{ field: 'body.EventName', message: 'is required' }]);
  const data = body.Data;
  if (data !== undefined && data !== null && !isPlainObject(data)) {
    invalid([{ field: 'body.Data', message: 'must be an object' }]);
  }
  const primaryKey = typeof body.PrimaryKey === 'number' ? body.PrimaryKey : 0;
  await signalEvent(call, eventName, primaryKey, data ?? undefined, 'body.EventName');
  return { status: 204 };
}

/** GetLastError {WebhookId}: the message as a JSON string. */
export function agentGetLastError({ request, state }: SoCall): VendorResponse {
  const body = bodyObject(request.body);
  if (typeof body.WebhookId !== 'number') invalid([{ field: 'body.WebhookId', message: 'is required' }]);
  return { status: 200, body: lastErrorOf(state, body.WebhookId) };
}
