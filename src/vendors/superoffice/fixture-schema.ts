const associateRef = {
  type: 'integer',
  minimum: 1,
  description: 'The AssociateId the credential logs in as.',
};

/** The shape of fixtures/superoffice.yaml. Unknown keys are refused. */
export const superOfficeFixtureSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['contextIdentifier', 'associates'],
  properties: {
    contextIdentifier: { type: 'string', pattern: '^Cust\\d+$', description: 'The tenant, e.g. Cust12345.' },
    associates: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['associateId', 'name'],
        properties: {
          associateId: { type: 'integer', minimum: 1 },
          name: { type: 'string' },
          fullName: { type: 'string' },
          personId: { type: 'integer' },
        },
      },
    },
    basicUsers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['username', 'password', 'associateId'],
        properties: { username: { type: 'string' }, password: { type: 'string' }, associateId: associateRef },
      },
    },
    tickets: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['ticket', 'associateId'],
        properties: { ticket: { type: 'string', pattern: '^7T:\\S+$' }, associateId: associateRef },
      },
    },
    accessTokens: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['token', 'associateId'],
        properties: { token: { type: 'string', pattern: '^8A:\\S+$' }, associateId: associateRef },
      },
    },
    xsrfTokens: {
      type: 'array',
      description: 'X-XSRF-TOKEN values that authenticate a request without an Authorization header.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['token', 'associateId'],
        properties: { token: { type: 'string', minLength: 1 }, associateId: associateRef },
      },
    },
    appTokens: {
      type: 'array',
      description:
        'SO-AppToken values accepted; when listed, a request sending another one is refused (403).',
      items: { type: 'string', minLength: 1 },
    },
    webhooks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['webhookId', 'name', 'events', 'targetUrl'],
        properties: {
          webhookId: { type: 'integer', minimum: 1 },
          name: { type: 'string' },
          events: { type: 'array', items: { type: 'string' } },
          targetUrl: { type: 'string' },
          secret: { type: 'string' },
          state: { enum: ['Unknown', 'Active', 'Stopped', 'TooManyErrors'] },
          type: { type: 'string' },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
          properties: { type: 'object' },
          registeredAssociateId: associateRef,
          registered: { type: 'string', format: 'date-time' },
          errorsEmail: { type: 'string' },
        },
        // like the API: a crmscript webhook's TargetUrl is no URL; any other is POSTed to
        if: { required: ['type'], properties: { type: { type: 'string', const: 'crmscript' } } },
        else: { properties: { targetUrl: { type: 'string', format: 'webhook-url' } } },
      },
    },
  },
} as const;

export type WebhookStateName = 'Unknown' | 'Active' | 'Stopped' | 'TooManyErrors';

export interface SuperOfficeFixture {
  contextIdentifier: string;
  associates: { associateId: number; name: string; fullName?: string; personId?: number }[];
  basicUsers?: { username: string; password: string; associateId: number }[];
  tickets?: { ticket: string; associateId: number }[];
  accessTokens?: { token: string; associateId: number }[];
  xsrfTokens?: { token: string; associateId: number }[];
  appTokens?: string[];
  webhooks?: {
    webhookId: number;
    name: string;
    events: string[];
    targetUrl: string;
    secret?: string;
    state?: WebhookStateName;
    type?: string;
    headers?: Record<string, string>;
    properties?: Record<string, unknown>;
    registeredAssociateId?: number;
    registered?: string;
    errorsEmail?: string;
  }[];
}
