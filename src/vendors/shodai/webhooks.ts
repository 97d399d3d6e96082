import { MockError } from '../../core/errors.js';
import { hex, prefixedId } from '../../core/ids.js';
import { decodePageToken, paginate } from '../../core/paging.js';
import type { OperationCall, VendorResponse } from '../../core/vendor-module.js';
import { checkWebhookUrl } from '../../core/webhook-url.js';
import { envelope } from './envelope.js';
import type { EventType, ShodaiFilters } from './fixture-schema.js';
import type { ApiKey, ShodaiState, Subscription } from './state.js';
import { DEFAULT_EVENT_TYPES, publicView } from './state.js';

type Call = OperationCall<ShodaiState, ApiKey>;

const DEFAULT_LIMIT = 20;

/** A subscription of the caller's principal; another principal's id is answered as not found. */
export function findSubscription(state: ShodaiState, principal: ApiKey, id: string): Subscription {
  const subscription = state.subscriptions.get(id);
  if (subscription === undefined || subscription.principalId !== principal.principalId) {
    throw new MockError('not-found', `Webhook subscription not found: ${id}`, { code: 'not_found' });
  }
  return subscription;
}

function eventTypesOrDefault(value: EventType[] | null | undefined): EventType[] {
  return value === undefined || value === null || value.length === 0
    ? DEFAULT_EVENT_TYPES
    : [...new Set(value)];
}

interface CreateBody {
  url: string;
  eventTypes?: EventType[] | null;
  filters?: ShodaiFilters | null;
}

export function createWebhook({ request, state, principal, ctx }: Call): VendorResponse {
  const body = request.body as CreateBody;
  if (state.subscriptions.size >= ctx.storeLimit) {
    throw new MockError(
      'limit-exceeded',
      `the mock keeps at most ${ctx.storeLimit} webhook subscriptions (--store-limit); they are never hard-deleted`,
      { code: 'limit_exceeded' },
    );
  }
  const now = ctx.clock.now().toISOString();
  const subscription: Subscription = {
    id: prefixedId(ctx.ids, 'wh_'),
    principalId: principal.principalId,
    createdByApiKeyId: principal.id,
    url: checkWebhookUrl(body.url, ctx.strictUrls, 'body.url', ctx.targetRefusal),
    status: 'active',
    eventTypes: eventTypesOrDefault(body.eventTypes),
    filters: body.filters ?? {},
    createdAt: now,
    updatedAt: now,
    secret: `whsec_${hex(ctx.ids, 32)}`,
  };
  state.subscriptions.set(subscription.id, subscription);
  // The only answer that shows the secret.
  return envelope(201, request.requestId, { ...publicView(subscription), secret: subscription.secret });
}

export function listWebhooks({ request, state, principal }: Call): VendorResponse {
  const limit = request.query.limit === undefined ? DEFAULT_LIMIT : Number(request.query.limit);
  const cursor = typeof request.query.cursor === 'string' ? request.query.cursor : undefined;
  const mine = [...state.subscriptions.values()].filter(
    (entry) => entry.principalId === principal.principalId,
  );
  const page = paginate(mine, decodePageToken(cursor, 'query.cursor'), limit);
  return envelope(200, request.requestId, page.items.map(publicView), {
    pageInfo: { limit, nextCursor: page.next ?? null, totalCount: mine.length },
  });
}

export function getWebhook({ request, state, principal }: Call): VendorResponse {
  return envelope(
    200,
    request.requestId,
    publicView(findSubscription(state, principal, request.params.id ?? '')),
  );
}

interface PatchBody {
  url?: string;
  status?: 'active' | 'disabled';
  eventTypes?: EventType[] | null;
  filters?: ShodaiFilters | null;
}

export function updateWebhook({ request, state, principal, ctx }: Call): VendorResponse {
  const subscription = findSubscription(state, principal, request.params.id ?? '');
  const body = (request.body ?? {}) as PatchBody;
  if (body.url !== undefined)
    subscription.url = checkWebhookUrl(body.url, ctx.strictUrls, 'body.url', ctx.targetRefusal);
  if (body.status !== undefined) subscription.status = body.status;
  // Omitted leaves eventTypes unchanged; null or [] resets them to the default.
  if ('eventTypes' in body) subscription.eventTypes = eventTypesOrDefault(body.eventTypes);
  if ('filters' in body) subscription.filters = body.filters ?? {};
  subscription.updatedAt = ctx.clock.now().toISOString();
  return envelope(200, request.requestId, publicView(subscription));
}

/** DELETE disables the subscription; Shodai never hard-deletes. */
export function deleteWebhook({ request, state, principal, ctx }: Call): VendorResponse {
  const subscription = findSubscription(state, principal, request.params.id ?? '');
  subscription.status = 'disabled';
  subscription.updatedAt = ctx.clock.now().toISOString();
  return envelope(200, request.requestId, publicView(subscription));
}
