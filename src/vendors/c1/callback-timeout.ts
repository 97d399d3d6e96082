/**
 * The callback timeout (webhooks.mdx, "Respond asynchronously"): "If no callback arrives in time, the webhook
 * fails, and the originating task or automation step is treated as failed." Nothing runs in the mock between
 * requests, so it notices when it next looks at the instances: each one still waiting for a callback whose
 * timeout has passed is failed then — FATAL_ERROR, completed when the timeout elapsed — with the event's
 * consequence as its outcome and as its delivery's verdict in the journal. The URL keeps answering 400
 * "expired".
 */
import { setBounded } from '../../core/bounded-map.js';
import type { VendorContext } from '../../core/vendor-module.js';
import { isC1EventName } from './events/types.js';
import { C1_FAILURE_CONSEQUENCE, describeC1Outcome } from './responses.js';
import type { C1Outcome } from './responses.js';
import type { C1State } from './state.js';

export function expireCallbacks(
  state: C1State,
  ctx: Pick<VendorContext, 'clock' | 'storeLimit' | 'annotateDelivery'>,
): void {
  const now = ctx.clock.now();
  for (const pending of state.callbacks.values()) {
    if (pending.used || pending.expiresAt > now) continue;
    const instance = state.instances.get(pending.instanceId);
    if (instance?.state !== 'WEBHOOK_STATE_WAITING_CALLBACK') continue;
    if (!isC1EventName(pending.event)) continue;
    const expiredAt = pending.expiresAt.toISOString();
    const outcome: C1Outcome = {
      kind: 'callback-timeout',
      reason: `no callback arrived before the callback timeout (${expiredAt})`,
      consequence: C1_FAILURE_CONSEQUENCE[pending.event],
    };
    state.instances.set(instance.id, {
      ...instance,
      state: 'WEBHOOK_STATE_FATAL_ERROR',
      completedAt: expiredAt,
      updatedAt: expiredAt,
    });
    setBounded(state.outcomes, instance.id, outcome, ctx.storeLimit);
    ctx.annotateDelivery(pending.deliveryId, {
      valid: false,
      kind: outcome.kind,
      description: describeC1Outcome(outcome),
      outcome,
    });
  }
}
