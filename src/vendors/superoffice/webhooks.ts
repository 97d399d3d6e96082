import { MockError } from '../../core/errors.js';
import type { OperationCall, VendorRequest, VendorResponse } from '../../core/vendor-module.js';
import type { SoPrincipal } from './auth.js';
import { parseEventData } from './content.js';
import { superOfficeErrorResponse } from './errors.js';
import type { WebhookStateName } from './fixture-schema.js';
import { defaultWebhook, invalid, isPlainObject, readWebhookFields, STATES, withLinks } from './model.js';
import type { WebhookFields } from './model.js';
import { applyWebhookPatch } from './patch.js';
import { signalEvent } from './signal.js';
import type { SoWebhook, SuperOfficeState } from './state.js';
import { announceState } from './broadcast.js';
import { stateEventKind } from './events/state-events.js';
import { pingWebhook } from './test-call.js';
import { checkWebhookUrl } from '../../core/webhook-url.js';

export type SoCall = OperationCall<SuperOfficeState, SoPrincipal>;

/** The stored webhook with this id, or a 404 in SuperOffice's format. */
export function findWebhook(state: SuperOfficeState, id: number): SoWebhook {
  const webhook = state.webhooks.get(id);
  if (webhook === undefined) throw new MockError('not-found', `Webhook with id ${id} does not exist`);
  return webhook;
}

/** A path or query parameter the spec has already checked to be an int32. */
export function intParam(value: string | string[] | undefined): number {
  const text = Array.isArray(value) ? value[0] : value;
  return Number.parseInt(text ?? '', 10);
}

