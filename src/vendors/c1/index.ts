import { outcomeOf } from './event-delivery.js';
import { c1SinkAnswer } from './sink-answer.js';
import { c1Actions, c1Settings } from './actions.js';
import { packagePath } from '../../core/package-root.js';
import { defineVendor } from '../../core/vendor-runtime.js';
import { authenticateC1 } from './auth.js';
import type { C1Principal } from './auth.js';
import { formatC1ErrorFor } from './errors.js';
import { expireCallbacks } from './callback-timeout.js';
import { c1FixtureSchema } from './fixture-schema.js';
import type { C1Fixture } from './fixture-schema.js';
import { c1TestCall, listC1Webhooks, verifyC1Delivery } from './inspection.js';
import { C1_NEGATIVE_KINDS } from './negative.js';
import { c1ReceiverCheck } from './receiver-check.js';
import { c1EventSupport } from './trigger.js';
import { createC1State } from './state.js';
import type { C1State } from './state.js';
import { completeCallback, testWebhook } from './test-call.js';
import { issueToken, publishJwks } from './token.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  searchWebhooks,
  updateWebhook,
} from './webhooks.js';

/** ConductorOne (C1): webhooks API, OAuth token endpoint, JWKS and callback URLs. */
export const c1 = defineVendor<C1State, C1Principal>({
  name: 'c1',
  title: 'ConductorOne',
  label: 'ConductorOne',
  basePath: '/c1',
  specFile: packagePath('specs', 'c1.openapi.yaml'),
  fixtureFile: 'c1.yaml',
  fixtureSchema: c1FixtureSchema,
  signatureHeader: 'authorization',
  createState: (fixture, ctx) =>
    createC1State(fixture as C1Fixture, ctx.clock.now(), ctx.signingSeed, {
      graceMs: ctx.settings.keyGraceMs,
    }),
  authenticate: authenticateC1,
  handlers: {
    'c1.api.webhooks.v1.WebhooksService.List': listWebhooks,
    'c1.api.webhooks.v1.WebhooksService.Create': createWebhook,
    'c1.api.webhooks.v1.WebhooksService.Get': getWebhook,
    'c1.api.webhooks.v1.WebhooksService.Update': updateWebhook,
    'c1.api.webhooks.v1.WebhooksService.Delete': deleteWebhook,
    'c1.api.webhooks.v1.WebhooksService.Test': testWebhook,
    'c1.api.webhooks.v1.WebhooksSearch.Search': searchWebhooks,
  },
  publicHandlers: {
    'c1.api.auth.v1.Token': issueToken,
    'c1.api.auth.v1.Jwks': publishJwks,
    'c1.api.webhooks.v1.WebhooksCallback.Callback': completeCallback,
  },
  formatError: formatC1ErrorFor,
  negativeKinds: C1_NEGATIVE_KINDS,
  listWebhooks: listC1Webhooks,
  sinkAnswer: c1SinkAnswer,
  // each WebhookInstance with what C1 made of its answer (approved, provisioned, invalid response, …)
  instances: (state, ctx) => {
    expireCallbacks(state, ctx);
    return [...state.instances.values()].reverse().map((instance) => {
      const outcome = outcomeOf(state, instance.id);
      return outcome === undefined ? instance : { ...instance, outcome };
    });
  },
  testCall: (state, id, ctx) => c1TestCall(state, id, ctx.clock.now()),
  verifyDelivery: verifyC1Delivery,
  readTestAnswer: (status, body) => {
    const state = (body as { webhook?: { state?: string } } | undefined)?.webhook?.state;
    const failed = state === 'WEBHOOK_STATE_ERROR' || state === 'WEBHOOK_STATE_FATAL_ERROR';
    return {
      ok: status < 300 && !failed,
      outcome: state ?? (body as { message?: string } | undefined)?.message ?? '',
    };
  },
  receiverCheck: c1ReceiverCheck,
  events: c1EventSupport,
  actions: c1Actions,
  settings: c1Settings,
});
