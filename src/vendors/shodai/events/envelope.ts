/**
 * The delivery envelope every Shodai event travels in (SDK `webhooks.ts` `WebhookEventEnvelope`):
 * `{id, type, apiVersion: "2026-06-01", createdAt, data}`, serialised once so the signed bytes are the sent bytes.
 */
import { prefixedId } from '../../../core/ids.js';
import type { EventGenerationContext } from '../../../core/event-catalogue.js';
import type { ShodaiEvent } from '../negative.js';
import { DELIVERY_API_VERSION } from '../state.js';

/** The envelope as receivers parse it. */
export interface ShodaiEnvelope<Data extends object = object> {
  id: string;
  type: string;
  apiVersion: typeof DELIVERY_API_VERSION;
  createdAt: string;
  data: Data;
}

/**
 * A fresh event of `type` around `data`: a new `evt_` id (the `x-shodai-webhook-id` header and the receiver's
 * dedupe key) and `createdAt` from the clock. The body keeps the envelope's key order.
 */
export function shodaiEventEnvelope(ctx: EventGenerationContext, type: string, data: object): ShodaiEvent {
  const id = prefixedId(ctx.ids, 'evt_');
  const envelope: ShodaiEnvelope = {
    id,
    type,
    apiVersion: DELIVERY_API_VERSION,
    createdAt: ctx.clock.now().toISOString(),
    data,
  };
  return { id, type, body: Buffer.from(JSON.stringify(envelope)) };
}
