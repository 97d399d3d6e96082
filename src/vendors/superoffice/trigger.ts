/**
 * SuperOffice's events, triggered: an event of the catalogue goes to every Active HTTP webhook subscribed to its
 * name (a state event: to those subscribed to `webhook<id>.<kind>`), or only to `webhookId`, with each webhook's
 * Properties and Headers, signed when it has a Secret; each answer is booked as a signal's is.
 */
import { MockError } from '../../core/errors.js';
import { isPlainObject } from '../../core/safe-object.js';
import type { EventDelivery, VendorEvents } from '../../core/vendor-module.js';
import { deliverToSubscribers } from './broadcast.js';
import { superOfficeEventBody } from './event-delivery.js';
import { superOfficeEvents } from './events/catalogue.js';
import type { SoEventPart } from './events/types.js';
import type { SuperOfficeState } from './state.js';

function webhookIdOf(call: EventDelivery<SuperOfficeState>): number | undefined {
  if (call.webhookId === undefined) return undefined;
  const id = /^\d+$/.test(call.webhookId) ? Number(call.webhookId) : Number.NaN;
  if (!call.state.webhooks.has(id))
    throw new MockError('not-found', `Webhook with id ${call.webhookId} does not exist`);
  return id;
}

/**
 * The part as SuperOffice routes it: by its `Event`. A trigger's allowInvalid may break any other field, but
 * without a usable Event there is no one to send the event to.
 */
function routable(part: unknown): SoEventPart {
  if (isPlainObject(part) && typeof part.Event === 'string' && part.Event.trim() !== '')
    return part as unknown as SoEventPart;
  throw new MockError(
    'invalid-request',
    'SuperOffice routes an event by its Event, so even with allowInvalid the event needs an Event name',
    { fields: [{ field: 'Event', message: 'must be an event name: SuperOffice routes by it' }] },
  );
}

/** SuperOffice's events: the catalogue, the event fields as its part (the whole body but the delivery's own). */
export const superOfficeEventSupport: VendorEvents<SuperOfficeState> = {
  catalogue: superOfficeEvents,
  partPointer: '',
  sampleBody: (_event, part, state) =>
    superOfficeEventBody(
      part as SoEventPart,
      { contextIdentifier: state.contextIdentifier, changedByAssociateId: 0 },
      { Name: 'trigger', Properties: {} },
      '00000000-0000-4000-8000-000000000000',
      '2026-01-01T00:00:00',
    ),
  deliver: (call) =>
    deliverToSubscribers(
      { dispatch: call.dispatch, ctx: call.ctx },
      call.state,
      routable(call.part),
      {
        contextIdentifier: call.state.contextIdentifier,
        changedByAssociateId: [...call.state.associates.keys()][0] ?? 0,
      },
      webhookIdOf(call),
    ),
};
