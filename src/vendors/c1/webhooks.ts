import { MockError } from '../../core/errors.js';
import { decodePageToken, paginate } from '../../core/paging.js';
import type { OperationCall, VendorResponse } from '../../core/vendor-module.js';
import { checkWebhookUrl } from '../../core/webhook-url.js';
import type { C1Principal } from './auth.js';
import type { C1State, C1Webhook } from './state.js';
import { DEFAULT_CALLBACK_TIMEOUT, durationSeconds, newC1Id } from './state.js';

type Call = OperationCall<C1State, C1Principal>;

const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;

/** The fields an update may change, by their names in `updateMask`. */
const UPDATABLE = ['displayName', 'description', 'url', 'callbackTimeout'] as const;
type Updatable = (typeof UPDATABLE)[number];

export function findWebhook(state: C1State, id: string): C1Webhook {
  const webhook = state.webhooks.get(id);
  if (webhook === undefined) throw new MockError('not-found', `webhook not found: ${id}`);
  return webhook;
}

function pageSize(value: unknown, field: string): number {
  if (value === undefined || value === null || value === '' || value === 0) return DEFAULT_PAGE_SIZE;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 0) {
    throw new MockError('invalid-request', `${field} must be a non-negative integer`, {
      fields: [{ field, message: 'must be a non-negative integer' }],
    });
  }
  return Math.min(size, MAX_PAGE_SIZE);
}

function listAnswer(
  webhooks: C1Webhook[],
  token: string | undefined,
  size: number,
  field: string,
): VendorResponse {
  const page = paginate(webhooks, decodePageToken(token, field), size);
  return { status: 200, body: { list: page.items, nextPageToken: page.next ?? '' } };
}

export function listWebhooks({ request, state }: Call): VendorResponse {
  const token = typeof request.query.page_token === 'string' ? request.query.page_token : undefined;
  return listAnswer(
    [...state.webhooks.values()],
    token,
    pageSize(request.query.page_size, 'query.page_size'),
    'query.page_token',
  );
}

interface SearchBody {
  query?: string;
  refs?: { id?: string }[] | null;
  pageSize?: number;
  pageToken?: string;
}

export function searchWebhooks({ request, state }: Call): VendorResponse {
  const body = (request.body ?? {}) as SearchBody;
  const query = (body.query ?? '').trim().toLowerCase();
  const refIds = new Set(
    (body.refs ?? []).map((ref) => ref.id).filter((id): id is string => typeof id === 'string'),
  );
  const matches = [...state.webhooks.values()].filter(
    (webhook) =>
      (refIds.size === 0 || refIds.has(webhook.id)) &&
      (query === '' ||
        webhook.displayName.toLowerCase().includes(query) ||
        webhook.description.toLowerCase().includes(query)),
  );
  return listAnswer(matches, body.pageToken, pageSize(body.pageSize, 'body.pageSize'), 'body.pageToken');
}

interface CreateBody {
  displayName: string;
  url: string;
  description?: string;
  callbackTimeout?: string | null;
}

export function createWebhook({ request, state, ctx }: Call): VendorResponse {
  // an empty body is an empty message (gRPC-gateway): the URL check below refuses it
  const body = (request.body ?? {}) as CreateBody;
  const callbackTimeout = body.callbackTimeout ?? DEFAULT_CALLBACK_TIMEOUT;
  durationSeconds(callbackTimeout);
  if (state.webhooks.size >= ctx.storeLimit) {
    throw new MockError(
      'limit-exceeded',
      `the mock keeps at most ${ctx.storeLimit} webhooks (--store-limit); delete one first`,
    );
  }
  const now = ctx.clock.now().toISOString();
  const webhook: C1Webhook = {
    id: newC1Id(ctx.ids),
    displayName: body.displayName,
    description: body.description ?? '',
    url: checkWebhookUrl(body.url, ctx.strictUrls, 'body.url', ctx.targetRefusal),
    callbackTimeout,
    createdAt: now,
    updatedAt: now,
  };
  state.webhooks.set(webhook.id, webhook);
  return { status: 200, body: { webhook } };
}

export function getWebhook({ request, state }: Call): VendorResponse {
  return { status: 200, body: { webhook: findWebhook(state, request.params.id ?? '') } };
}

interface UpdateBody {
  webhook?: Partial<Record<Updatable | 'id', unknown>> | null;
  updateMask?: string | null;
}

/** Update honouring `updateMask` (comma-separated field names); without a mask every field sent is applied. */
export function updateWebhook({ request, state, ctx }: Call): VendorResponse {
  const current = findWebhook(state, request.params.id ?? '');
  const body = (request.body ?? {}) as UpdateBody;
  const patch = body.webhook ?? {};
  const mask = (body.updateMask ?? '')
    .split(',')
    .map((path) => path.trim())
    .filter(Boolean);
  const unknown = mask.filter((path) => !(UPDATABLE as readonly string[]).includes(path));
  if (unknown.length > 0) {
    throw new MockError(
      'invalid-request',
      `updateMask names fields that cannot be updated: ${unknown.join(', ')}`,
      {
        fields: unknown.map((path) => ({
          field: 'body.updateMask',
          message: `${path} is not an updatable field`,
        })),
      },
    );
  }
  const paths: Updatable[] =
    mask.length > 0 ? (mask as Updatable[]) : UPDATABLE.filter((key) => key in patch);
  const next: C1Webhook = { ...current };
  for (const path of paths) {
    const value = patch[path];
    if (path === 'url') {
      next.url = checkWebhookUrl(
        typeof value === 'string' ? value : '',
        ctx.strictUrls,
        'body.webhook.url',
        ctx.targetRefusal,
      );
    } else if (path === 'callbackTimeout') {
      next.callbackTimeout = typeof value === 'string' && value !== '' ? value : DEFAULT_CALLBACK_TIMEOUT;
      durationSeconds(next.callbackTimeout);
    } else if (path === 'displayName') {
      next.displayName = typeof value === 'string' ? value : '';
    } else {
      next.description = typeof value === 'string' ? value : '';
    }
  }
  next.updatedAt = ctx.clock.now().toISOString();
  state.webhooks.set(next.id, next);
  return { status: 200, body: { webhook: next } };
}

export function deleteWebhook({ request, state }: Call): VendorResponse {
  const webhook = findWebhook(state, request.params.id ?? '');
  state.webhooks.delete(webhook.id);
  return { status: 200, body: {} };
}
