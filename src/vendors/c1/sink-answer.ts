/**
 * The built-in sink's answer to a C1 delivery: what a well-behaved receiver answers each event — a response
 * document C1 accepts (webhooks.mdx, "Webhook response formats"). `?answer=` on the sink URL picks the action
 * (`deny`, `errored`, …); the default completes provisioning, approves a policy step and returns an empty
 * automation context.
 */
import { C1_EVENT, isC1EventName } from './events/types.js';
import type { C1EventName } from './events/types.js';

/** Each event's actions, the first being the default. Events with no action are answered `{"version":"v1"}`. */
const ACTIONS: Partial<Record<C1EventName, readonly string[]>> = {
  [C1_EVENT.provisionStep]: ['complete', 'errored'],
  [C1_EVENT.policyApprovalStep]: ['approve', 'deny'],
};

const COMMENT = 'answered by the mock’s built-in sink';

/** The body is a C1 event when it is JSON with `"version": "v1"` and the name of an event C1 sends. */
function c1EventOf(body: Buffer): C1EventName | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { version, event } = parsed as { version?: unknown; event?: unknown };
  return version === 'v1' && typeof event === 'string' && isC1EventName(event) ? event : undefined;
}

export function c1SinkAnswer(body: Buffer, answer: string | undefined): unknown {
  const event = c1EventOf(body);
  if (event === undefined) return undefined;
  if (event === C1_EVENT.workflowStep) return { version: 'v1', context: {} };
  const actions = ACTIONS[event];
  if (actions === undefined) return { version: 'v1' };
  const action = answer !== undefined && actions.includes(answer) ? answer : actions[0]!;
  return { version: 'v1', [action]: { comment: COMMENT } };
}
