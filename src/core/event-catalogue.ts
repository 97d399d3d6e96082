/**
 * The event catalogue's shared vocabulary: each vendor lists the events it sends as data (name, summary, the
 * spec entry its bodies satisfy, a realistic generator). How an event is wrapped, signed, routed and judged
 * lives in the vendor's folder; nothing here names a vendor.
 */
import type { Clock } from './clock.js';
import type { IdSource } from './ids.js';

/** What a generator may draw on. With a seeded IdSource and a frozen clock it makes the same data every time. */
export interface EventGenerationContext {
  ids: IdSource;
  clock: Clock;
}

/** One event a vendor sends. `Data` is the event-specific part the vendor's envelope wraps. */
export interface EventDefinition<Data = unknown> {
  /** The name as the vendor sends it: `c1.webhooks.v1.PayloadProvisionStep`, `agreement.transitioned`, `sale.sold`. */
  name: string;
  /** One sentence for people (the `events` command, the README's table, the inspector's picker). */
  summary: string;
  /** The key under the vendor spec's `webhooks:` whose request body schema every delivered body satisfies. */
  specWebhook: string;
  /** A realistic example of the event-specific part, valid against the spec once wrapped in the envelope. */
  generate(ctx: EventGenerationContext): Data;
}
