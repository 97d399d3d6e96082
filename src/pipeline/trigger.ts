/**
 * `triggerEvent`: the second door into the delivery engine, beside handleRequest — an event of a vendor's
 * catalogue sent with no inbound request (the admin API's POST /trigger, `mock.trigger()`, the CLI's `trigger`,
 * the inspector's form). The event's own part is generated (seeded like everything else), replaced by `data`,
 * changed by `set`, checked against the spec's `webhooks:` entry (refused with 400 naming the path, unless
 * `allowInvalid`), and handed to the vendor, which routes it to its webhooks and delivers it.
 */
import { TRIGGER_ID_PREFIX, triggeredResult } from '../core/event-catalogue.js';
import type {
  BurstNote,
  BurstOrder,
  EventDefinition,
  TriggeredDelivery,
  TriggerRequest,
  TriggerResult,
} from '../core/event-catalogue.js';
import { runPlan, sendingPlan } from './burst.js';
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

/** A part checked against the spec: refused with each problem's path unless the trigger allows invalid ones. */
function checkedPart(
  mounted: MountedVendor,
  event: EventDefinition,
  request: TriggerRequest,
  services: { ids: IdSource; clock: PipelineServices['clock'] },
): unknown {
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
  return part;
}

/** The most events one trigger sends, and the most on their way at once. */
export const MAX_BURST = 1000;
export const MAX_CONCURRENCY = 50;
/** The most deliveries one trigger may make: events (with their duplicates) × the webhooks they can go to. */
export const MAX_TRIGGER_DELIVERIES = 10_000;
const ORDERS: readonly BurstOrder[] = ['created', 'shuffled', 'reversed'];

interface BurstSettings {
  count: number;
  concurrency: number;
  order: BurstOrder;
  duplicates: number;
}

function burstSettings(request: TriggerRequest): BurstSettings {
  const bad = (field: string, message: string): never => {
    throw new MockError('invalid-request', `${field} ${message}`, { fields: [{ field, message }] });
  };
  const whole = (value: unknown, field: string, max: number): number => {
    if (value === undefined) return 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
      return bad(field, `must be a whole number from 1 to ${max}`);
    return value;
  };
  const order = request.order ?? 'created';
  if (!ORDERS.includes(order)) bad('order', `must be one of: ${ORDERS.join(', ')}`);
  const duplicates = request.duplicates ?? 0;
  if (typeof duplicates !== 'number' || !(duplicates >= 0 && duplicates <= 1))
    bad('duplicates', 'must be a share from 0 to 1');
  return {
    count: whole(request.count, 'count', MAX_BURST),
    concurrency: whole(request.concurrency, 'concurrency', MAX_CONCURRENCY),
    order,
    duplicates,
  };
}

type Services = PipelineServices & { ids: IdSource };

/**
 * Refuses a trigger that could make more than MAX_TRIGGER_DELIVERIES deliveries, before it makes any: the
 * events a burst sends (duplicates included) × the webhooks each can go to (the one `webhookId` names, else every
 * webhook the vendor holds — an upper bound, as subscriptions and filters may skip some).
 */
function checkDeliveryBound(mounted: MountedVendor, request: TriggerRequest, settings: BurstSettings): void {
  const events = settings.count + Math.round(settings.count * settings.duplicates);
  const webhooks = request.webhookId === undefined ? mounted.runtime.listWebhooks().length : 1;
  if (events * webhooks <= MAX_TRIGGER_DELIVERIES) return;
  const message = `would make up to ${events * webhooks} deliveries (${events} events × ${webhooks} webhooks); one trigger makes at most ${MAX_TRIGGER_DELIVERIES}: name a webhookId or send fewer`;
  throw new MockError('invalid-request', `count ${message}`, { fields: [{ field: 'count', message }] });
}

