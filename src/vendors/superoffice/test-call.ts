import { ownCopy } from '../../core/safe-object.js';
import type { OperationCall, VendorResponse } from '../../core/vendor-module.js';
import { checkWebhookUrl } from '../../core/webhook-url.js';
import type { SoPrincipal } from './auth.js';
import { describeOutcome, deliverSuperOfficeEvent, isSuccess } from './event-delivery.js';
import { invalid, webhookHeaderProblems } from './model.js';
import type { SuperOfficeState } from './state.js';

/** The Webhook fields a test call reads. */
export interface WebhookInput {
  WebhookId?: number;
  Name?: string;
  TargetUrl: string;
  Secret?: string | null;
  Headers?: Record<string, string> | null;
  Properties?: Record<string, unknown> | null;
}

/** The rights block SuperOffice attaches to carrier objects; the mock grants full rights. */
export const FULL_TABLE_RIGHT = { Mask: 'Delete', Reason: '' };

/** Pings a webhook definition with the `test` event and reports what the target answered. */
export async function pingWebhook(
  webhook: WebhookInput,
  state: SuperOfficeState,
  principal: SoPrincipal,
  call: Pick<OperationCall<SuperOfficeState, SoPrincipal>, 'ctx' | 'request' | 'dispatch'>,
  field = 'body.TargetUrl',
): Promise<{
  Success: boolean;
  Message: string;
  TableRight: typeof FULL_TABLE_RIGHT;
  FieldProperties: object;
}> {
  const { ctx, request } = call;
  checkWebhookUrl(webhook.TargetUrl, ctx.strictUrls, field);
  const headers = ownCopy(webhook.Headers ?? {});
  const headerProblems = webhookHeaderProblems(headers, field.replace(/TargetUrl$/, 'Headers'));
  if (headerProblems.length > 0) invalid(headerProblems);
  const outcome = await deliverSuperOfficeEvent(
    { dispatch: call.dispatch, ctx },
    {
      WebhookId: webhook.WebhookId ?? 0,
      Name: webhook.Name ?? '',
      TargetUrl: webhook.TargetUrl,
      Secret: webhook.Secret ?? '',
      Headers: headers,
      Properties: ownCopy(webhook.Properties ?? {}),
    },
    { Event: 'test', Entity: 'test', PrimaryKey: 0, Changes: [] },
    {
      contextIdentifier: request.tenant ?? state.contextIdentifier,
      changedByAssociateId: principal.associate.AssociateId,
    },
    state,
  );
  return {
    Success: isSuccess(outcome),
    Message: describeOutcome(outcome),
    TableRight: FULL_TABLE_RIGHT,
    FieldProperties: {},
  };
}

/** POST /api/v1/Webhook/Test: 200 with a WebhookResult, whether the target said yes or not. */
export async function testWebhook(
  call: OperationCall<SuperOfficeState, SoPrincipal>,
): Promise<VendorResponse> {
  const result = await pingWebhook(call.request.body as WebhookInput, call.state, call.principal, call);
  return { status: 200, body: result };
}
