/**
 * A trigger sent to a running mock: `POST <mock>/__admin/trigger`, with the admin token when one is given. The
 * mock's refusal (problem+json naming the fields) and not reaching it at all both become a CliRefusal.
 */
import type { TriggerRequest, TriggerResult } from '../core/event-catalogue.js';
import { isPlainObject } from '../core/safe-object.js';
import { callAdmin } from './mock-remote.js';
import type { MockTarget } from './mock-remote.js';

function isTriggerResult(value: unknown): value is TriggerResult {
  return isPlainObject(value) && typeof value.triggerId === 'string' && Array.isArray(value.deliveries);
}

/** Sends the trigger to the running mock and returns its result. */
export function triggerRemote(request: TriggerRequest, target: MockTarget): Promise<TriggerResult> {
  return callAdmin(target, {
    method: 'POST',
    path: '/trigger',
    body: request,
    refused: 'not sent',
    accept: isTriggerResult,
    answer: "a trigger's result",
    otherwise: 'deliver straight to a receiver with --url',
  });
}