/** Sends one event's part to its webhooks, the cause carrying its place in a burst if it has one. */
function sendPart(
  mounted: MountedVendor,
  event: EventDefinition,
  part: unknown,
  request: TriggerRequest,
  services: Services,
  cause: { requestId: string; burst?: BurstNote },
  negative: NegativeKind | undefined,
): Promise<TriggeredDelivery[]> {
  const dispatch: Dispatch = {
    deliver: (outbound) => services.engine.deliver({ vendor: mounted.module.name, ...cause }, outbound),
    ...(negative === undefined ? {} : { negative }),
  };
  return mounted.runtime.deliverEvent(event, part, request.webhookId, dispatch).catch((error: unknown) => {
    throw namingWebhookId(error, request.webhookId);
  });
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

/** The second sending of an event's deliveries: each sent again, same event and ids, freshly signed. */
async function sendAgain(
  firsts: TriggeredDelivery[],
  note: BurstNote,
  services: Services,
): Promise<TriggeredDelivery[]> {
  const again = firsts.filter((first) => first.delivered && first.deliveryId !== undefined);
  return Promise.all(
    again.map(async (first): Promise<TriggeredDelivery> => {
      const outcome = await services.engine.redeliver(first.deliveryId!, note);
      const result = outcome?.result;
      return {
        webhookId: first.webhookId,
        delivered: outcome !== undefined,
        reason: `a duplicate of ${first.deliveryId!}`,
        ...(outcome === undefined ? {} : { deliveryId: outcome.deliveryId }),
        ...(first.url === undefined ? {} : { url: first.url }),
        ...(result === undefined ? {} : { result: triggeredResult(result) }),
        ...(outcome?.verdict === undefined ? {} : { verdict: outcome.verdict }),
        burst: note,
      };
    }),
  );
}

/** A burst: every part sent by the plan, with at most `concurrency` on their way at once. */
async function sendBurst(
  mounted: MountedVendor,
  event: EventDefinition,
  parts: unknown[],
  request: TriggerRequest,
  context: {
    services: Services;
    settings: BurstSettings;
    triggerId: string;
    negative: NegativeKind | undefined;
  },
): Promise<{ deliveries: TriggeredDelivery[]; sent: NonNullable<TriggerResult['burst']>['sent'] }> {
  const { services, settings, triggerId, negative } = context;
  const plan = sendingPlan(settings.count, settings.order, settings.duplicates, services.ids);
  const firsts: Promise<TriggeredDelivery[]>[] = [];
  const results = await runPlan(plan, settings.concurrency, async (planned, position) => {
    const note: BurstNote = {
      triggerId,
      event: planned.event,
      position,
      ...(planned.duplicate ? { duplicate: true } : {}),
    };
    if (planned.duplicate) return sendAgain(await firsts[planned.event]!, note, services);
    const sending = sendPart(
      mounted,
      event,
      parts[planned.event],
      request,
      services,
      { requestId: triggerId, burst: note },
      negative,
    );
    firsts[planned.event] = sending;
    return (await sending).map((delivery) => ({ ...delivery, burst: note }));
  });
  return {
    deliveries: results.flat(),
    sent: plan.map((planned, position) => ({ position, event: planned.event, duplicate: planned.duplicate })),
  };
}

export async function triggerEvent(
  mounted: MountedVendor,
  request: TriggerRequest,
  services: Services,
): Promise<TriggerResult> {
  const event = eventOf(mounted, request);
  const negative = negativeOf(mounted, request.negative);
  const settings = burstSettings(request);
  checkDeliveryBound(mounted, request, settings);
  const parts = Array.from({ length: settings.count }, () => checkedPart(mounted, event, request, services));
  const triggerId = prefixedId(services.ids, TRIGGER_ID_PREFIX);
  const isBurst = settings.count > 1 || settings.duplicates > 0;
  const sent = isBurst
    ? await sendBurst(mounted, event, parts, request, { services, settings, triggerId, negative })
    : {
        deliveries: await sendPart(
          mounted,
          event,
          parts[0],
          request,
          services,
          { requestId: triggerId },
          negative,
        ),
      };
  services.logger.info(
    { triggerId, vendor: mounted.module.name, event: event.name, deliveries: sent.deliveries.length },
    'trigger',
  );
  return {
    triggerId,
    vendor: mounted.module.name,
    event: event.name,
    ...(request.variant === undefined ? {} : { variant: request.variant }),
    part: parts[0],
    deliveries: sent.deliveries,
    ...('sent' in sent ? { burst: { ...settings, sent: sent.sent } } : {}),
  };
}
