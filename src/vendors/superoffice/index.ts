import { fileURLToPath } from 'node:url';
import { defineVendor } from '../../core/vendor-runtime.js';
import { authenticateSuperOffice } from './auth.js';
import type { SoPrincipal } from './auth.js';
import { formatSuperOfficeError } from './errors.js';
import { superOfficeFixtureSchema } from './fixture-schema.js';
import type { SuperOfficeFixture } from './fixture-schema.js';
import { createSuperOfficeState } from './state.js';
import type { SuperOfficeState } from './state.js';
import { testWebhook } from './test-call.js';

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
  basePath: '/superoffice',
  specFile: fileURLToPath(new URL('../../../specs/superoffice.openapi.yaml', import.meta.url)),
  fixtureFile: 'superoffice.yaml',
  fixtureSchema: superOfficeFixtureSchema,
  createState: (fixture, ctx) => createSuperOfficeState(fixture as SuperOfficeFixture, ctx.clock.now()),
  authenticate: (request, state) => authenticateSuperOffice(request, state),
  handlers: {
    v1Webhook_TestWebhook: testWebhook,
  },
  publicHandlers: {},
  formatError: (error) => formatSuperOfficeError(error),
  splitPath: splitTenant,
});
