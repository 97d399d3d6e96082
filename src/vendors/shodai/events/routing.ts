/**
 * Which subscriptions an event goes to. docs.shodai.network (create-webhook, update-webhook) describes the
 * filters as "optional filters applied before delivery": agreementIds and templateIds apply to both event
 * types; inputIds, fromStates and toStates to agreement.transitioned "and to notification events with
 * transition data"; ruleIds to agreement.notification.triggered. The docs say no more, so the mock chooses:
 *
 * - an absent or empty list does not restrict (as in notification rules, where "omitted arrays act as
 *   wildcards", docs notification-webhooks);
 * - within a list any value matches (OR, exact and case-sensitive); across keys every restricting key must
 *   match (AND);
 * - a key that does not apply to the event is ignored rather than failing it: ruleIds on a transitioned
 *   event, inputIds/fromStates/toStates on a notification without `transition` (the docs scope those keys to
 *   "notification events with transition data", so they say nothing about the others).
 */
import type { ShodaiFilters } from '../fixture-schema.js';
import type { Subscription } from '../state.js';
import type { ShodaiEventData, ShodaiEventType } from './types.js';

export interface ShodaiRoute {
  subscription: Subscription;
  deliver: boolean;
  /** Why: the first rule that skipped it, or that it matched (and which filter keys did not apply). */
  reason: string;
}

type FilterKey = keyof ShodaiFilters;

/** In the order the reasons check them (the order of the docs and of ShodaiFilters). */
export const FILTER_KEYS: readonly FilterKey[] = [
  'agreementIds',
  'templateIds',
  'inputIds',
  'fromStates',
  'toStates',
  'ruleIds',
];

/** The value a filter key compares for this event, or undefined when the key does not apply to it. */
export function filterValue(
  key: FilterKey,
  eventType: ShodaiEventType,
  data: ShodaiEventData,
): string | undefined {
  // a deliberately invalid event (a trigger's allowInvalid) may carry data that is no object: nothing applies
  if (data === null || typeof data !== 'object') return undefined;
  const transition =
    eventType === 'agreement.transitioned'
      ? (data as { fromState: string; toState: string; inputId: string })
      : 'transition' in data
        ? data.transition
        : undefined;
  switch (key) {
    case 'agreementIds':
      return data.agreementId;
    case 'templateIds':
      return data.templateId;
    case 'inputIds':
      return transition?.inputId;
    case 'fromStates':
      return transition?.fromState;
    case 'toStates':
      return transition?.toState;
    case 'ruleIds':
      return eventType === 'agreement.notification.triggered' && 'ruleId' in data ? data.ruleId : undefined;
  }
}

/** One subscription's verdict on one event. */
export function routeToSubscription(
  subscription: Subscription,
  eventType: ShodaiEventType,
  data: ShodaiEventData,
): ShodaiRoute {
  const skip = (reason: string): ShodaiRoute => ({ subscription, deliver: false, reason });
  if (subscription.status !== 'active') return skip(`subscription is ${subscription.status}`);
  if (!subscription.eventTypes.includes(eventType)) {
    return skip(`eventTypes ${JSON.stringify(subscription.eventTypes)} do not include "${eventType}"`);
  }
  const notApplied: FilterKey[] = [];
  for (const key of FILTER_KEYS) {
    const wanted = subscription.filters[key];
    if (wanted === undefined || wanted === null || wanted.length === 0) continue;
    const value = filterValue(key, eventType, data);
    if (value === undefined) notApplied.push(key);
    else if (!wanted.includes(value)) {
      return skip(`filters.${key} ${JSON.stringify(wanted)} does not include ${JSON.stringify(value)}`);
    }
  }
  const reason = 'matches eventTypes and filters';
  if (notApplied.length === 0) return { subscription, deliver: true, reason };
  const keys = notApplied.map((key) => `filters.${key}`).join(', ');
  return { subscription, deliver: true, reason: `${reason} (${keys} not applicable to this event)` };
}

/** Every subscription's verdict on one event, in the order given. */
export function routeShodaiEvent(
  subscriptions: Iterable<Subscription>,
  eventType: ShodaiEventType,
  data: ShodaiEventData,
): ShodaiRoute[] {
  return [...subscriptions].map((subscription) => routeToSubscription(subscription, eventType, data));
}
