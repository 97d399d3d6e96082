import type { EventReceiverWebhook, ReceiverCheck } from '../../core/vendor-module.js';
import { webhookStateEventName } from './events/state-events.js';
import type { WebhookStateKind } from './events/types.js';

/** The webhook `trigger --url` adds to the demo fixtures (the demo's own is 1). */
const EVENT_WEBHOOK_ID = 900;

/**
 * A webhook at the receiver subscribed to `event`. A state event (`webhook.stopped`, …) is subscribed to as
 * `webhook<id>.<kind>`, so the triggered one reports on the receiver's own webhook: PrimaryKey is its id.
 */
function eventWebhook(url: string, secret: string | undefined, event: string): EventReceiverWebhook {
  const state = /^webhook\.(started|stopped|errors)$/i.exec(event.trim());
  const kind = state?.[1]?.toLowerCase() as WebhookStateKind | undefined;
  return {
    id: String(EVENT_WEBHOOK_ID),
    fixture: {
      webhookId: EVENT_WEBHOOK_ID,
      name: 'trigger',
      events: [kind === undefined ? event : webhookStateEventName(EVENT_WEBHOOK_ID, kind)],
      targetUrl: url,
      ...((secret ?? '') === '' ? {} : { secret }),
      state: 'Active',
      type: 'webhook',
    },
    ...(kind === undefined ? {} : { set: { PrimaryKey: EVENT_WEBHOOK_ID } }),
  };
}

/** check-receiver for SuperOffice: `Webhook/Test` carries the target and the Secret itself. */
export const superOfficeReceiverCheck: ReceiverCheck = {
  signedWithoutSecret: false,
  eventWebhook,
  testCall: (url, secret) => ({
    method: 'POST',
    path: '/api/v1/Webhook/Test',
    headers: {
      authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify({ Name: 'check-receiver', TargetUrl: url, Secret: secret ?? '' }),
  }),
  accepts: (status) => (status === 200 ? 'yes' : status >= 200 && status < 300 ? 'only-2xx-not-200' : 'no'),
  notes: (_mockUrl, _url, secret) =>
    (secret ?? '') === ''
      ? [
          'No --secret: SuperOffice signs only webhooks with a Secret, so the signature checks were skipped; pass the secret your receiver verifies with.',
        ]
      : [],
};
