import { packagePath } from '../../core/package-root.js';
import { defineVendor } from '../../core/vendor-runtime.js';
import {
  agentCreateDefaultWebhook,
  agentDeleteWebhook,
  agentGetAllWebhooks,
  agentGetLastError,
  agentGetWebhook,
  agentSaveWebhook,
  agentSignalEvent,
  agentTestWebhook,
} from './agents.js';
import { authenticateSuperOffice } from './auth.js';
import { parseSuperOfficeBody, serializeSuperOffice } from './content.js';
import type { SoPrincipal } from './auth.js';
import { formatSuperOfficeError } from './errors.js';
import { superOfficeFixtureSchema } from './fixture-schema.js';
import type { SuperOfficeFixture } from './fixture-schema.js';
import { listSuperOfficeWebhooks, superOfficeTestCall, verifySuperOfficeDelivery } from './inspection.js';
import { headerProblems } from '../../core/header-rules.js';
import { DELIVERY_HEADERS } from './model.js';
import { SUPEROFFICE_NEGATIVE_KINDS } from './negative.js';
import { superOfficeReceiverCheck } from './receiver-check.js';
import { superOfficeEventSupport } from './trigger.js';
import { superOfficeCredential, superOfficeTargetWebhook } from './scenario-facts.js';
import { createSuperOfficeState } from './state.js';
import type { SuperOfficeState } from './state.js';
import { testWebhook } from './test-call.js';
import {
  deleteWebhook,
  getAllWebhooks,
  getDefaultWebhook,
  getLastError,
  getWebhook,
  patchWebhook,
  postWebhook,
  putWebhook,
  signalEventRest,
} from './webhooks.js';

/** `/Cust12345/api/v1/...` → tenant Cust12345 and path `/api/v1/...`. */
function splitTenant(path: string): { path: string; tenant?: string } {
  const match = /^\/([^/]+)(\/api(?:\/.*)?)$/.exec(path);
  if (match === null || match[1] === 'api' || match[1] === undefined || match[2] === undefined)
    return { path };
  return { path: match[2], tenant: match[1] };
}

/** SuperOffice CRM: the Webhook REST endpoints and the Webhook agent. */
export const superoffice = defineVendor<SuperOfficeState, SoPrincipal>({
  name: 'superoffice',
  title: 'SuperOffice',
  label: 'SuperOffice',
  basePath: '/superoffice',
  specFile: packagePath('specs', 'superoffice.openapi.yaml'),
  fixtureFile: 'superoffice.yaml',
  fixtureSchema: superOfficeFixtureSchema,
  signatureHeader: 'x-superoffice-signature',
  fixtureProblems: (fixture) =>
    ((fixture as SuperOfficeFixture).webhooks ?? []).flatMap((webhook, index) =>
      headerProblems(webhook.headers ?? {}, DELIVERY_HEADERS).map(
        (problem) => `/webhooks/${index}/headers/${problem.name}: ${problem.message}`,
      ),
    ),
  createState: (fixture, ctx) => createSuperOfficeState(fixture as SuperOfficeFixture, ctx.clock.now()),
  authenticate: (request, state) => authenticateSuperOffice(request, state),
  handlers: {
    v1Webhook_GetAllWebhooks: getAllWebhooks,
    v1Webhook_PostWebhook: postWebhook,
    v1Webhook_DefaultWebhook: getDefaultWebhook,
    v1Webhook_TestWebhook: testWebhook,
    v1Webhook_GetWebhook: getWebhook,
    v1Webhook_PutWebhook: putWebhook,
    v1Webhook_PatchWebhook: patchWebhook,
    v1Webhook_DeleteWebhook: deleteWebhook,
    v1Webhook_GetLastError: getLastError,
    v1Webhook_SignalEvent: signalEventRest,
    v1WebhookAgent_CreateDefaultWebhook: agentCreateDefaultWebhook,
    v1WebhookAgent_GetWebhook: agentGetWebhook,
    v1WebhookAgent_SaveWebhook: agentSaveWebhook,
    v1WebhookAgent_DeleteWebhook: agentDeleteWebhook,
    v1WebhookAgent_GetAllWebhooks: agentGetAllWebhooks,
    v1WebhookAgent_TestWebhook: agentTestWebhook,
    v1WebhookAgent_SignalEvent: agentSignalEvent,
    v1WebhookAgent_GetLastError: agentGetLastError,
  },
  publicHandlers: {},
  formatError: (error) => formatSuperOfficeError(error),
  negativeKinds: SUPEROFFICE_NEGATIVE_KINDS,
  splitPath: splitTenant,
  parseBody: parseSuperOfficeBody,
  serialize: serializeSuperOffice,
  listWebhooks: listSuperOfficeWebhooks,
  testCall: superOfficeTestCall,
  verifyDelivery: verifySuperOfficeDelivery,
  presentedCredential: superOfficeCredential,
  targetWebhook: superOfficeTargetWebhook,
  readTestAnswer: (status, body) => {
    const answer = body as { Success?: boolean; Message?: string } | undefined;
    const outcome = answer?.Success !== undefined ? `Success: ${answer.Success}` : (answer?.Message ?? '');
    return { ok: status < 300 && answer?.Success !== false, outcome };
  },
  receiverCheck: superOfficeReceiverCheck,
  events: superOfficeEventSupport,
});
