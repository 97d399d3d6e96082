import type { Entitlement, EventType, ShodaiFilters, ShodaiFixture } from './fixture-schema.js';

export interface ApiKey {
  key: string;
  id: string;
  principalId: string;
  entitlement: Entitlement;
}

/** A webhook subscription; `secret` is kept here and shown only in the create answer. */
export interface Subscription {
  id: string;
  principalId: string;
  createdByApiKeyId?: string;
  url: string;
  status: 'active' | 'disabled';
  eventTypes: EventType[];
  filters: ShodaiFilters;
  createdAt: string;
  updatedAt: string;
  secret: string;
}

export interface ShodaiState {
  apiKeys: Map<string, ApiKey>;
  subscriptions: Map<string, Subscription>;
}

/** The documented default when `eventTypes` is omitted, null or empty. */
export const DEFAULT_EVENT_TYPES: EventType[] = ['agreement.transitioned'];

/** The envelope's `apiVersion` of deliveries. */
export const DELIVERY_API_VERSION = '2026-06-01';

/** A subscription as the API shows it: everything but the secret. */
export function publicView(subscription: Subscription): Omit<Subscription, 'secret'> {
  const { secret: _secret, ...visible } = subscription;
  return visible;
}

export function createShodaiState(fixture: ShodaiFixture, now: Date): ShodaiState {
  const stamp = now.toISOString();
  return {
    apiKeys: new Map(
      (fixture.apiKeys ?? []).map((entry, index) => [
        entry.key,
        {
          key: entry.key,
          id: entry.id ?? `key_${index + 1}`,
          principalId: entry.principalId,
          entitlement: entry.entitlement,
        },
      ]),
    ),
    subscriptions: new Map(
      (fixture.webhooks ?? []).map((webhook) => [
        webhook.id,
        {
          id: webhook.id,
          principalId: webhook.principalId,
          url: webhook.url,
          status: webhook.status ?? 'active',
          eventTypes:
            webhook.eventTypes && webhook.eventTypes.length > 0 ? webhook.eventTypes : DEFAULT_EVENT_TYPES,
          filters: webhook.filters ?? {},
          createdAt: webhook.createdAt ?? stamp,
          updatedAt: webhook.createdAt ?? stamp,
          secret: webhook.secret,
        },
      ]),
    ),
  };
}
