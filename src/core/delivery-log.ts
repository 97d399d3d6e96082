import type { DeliveryResult } from './delivery.js';

/**
 * The level a delivery is logged at: `warn` when it failed — no answer (refused, timed out, not allowed, an
 * invalid URL) or an answer other than 2xx — and `info` when the receiver took it. A negative delivery is wrong on
 * purpose and a refusal is the answer it is after, so it stays at `info` whatever the receiver says.
 */
export function deliveryLogLevel(result: DeliveryResult, negative?: string): 'info' | 'warn' {
  if (negative !== undefined) return 'info';
  if (result.kind !== 'response') return 'warn';
  const { status } = result.response;
  return status >= 200 && status < 300 ? 'info' : 'warn';
}
