const stringList = { type: 'array', items: { type: 'string' } } as const;

/** The shape of fixtures/shodai.yaml. Unknown keys are refused. */
export const shodaiFixtureSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiKeys: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'principalId', 'entitlement'],
        properties: {
          key: { type: 'string', pattern: '^cns_pk_\\S+$' },
          id: { type: 'string', description: 'The API key id, shown as createdByApiKeyId.' },
          principalId: { type: 'string', minLength: 1 },
          entitlement: { enum: ['free_allowlist', 'paid_required', 'blocked'] },
          note: { type: 'string' },
        },
      },
    },
    webhooks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'principalId', 'url', 'secret'],
        properties: {
          id: { type: 'string', pattern: '^wh_\\S+$' },
          principalId: { type: 'string', minLength: 1 },
          url: { type: 'string', format: 'webhook-url' },
          secret: { type: 'string', pattern: '^whsec_[0-9a-f]{64}$' },
          status: { enum: ['active', 'disabled'] },
          eventTypes: {
            type: 'array',
            items: { enum: ['agreement.transitioned', 'agreement.notification.triggered'] },
          },
          filters: {
            type: 'object',
            additionalProperties: false,
            properties: {
              agreementIds: stringList,
              templateIds: stringList,
              inputIds: stringList,
              fromStates: stringList,
              toStates: stringList,
              ruleIds: stringList,
            },
          },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;

export type Entitlement = 'free_allowlist' | 'paid_required' | 'blocked';
export type EventType = 'agreement.transitioned' | 'agreement.notification.triggered';

export interface ShodaiFilters {
  agreementIds?: string[];
  templateIds?: string[];
  inputIds?: string[];
  fromStates?: string[];
  toStates?: string[];
  ruleIds?: string[];
}

export interface ShodaiFixture {
  apiKeys?: { key: string; id?: string; principalId: string; entitlement: Entitlement; note?: string }[];
  webhooks?: {
    id: string;
    principalId: string;
    url: string;
    secret: string;
    status?: 'active' | 'disabled';
    eventTypes?: EventType[];
    filters?: ShodaiFilters;
    createdAt?: string;
  }[];
}
