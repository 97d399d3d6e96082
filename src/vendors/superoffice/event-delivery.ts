import type { DeliveryOutcome } from '../../core/delivery.js';
import { describeResponse } from '../../core/delivery.js';
import type { VendorContext } from '../../core/vendor-module.js';
import { signSuperOfficeBody } from './signing.js';
import type { SoWebhook } from './state.js';

/** NetServer's webhook client identifies itself so; the version is the mock's choice. */
export const USER_AGENT = 'NetServer-Webhook/10.5.8845.1';

export interface SoEvent {
  event: string;
  entity: string;
  primaryKey: number;
  changes: string[];
  contextIdentifier: string;
  changedByAssociateId: number;
  /** Values from the record (notification.md's FieldValues); left out when undefined. */
  fieldValues?: Record<string, unknown>;
}

export type DeliverableWebhook = Pick<
  SoWebhook,
  'Name' | 'TargetUrl' | 'Secret' | 'Headers' | 'Properties'
> & {
  WebhookId: number;
};

/**
 * Delivers one SuperOffice event (the payload of dev-notification.md / test-event.md): the webhook's
 * `Properties` injected into the body, its `Headers` added, and `X-Superoffice-Signature` only when it has a
 * Secret. The test event also carries `X-Hook-Test: true`.
 */
export function deliverSuperOfficeEvent(
  ctx: VendorContext,
  requestId: string,
  webhook: DeliverableWebhook,
  event: SoEvent,
): Promise<DeliveryOutcome> {
  const eventId = ctx.ids.uuid();
  const core: Record<string, unknown> = {
    EventId: eventId,
    Timestamp: ctx.clock.now().toISOString(),
    Changes: event.changes,
    Event: event.event,
    PrimaryKey: event.primaryKey,
    Entity: event.entity,
    ContextIdentifier: event.contextIdentifier,
    ChangedByAssociateId: event.changedByAssociateId,
    WebhookName: webhook.Name,
  };
  if (event.fieldValues !== undefined) core.FieldValues = event.fieldValues;
  const payload = { ...core };
  for (const [key, value] of Object.entries(webhook.Properties)) if (!(key in core)) payload[key] = value;
  const body = Buffer.from(JSON.stringify(payload));

  const headers: Record<string, string> = {};
  const own = new Set<string>();
  const set = (name: string, value: string): void => {
    headers[name] = value;
    own.add(name.toLowerCase());
  };
  set('Content-Type', 'application/json; charset=utf-8');
  set('User-Agent', USER_AGENT);
  set('X-Superoffice-Event', event.event);
  if (event.event === 'test') set('X-Hook-Test', 'true');
  if (webhook.Secret !== '') set('X-Superoffice-Signature', signSuperOfficeBody(webhook.Secret, body));
  set('X-Superoffice-Eventid', eventId);
  for (const [name, value] of Object.entries(webhook.Headers)) {
    if (!own.has(name.toLowerCase()) && name.toLowerCase() !== 'content-length') headers[name] = value;
  }

  return ctx.deliver({
    requestId,
    vendor: 'superoffice',
    webhookId: String(webhook.WebhookId),
    event: event.event,
    request: { url: webhook.TargetUrl, headers, body },
  });
}

/** SuperOffice counts only 200 OK as success. */
export function isSuccess(outcome: DeliveryOutcome): boolean {
  return outcome.result.kind === 'response' && outcome.result.response.status === 200;
}

/** The receiver's status line, headers and body, or what went wrong on the way. */
export function describeOutcome(outcome: DeliveryOutcome): string {
  if (outcome.result.kind === 'response') return describeResponse(outcome.result.response);
  return `${outcome.result.kind}: ${outcome.result.message}`;
}
