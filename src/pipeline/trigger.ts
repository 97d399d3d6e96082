/**
 * `triggerEvent`: the second door into the delivery engine, beside handleRequest — an event of a vendor's
 * catalogue sent with no inbound request (the admin API's POST /trigger, `mock.trigger()`, the CLI's `trigger`,
 * the inspector's form). The event's own part is generated (seeded like everything else), replaced by `data`,
 * changed by `set`, checked against the spec's `webhooks:` entry (refused with 400 naming the path, unless
 * `allowInvalid`), and handed to the vendor, which routes it to its webhooks and delivers it.
 */
import type { EventDefinition, TriggerRequest, TriggerResult } from '../core/event-catalogue.js';
import { MockError } from '../core/errors.js';
import type { IdSource } from '../core/ids.js';
import { prefixedId } from '../core/ids.js';
import { setAtPath } from '../core/json-path.js';
import { isNegativeKind } from '../core/negative.js';
import type { NegativeKind } from '../core/negative.js';
import type { Dispatch } from '../core/vendor-module.js';
import type { MountedVendor, PipelineServices } from './types.js';

function eventOf(mounted: MountedVendor, request: TriggerRequest): EventDefinition {
  const event = mounted.module.events.find((candidate) => candidate.name === request.event);
  if (event !== undefined) return event;
  const known = mounted.module.events.map((candidate) => candidate.name);
  throw new MockError('invalid-request', `${mounted.module.title} sends no event "${request.event}"`, {
    fields: [{ field: 'event', message: `must be one of: ${known.join(', ') || '(none)'}` }],
  });
}

function negativeOf(mounted: MountedVendor, requested: string | undefined): NegativeKind | undefined {
  if (requested === undefined) return undefined;
  if (isNegativeKind(requested) && mounted.module.negativeKinds.includes(requested)) return requested;
  throw new MockError('invalid-request', `${mounted.module.title} has no negative delivery "${requested}"`, {
    fields: [
      {
        field: 'negative',
        message: `must be one of: ${mounted.module.negativeKinds.join(', ') || '(none)'}`,
      },
    ],
  });
}

/** The event's own part: generated (or the variant asked for), or `data`, with `set` applied. */
function partFor(
  event: EventDefinition,
  request: TriggerRequest,
  services: { ids: IdSource; clock: PipelineServices['clock'] },
): unknown {
  let part: unknown;
  if (request.data !== undefined) part = structuredClone(request.data);
  else if (request.variant !== undefined) {
    const variant = event.variants?.[request.variant];
    if (variant === undefined) {
      const known = Object.keys(event.variants ?? {});
      throw new MockError('invalid-request', `${event.name} has no variant "${request.variant}"`, {
        fields: [{ field: 'variant', message: `must be one of: ${known.join(', ') || '(none)'}` }],
      });
    }
    part = variant.generate(services);
  } else part = event.generate(services);
  for (const [path, value] of Object.entries(request.set ?? {})) {
    try {
      setAtPath(part, path, value);
    } catch (error) {
      if (error instanceof MockError)
        throw new MockError('invalid-request', error.message, {
          fields: [{ field: `set.${path}`, message: error.message }],
        });
      throw error;
    }
  }
  return part;
}

/** The part's problems against the spec, named by their path inside the part. */
function problemsOf(
  mounted: MountedVendor,
  event: EventDefinition,
  part: unknown,
): { field: string; message: string }[] {
  const body = mounted.runtime.sampleEventBody(event, part);
  const prefix = mounted.module.eventPartPointer;
  return mounted.validators.checkWebhookBody(event.specWebhook, body).map((line) => {
    const [pointer = '', ...rest] = line.split(': ');
    const inside = pointer.startsWith(prefix) ? pointer.slice(prefix.length) : pointer;
    const field = inside.split('/').filter(Boolean).join('.') || '(the event)';
    return { field, message: rest.join(': ') };
  });
}

/** The prefix of a trigger's id, which its deliveries carry as their `requestId`. */
const TRIGGER_ID_PREFIX = 'trg_';

/** Whether a delivery's `requestId` is a trigger's: no inbound request caused it, so none will be journalled. */
export function isTriggerId(requestId: string): boolean {
  return requestId.startsWith(TRIGGER_ID_PREFIX);
}

/** A vendor's "no such webhook" for the trigger's `webhookId`, saying that this is the field at fault. */
function namingWebhookId(error: unknown, webhookId: string | undefined): unknown {
  if (!(error instanceof MockError) || error.kind !== 'not-found' || webhookId === undefined) return error;
  if (error.fields.length > 0) return error;
  return new MockError('not-found', error.message, {
    fields: [{ field: 'webhookId', message: 'names no webhook of this vendor' }],
    ...(error.code === undefined ? {} : { code: error.code }),
  });
}

export async function triggerEvent(
  mounted: MountedVendor,
  request: TriggerRequest,
  services: PipelineServices & { ids: IdSource },
): Promise<TriggerResult> {
  const event = eventOf(mounted, request);
  const negative = negativeOf(mounted, request.negative);
  const part = partFor(event, request, services);
  const problems = problemsOf(mounted, event, part);
  if (problems.length > 0 && request.allowInvalid !== true) {
    throw new MockError(
      'invalid-request',
      `the event would not match ${mounted.module.title}'s ${event.specWebhook} schema: ${problems
        .map((problem) => `${problem.field} ${problem.message}`)
        .join('; ')} (allowInvalid sends it anyway)`,
      { fields: problems },
    );
  }
  const triggerId = prefixedId(services.ids, TRIGGER_ID_PREFIX);
  const dispatch: Dispatch = {
    deliver: (outbound) =>
      services.engine.deliver({ vendor: mounted.module.name, requestId: triggerId }, outbound),
    ...(negative === undefined ? {} : { negative }),
  };
  const deliveries = await mounted.runtime
    .deliverEvent(event, part, request.webhookId, dispatch)
    .catch((error: unknown) => {
      throw namingWebhookId(error, request.webhookId);
    });
  services.logger.info(
    { triggerId, vendor: mounted.module.name, event: event.name, deliveries: deliveries.length },
    'trigger',
  );
  return {
    triggerId,
    vendor: mounted.module.name,
    event: event.name,
    ...(request.variant === undefined ? {} : { variant: request.variant }),
    part,
    deliveries,
  };
}