function queryText(request: VendorRequest, name: string): string | undefined {
  const value = request.query[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

/** The REST URL of a webhook, below the tenant the caller used. */
function selfUrl(call: SoCall, id: number): string {
  const tenant = call.request.tenant === undefined ? '' : `/${call.request.tenant}`;
  return `${call.ctx.vendorBaseUrl}${tenant}/api/v1/Webhook/${id}`;
}

function compose(
  id: number,
  fields: WebhookFields,
  registered: Pick<SoWebhook, 'Registered' | 'RegisteredAssociate'>,
  updated: Pick<SoWebhook, 'Updated' | 'UpdatedAssociate'>,
): SoWebhook {
  return {
    WebhookId: id,
    Name: fields.Name,
    Events: fields.Events,
    TargetUrl: fields.TargetUrl,
    Secret: fields.Secret,
    State: fields.State,
    Type: fields.Type,
    Headers: fields.Headers,
    Properties: fields.Properties,
    Registered: registered.Registered,
    RegisteredAssociate: registered.RegisteredAssociate,
    Updated: updated.Updated,
    UpdatedAssociate: updated.UpdatedAssociate,
    ErrorsEmail: fields.ErrorsEmail,
  };
}

/** Whether saving these fields over `base` needs the `test` POST first: an HTTP webhook whose target is new to it. */
function needsPing(fields: WebhookFields, base: SoWebhook | undefined): boolean {
  return (
    fields.Type === 'webhook' &&
    (base === undefined || base.Type !== 'webhook' || base.TargetUrl !== fields.TargetUrl)
  );
}

/** Pings the target of a webhook about to be saved; refuses the save (400) unless it answers 200 OK. */
async function pingBeforeSave(
  call: SoCall,
  id: number,
  fields: WebhookFields,
  prefix: string,
): Promise<void> {
  const result = await pingWebhook(
    {
      WebhookId: id,
      Name: fields.Name,
      TargetUrl: fields.TargetUrl,
      Secret: fields.Secret,
      Headers: fields.Headers,
      Properties: fields.Properties,
    },
    call.state,
    call.principal,
    call,
    `${prefix}.TargetUrl`,
  );
  if (!result.Success) {
    throw new MockError(
      'invalid-request',
      `Webhook not saved: the test POST to ${fields.TargetUrl} did not get 200 OK. ${result.Message}`,
      { fields: [{ field: `${prefix}.TargetUrl`, message: 'did not answer the test event with 200 OK' }] },
    );
  }
}

/**
 * Saves a new webhook (`existing` undefined) or changes one, as NetServer's WebhookManager does: an HTTP webhook
 * whose TargetUrl is new to it (or that becomes an HTTP webhook) first gets the `test` event, and unless the
 * target answers 200 OK nothing is saved (dev/subscription.md, dev/register.md). A webhook's URL must be one
 * deliveries may go to (`--allow-targets`) whenever it is saved as an HTTP webhook.
 *
 * The test POST takes time. When the stored webhook changed meanwhile (another save, or a delivery failure that
 * changed its State), `rebuild` applies the caller's change again to what is stored now, so no update is lost;
 * should that need a target the test POST did not cover, the save is refused with 409.
 */
export async function saveWebhook(
  call: SoCall,
  existing: SoWebhook | undefined,
  fields: WebhookFields,
  prefix: string,
  rebuild: (current: SoWebhook) => WebhookFields = () => fields,
): Promise<SoWebhook> {
  const { state, principal, ctx } = call;
  const checkTarget = (candidate: WebhookFields): void => {
    if (candidate.Type === 'webhook')
      checkWebhookUrl(candidate.TargetUrl, ctx.strictUrls, `${prefix}.TargetUrl`, ctx.targetRefusal);
  };
  if (existing === undefined && state.webhooks.size >= ctx.storeLimit) {
    throw new MockError(
      'limit-exceeded',
      `The mock keeps at most ${ctx.storeLimit} webhooks (--store-limit); delete one first`,
    );
  }
  checkTarget(fields);
  let pinged: string | undefined;
  if (needsPing(fields, existing)) {
    await pingBeforeSave(call, existing?.WebhookId ?? 0, fields, prefix);
    pinged = fields.TargetUrl;
  }
  let base = existing;
  let next = fields;
  if (existing !== undefined) {
    const current = findWebhook(state, existing.WebhookId); // 404 when deleted meanwhile
    if (current !== existing) {
      next = rebuild(current);
      checkTarget(next);
      if (needsPing(next, current) && next.TargetUrl !== pinged) {
        throw new MockError(
          'conflict',
          `Webhook ${existing.WebhookId} changed while its test event was on its way; send the change again`,
        );
      }
      base = current;
    }
  }
  const saved = store(state, base, next, {
    Updated: ctx.clock.now().toISOString(),
    UpdatedAssociate: principal.associate,
  });
  // a State set by the caller raises its state event as NetServer does (a new webhook raises none)
  const kind = base !== undefined && base.State !== saved.State ? stateEventKind(saved.State) : undefined;
  if (kind !== undefined) await announceState({ dispatch: call.dispatch, ctx }, state, saved, kind);
  return saved;
}

/** Writes the webhook: a new id for a new one, the registration kept for a changed one. */
function store(
  state: SuperOfficeState,
  base: SoWebhook | undefined,
  fields: WebhookFields,
  stamp: Pick<SoWebhook, 'Updated' | 'UpdatedAssociate'>,
): SoWebhook {
  let webhook: SoWebhook;
  if (base === undefined) {
    const id = state.nextWebhookId;
    state.nextWebhookId += 1;
    webhook = compose(
      id,
      fields,
      { Registered: stamp.Updated, RegisteredAssociate: stamp.UpdatedAssociate },
      stamp,
    );
  } else {
    webhook = compose(base.WebhookId, fields, base, stamp);
    if (fields.State === 'Active' && base.State !== 'Active')
      state.consecutiveErrors.delete(webhook.WebhookId);
  }
  state.webhooks.set(webhook.WebhookId, webhook);
  return webhook;
}

/** GetAllWebhooks' filters; a status of Unknown (or none) means all. Names and events compare case-insensitively. */
export function filterWebhooks(
  state: SuperOfficeState,
  filter: { name?: string | undefined; event?: string | undefined; status?: string | undefined },
  statusField: string,
): SoWebhook[] {
  let status: WebhookStateName | undefined;
  if (filter.status !== undefined && filter.status !== '') {
    status = STATES.find((name) => name.toLowerCase() === filter.status?.toLowerCase());
    if (status === undefined)
      invalid([{ field: statusField, message: `must be one of: ${STATES.join(', ')}` }]);
  }
  const name = filter.name?.toLowerCase();
  const event = filter.event?.toLowerCase();
  return [...state.webhooks.values()]
    .filter(
      (webhook) =>
        (name === undefined || name === '' || webhook.Name.toLowerCase() === name) &&
        (event === undefined ||
          event === '' ||
          webhook.Events.some((candidate) => candidate.toLowerCase() === event)) &&
        (status === undefined || status === 'Unknown' || webhook.State === status),
    )
    .sort((a, b) => a.WebhookId - b.WebhookId);
}

export function removeWebhook(state: SuperOfficeState, id: number): void {
  state.deletedWebhooks.set(id, findWebhook(state, id));
  state.webhooks.delete(id);
  state.lastErrors.delete(id);
  state.consecutiveErrors.delete(id);
}

export function lastErrorOf(state: SuperOfficeState, id: number): string {
  findWebhook(state, id);
  return state.lastErrors.get(id) ?? '';
}

// ------------------------------------------------------------------------------------------ REST handlers

/** GET /api/v1/Webhook/default */
export function getDefaultWebhook(): VendorResponse {
  return { status: 200, body: defaultWebhook() };
}

/** GET /api/v1/Webhook?nameFilter&eventFilter&statusFilter */
export function getAllWebhooks({ request, state }: SoCall): VendorResponse {
  const list = filterWebhooks(
    state,
    {
      name: queryText(request, 'nameFilter'),
      event: queryText(request, 'eventFilter'),
      status: queryText(request, 'statusFilter'),
    },
    'query.statusFilter',
  );
  return { status: 200, body: list };
}

/** POST /api/v1/Webhook: 200 (as documented, not 201) with the WebhookWithLinks. */
export async function postWebhook(call: SoCall): Promise<VendorResponse> {
  const fields = readWebhookFields(call.request.body, 'body');
  const saved = await saveWebhook(call, undefined, fields, 'body');
  return { status: 200, body: withLinks(saved, selfUrl(call, saved.WebhookId)) };
}

/** GET /api/v1/Webhook/{id} */
export function getWebhook(call: SoCall): VendorResponse {
  const id = intParam(call.request.params.id);
  return { status: 200, body: withLinks(findWebhook(call.state, id), selfUrl(call, id)) };
}

/** PUT /api/v1/Webhook/{id}: the body replaces the caller's fields; the id comes from the path. */
export async function putWebhook(call: SoCall): Promise<VendorResponse> {
  const existing = findWebhook(call.state, intParam(call.request.params.id));
  const fields = readWebhookFields(call.request.body, 'body');
  const saved = await saveWebhook(call, existing, fields, 'body');
  return { status: 200, body: withLinks(saved, selfUrl(call, saved.WebhookId)) };
}

/** PATCH /api/v1/Webhook/{id}: JSON Patch or JSON Merge Patch; 409 when a `test` op fails, 412 on If-Unmodified-Since. */
export async function patchWebhook(call: SoCall): Promise<VendorResponse> {
  const { request, state } = call;
  const existing = findWebhook(state, intParam(request.params.id));
  const since = request.headers['if-unmodified-since'];
  if (since !== undefined) {
    const limit = Date.parse(since);
    if (Number.isNaN(limit)) {
      invalid([{ field: 'header.If-Unmodified-Since', message: 'must be an HTTP date' }]);
    }
    if (Math.floor(Date.parse(existing.Updated) / 1000) * 1000 > limit) {
      return superOfficeErrorResponse(
        412,
        'SoPreconditionFailedException',
        `Webhook ${existing.WebhookId} has changed since ${since} (updated ${existing.Updated})`,
      );
    }
  }
  const fieldsFor = (webhook: SoWebhook): WebhookFields =>
    readWebhookFields(applyWebhookPatch(webhook, request.body, request.headers['content-type']), 'body');
  const saved = await saveWebhook(call, existing, fieldsFor(existing), 'body', fieldsFor);
  return { status: 200, body: withLinks(saved, selfUrl(call, saved.WebhookId)) };
}

/** DELETE /api/v1/Webhook/{id}: 204. */
export function deleteWebhook({ request, state }: SoCall): VendorResponse {
  removeWebhook(state, intParam(request.params.id));
  return { status: 204 };
}

/** GET /api/v1/Webhook/{webhookId}/LastError: the message as a JSON string, "" when there was none. */
export function getLastError({ request, state }: SoCall): VendorResponse {
  return { status: 200, body: lastErrorOf(state, intParam(request.params.webhookId)) };
}

/** POST /api/v1/Webhook/{eventName}/{primaryKey}: delivers the event to its Active subscribers; 204. */
export async function signalEventRest(call: SoCall): Promise<VendorResponse> {
  const { request } = call;
  // the parsed body has known property names normalised; event data keeps the caller's
  const body = parseEventData(request.headers['content-type'], request.rawBody);
  if (body !== undefined && body !== null && !isPlainObject(body)) {
    invalid([{ field: 'body', message: 'must be an object of event data' }]);
  }
  await signalEvent(
    call,
    request.params.eventName ?? '',
    intParam(request.params.primaryKey),
    body ?? undefined,
    'path.eventName',
  );
  return { status: 204 };
}
