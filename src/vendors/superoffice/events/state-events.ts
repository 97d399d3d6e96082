/**
 * Webhook state events (reference/state-events.md): when a webhook's State changes NetServer signals
 * `webhook<id>.started` (State set to Active), `webhook<id>.stopped` (Stopped) or `webhook<id>.errors`
 * (TooManyErrors, or stopped by a 410 Gone). That name is what webhooks subscribe to and what the
 * X-SuperOffice-Event header carries; the body's `Event` is `webhook.started` etc., without an `Entity`.
 */
import type { Associate, SoWebhook } from '../state.js';
import type { SoEventPart, WebhookStateKind } from './types.js';
import { soDateTime } from './values.js';

export const WEBHOOK_STATE_KINDS: readonly WebhookStateKind[] = ['started', 'stopped', 'errors'];

/** FieldValues `state` as the page lists it: "0 = Active, 1 = Stopped, 2 = TooManyErrors". */
export const WEBHOOK_STATE_CODES: Readonly<Record<WebhookStateKind, number>> = {
  started: 0,
  stopped: 1,
  errors: 2,
};

/** The kind of state event a webhook's new State raises; Unknown raises none. */
export function stateEventKind(state: SoWebhook['State']): WebhookStateKind | undefined {
  if (state === 'Active') return 'started';
  if (state === 'Stopped') return 'stopped';
  if (state === 'TooManyErrors') return 'errors';
  return undefined;
}

/** The name to subscribe to (and the header's value): `webhook123.stopped`. */
export function webhookStateEventName(webhookId: number, kind: WebhookStateKind): string {
  return `webhook${webhookId}.${kind}`;
}

/** `webhook<id>.<kind>` split up, or undefined for any other name (case-insensitive, as subscriptions are). */
export function parseWebhookStateEventName(
  name: string,
): { webhookId: number; kind: WebhookStateKind } | undefined {
  const match = /^webhook(\d+)\.(started|stopped|errors)$/i.exec(name.trim());
  if (match === null) return undefined;
  return { webhookId: Number(match[1]), kind: match[2]!.toLowerCase() as WebhookStateKind };
}

/** The webhook fields a state event reports (a stored `SoWebhook` has them). */
export interface StateEventSource {
  WebhookId: number;
  Registered: string;
  Updated: string;
  RegisteredAssociate: Pick<Associate, 'AssociateId'> | null;
  UpdatedAssociate: Pick<Associate, 'AssociateId'> | null;
}

const NET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** A stored date as a .NET DateTime string; stored ones already are, anything else parseable is converted. */
function netDateTime(value: string): string {
  if (NET_DATE_TIME.test(value)) return value;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? value : soDateTime(parsed);
}

/**
 * The state event about `webhook` (PrimaryKey = its WebhookId; ChangedByAssociateId 0, as the page's examples
 * show: NetServer itself raises it). `eventsSent` fills FieldValues `events`, "number of events sent to the
 * webhook"; the mock keeps no such count, so the caller passes one (default 0).
 */
export function webhookStateEvent(
  webhook: StateEventSource,
  kind: WebhookStateKind,
  eventsSent = 0,
): SoEventPart {
  return {
    Event: `webhook.${kind}`,
    PrimaryKey: webhook.WebhookId,
    Changes: [],
    FieldValues: {
      events: eventsSent,
      registered: netDateTime(webhook.Registered),
      registered_associate_id: webhook.RegisteredAssociate?.AssociateId ?? 0,
      state: WEBHOOK_STATE_CODES[kind],
      updated: netDateTime(webhook.Updated),
      updated_associate_id: webhook.UpdatedAssociate?.AssociateId ?? 0,
    },
    ChangedByAssociateId: 0,
  };
}
