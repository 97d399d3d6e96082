/**
 * A fourth vendor, made up for a test: one folder (this one) and its spec, mounted next to the three real ones
 * without a change to the core, the pipeline or the server. It signs deliveries with an HMAC header.
 */
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { MockError } from '../../../src/core/errors.js';
import type { MockErrorKind } from '../../../src/core/errors.js';
import { defineVendor } from '../../../src/core/vendor-runtime.js';

interface AcmeState {
  token: string;
  secret: string;
  hooks: Map<string, string>;
}

const STATUS: Record<MockErrorKind, number> = {
  'invalid-request': 400,
  'malformed-body': 400,
  'unsupported-media-type': 415,
  'payload-too-large': 413,
  unauthenticated: 401,
  'payment-required': 402,
  forbidden: 403,
  'not-found': 404,
  'route-not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'limit-exceeded': 429,
  'not-implemented': 501,
  internal: 500,
};

const sign = (secret: string, body: Buffer): string =>
  createHmac('sha256', secret).update(body).digest('hex');

export const acme = defineVendor<AcmeState, string>({
  name: 'acme',
  title: 'Acme Hooks',
  label: 'Acme',
  basePath: '/acme',
  specFile: fileURLToPath(new URL('./acme.openapi.yaml', import.meta.url)),
  fixtureFile: 'acme.yaml',
  fixtureSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['token', 'secret'],
    properties: {
      token: { type: 'string' },
      secret: { type: 'string' },
      hooks: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  signatureHeader: 'x-acme-signature',
  negativeKinds: ['tampered-body'],
  createState: (fixture) => {
    const data = fixture as { token: string; secret: string; hooks?: Record<string, string> };
    return { token: data.token, secret: data.secret, hooks: new Map(Object.entries(data.hooks ?? {})) };
  },
  authenticate: (request, state) => {
    if (request.headers.authorization !== `Token ${state.token}`)
      throw new MockError('unauthenticated', 'bad token');
    return state.token;
  },
  handlers: {
    listHooks: ({ state }) => ({
      status: 200,
      body: { hooks: [...state.hooks].map(([id, url]) => ({ id, url })) },
    }),
    pingHook: async ({ request, state, dispatch }) => {
      const url = state.hooks.get(request.params.id ?? '');
      if (url === undefined) throw new MockError('not-found', `no hook ${request.params.id}`);
      const note = (request.body as { note?: string } | undefined)?.note ?? 'ping';
      const body = Buffer.from(JSON.stringify({ hook: request.params.id, note }));
      const outcome = await dispatch.deliver({
        webhookId: request.params.id ?? '',
        event: 'ping',
        build: () => ({
          url,
          headers: { 'content-type': 'application/json', 'x-acme-signature': sign(state.secret, body) },
          body: dispatch.negative === 'tampered-body' ? Buffer.concat([body, Buffer.from(' ')]) : body,
        }),
        ...(dispatch.negative === undefined ? {} : { negative: dispatch.negative }),
      });
      const status = outcome.result.kind === 'response' ? outcome.result.response.status : 0;
      return { status: 200, body: { delivered: status >= 200 && status < 300, status } };
    },
  },
  publicHandlers: {},
  formatError: (error) => ({
    status: STATUS[error.kind],
    body: { problem: error.kind, reason: error.message },
  }),
  presentedCredential: (headers) => headers.authorization?.replace(/^Token /, ''),
  listWebhooks: (state) => [...state.hooks].map(([id, url]) => ({ id, name: id, url })),
  testCall: (state, id) =>
    state.hooks.has(id)
      ? { method: 'POST', path: `/hooks/${id}/ping`, headers: { authorization: `Token ${state.token}` } }
      : undefined,
  actions: {
    'set-secret': {
      summary: 'Replaces the signing secret: deliveries from now on are signed with the one given.',
      run: ({ state, body }) => {
        const secret = (body as { secret?: unknown } | undefined)?.secret;
        if (typeof secret !== 'string' || secret === '')
          throw new MockError('invalid-request', 'secret must be a non-empty string', {
            fields: [{ field: 'body.secret', message: 'must be a non-empty string' }],
          });
        state.secret = secret;
        return { secret };
      },
    },
  },
  verifyDelivery: (delivery, state) => {
    const presented = delivery.request.headers['x-acme-signature'];
    return presented === sign(state.secret, delivery.request.body)
      ? { verified: true, reason: "HMAC-SHA256 of the body with the fixture's secret matches" }
      : { verified: false, reason: 'the signature does not match the body' };
  },
});
