/**
 * The event desk: every vendor's catalogue, and triggering one of its events — what the admin API's
 * `GET /catalogue` and `POST /trigger`, `mock.trigger()`, the CLI's `trigger` and the inspector's form share.
 * It checks a trigger's shape (400 naming the field), finds the vendor, runs pipeline/trigger.ts, and keeps the
 * last results in a bounded journal (`GET /triggers`).
 */
import { MockError } from '../core/errors.js';
import type { BurstOrder, TriggerRequest, TriggerResult } from '../core/event-catalogue.js';
import type { IdSource } from '../core/ids.js';
import type { VendorModule } from '../core/vendor-runtime.js';
import { RingBuffer } from '../core/ring-buffer.js';
import { isPlainObject } from '../core/safe-object.js';
import { triggerEvent } from './trigger.js';
import type { MountedVendor, PipelineServices } from './types.js';

/** One event as the catalogue lists it. */
export interface CatalogueEvent {
  name: string;
  summary: string;
  /** The key under the vendor spec's `webhooks:` every delivered body of this event satisfies. */
  specWebhook: string;
  variants: { name: string; summary: string }[];
}

/** A vendor's events. */
export interface VendorCatalogue {
  vendor: string;
  title: string;
  events: CatalogueEvent[];
}

export interface EventDesk {
  catalogue(vendor?: string): VendorCatalogue[];
  /** Sends an event; throws a MockError (a 400, or 404 for an unknown vendor) when the request cannot be sent. */
  trigger(request: TriggerRequest): Promise<TriggerResult>;
  /** The last triggers' results, oldest first (bounded). */
  recent(): TriggerResult[];
  clear(): void;
}

/** How many `set` paths one trigger may carry (each is a walk into the event). */
export const MAX_SET_PATHS = 200;
const RECENT_TRIGGERS = 100;

function bad(field: string, message: string): never {
  throw new MockError('invalid-request', `${field} ${message}`, { fields: [{ field, message }] });
}

function optionalText(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') bad(field, 'must be a non-empty string');
  return value;
}

/** A trigger request from untrusted JSON: each field checked, nothing else kept. */
export function readTriggerRequest(input: unknown): TriggerRequest {
  if (!isPlainObject(input)) bad('body', 'must be a JSON object {"vendor", "event", …}');
  const vendor = optionalText(input, 'vendor') ?? bad('vendor', 'is required');
  const event = optionalText(input, 'event') ?? bad('event', 'is required');
  const set = input.set;
  if (set !== undefined && set !== null) {
    if (!isPlainObject(set)) bad('set', 'must be an object of "path": value');
    if (Object.keys(set).length > MAX_SET_PATHS) bad('set', `may hold at most ${MAX_SET_PATHS} paths`);
  }
  const allowInvalid = input.allowInvalid;
  if (allowInvalid !== undefined && typeof allowInvalid !== 'boolean')
    bad('allowInvalid', 'must be true or false');
  const webhookId = optionalText(input, 'webhookId');
  const variant = optionalText(input, 'variant');
  const negative = optionalText(input, 'negative');
  const numbers: Pick<TriggerRequest, 'count' | 'concurrency' | 'duplicates'> = {};
  for (const field of ['count', 'concurrency', 'duplicates'] as const) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number') bad(field, 'must be a number');
    numbers[field] = value;
  }
  const order = optionalText(input, 'order');
  return {
    ...numbers,
    ...(order === undefined ? {} : { order: order as BurstOrder }),
    vendor,
    event,
    ...(webhookId === undefined ? {} : { webhookId }),
    ...(variant === undefined ? {} : { variant }),
    ...(input.data === undefined || input.data === null ? {} : { data: input.data }),
    ...(isPlainObject(set) ? { set: set } : {}),
    ...(allowInvalid === true ? { allowInvalid } : {}),
    ...(negative === undefined ? {} : { negative }),
  };
}

/** A vendor's catalogue as data: it needs the vendor's module only, no running mock. */
export function catalogueOf(module: VendorModule): VendorCatalogue {
  return {
    vendor: module.name,
    title: module.title,
    events: module.events.map((event) => ({
      name: event.name,
      summary: event.summary,
      specWebhook: event.specWebhook,
      variants: Object.entries(event.variants ?? {}).map(([name, variant]) => ({
        name,
        summary: variant.summary,
      })),
    })),
  };
}

/** The catalogues of the vendors that send events (the CLI's `events`, the README's table, GET /catalogue). */
export function cataloguesOf(modules: readonly VendorModule[]): VendorCatalogue[] {
  return modules.filter((module) => module.events.length > 0).map(catalogueOf);
}

export function createEventDesk(
  vendors: readonly MountedVendor[],
  services: PipelineServices & { ids: IdSource },
): EventDesk {
  const recent = new RingBuffer<TriggerResult>(RECENT_TRIGGERS);
  const mountedOf = (name: string): MountedVendor => {
    const mounted = vendors.find(({ module }) => module.name === name);
    if (mounted !== undefined) return mounted;
    throw new MockError('invalid-request', `no vendor "${name}" is mounted`, {
      fields: [
        {
          field: 'vendor',
          message: `must be one of: ${vendors.map(({ module }) => module.name).join(', ')}`,
        },
      ],
    });
  };
  return {
    catalogue: (vendor) =>
      cataloguesOf((vendor === undefined ? vendors : [mountedOf(vendor)]).map(({ module }) => module)),
    trigger: async (request) => {
      const checked = readTriggerRequest(request);
      const result = await triggerEvent(mountedOf(checked.vendor), checked, services);
      recent.push(result);
      return result;
    },
    recent: () => recent.toArray(),
    clear: () => recent.clear(),
  };
}
