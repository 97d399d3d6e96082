import { packagePath } from '../../core/package-root.js';
import { defineVendor } from '../../core/vendor-runtime.js';
import { authenticateShodai } from './auth.js';
import { formatShodaiError } from './errors.js';
import { shodaiFixtureSchema } from './fixture-schema.js';
import type { ShodaiFixture } from './fixture-schema.js';
import { listShodaiWebhooks, shodaiTestCall, verifyShodaiDelivery } from './inspection.js';
import { SHODAI_NEGATIVE_KINDS } from './negative.js';
import { shodaiReceiverCheck } from './receiver-check.js';
import { shodaiEventSupport } from './trigger.js';
import { createShodaiState } from './state.js';
import type { ApiKey, ShodaiState } from './state.js';
import { testWebhook } from './test-call.js';
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook } from './webhooks.js';

/** Shodai Agreements API: webhook subscriptions under /v0/webhooks. */
export const shodai = defineVendor<ShodaiState, ApiKey>({
  name: 'shodai',
  title: 'Shodai Agreements API',
  label: 'Shodai',
  basePath: '/shodai',
  specFile: packagePath('specs', 'shodai.openapi.yaml'),
  fixtureFile: 'shodai.yaml',
  fixtureSchema: shodaiFixtureSchema,
  signatureHeader: 'x-shodai-webhook-signature',
  createState: (fixture, ctx) => createShodaiState(fixture as ShodaiFixture, ctx.clock.now()),
  authenticate: (request, state) => authenticateShodai(request, state),
  handlers: {
    createWebhook,
    listWebhooks,
    getWebhook,
    updateWebhook,
    deleteWebhook,
    testWebhook,
  },
  publicHandlers: {},
  formatError: (error, context) => formatShodaiError(error, context.requestId),
  negativeKinds: SHODAI_NEGATIVE_KINDS,
  listWebhooks: listShodaiWebhooks,
  testCall: shodaiTestCall,
  verifyDelivery: verifyShodaiDelivery,
  presentedCredential: (headers) =>
    headers['x-api-key']?.trim() || /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1],
  readTestAnswer: (status, body) => {
    const answer = body as { data?: { ok?: boolean; responseStatus?: number }; error?: { message?: string } };
    const data = answer?.data;
    const outcome =
      answer?.error?.message ??
      (data === undefined
        ? ''
        : `ok: ${String(data.ok)}${data.responseStatus ? `, receiver ${data.responseStatus}` : ''}`);
    return { ok: status < 300 && data?.ok !== false, outcome };
  },
  receiverCheck: shodaiReceiverCheck,
  events: shodaiEventSupport,
});
