/** The shape of fixtures/c1.yaml. Unknown keys are refused. */
export const c1FixtureSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    accessTokens: {
      description: 'Bearer tokens accepted on every C1 call, as if issued by /auth/v1/token.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['token'],
        properties: { token: { type: 'string', minLength: 1 }, note: { type: 'string' } },
      },
    },
    clients: {
      description: 'OAuth clients for POST /auth/v1/token.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['clientId', 'clientSecret'],
        properties: {
          clientId: { type: 'string', minLength: 1 },
          clientSecret: { type: 'string', minLength: 1 },
          note: { type: 'string' },
        },
      },
    },
    webhooks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'displayName', 'url'],
        properties: {
          id: { type: 'string', minLength: 1 },
          displayName: { type: 'string' },
          description: { type: 'string' },
          url: { type: 'string', format: 'webhook-url' },
          callbackTimeout: { type: 'string', pattern: '^\\d+s$' },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;

export interface C1Fixture {
  accessTokens?: { token: string; note?: string }[];
  clients?: { clientId: string; clientSecret: string; note?: string }[];
  webhooks?: {
    id: string;
    displayName: string;
    description?: string;
    url: string;
    callbackTimeout?: string;
    createdAt?: string;
  }[];
}
