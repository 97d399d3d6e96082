import { C1_SIGNING_ALGORITHMS } from './key-derivation.js';
import type { C1SigningAlgorithm } from './key-derivation.js';

/** The shape of fixtures/c1.yaml. Unknown keys are refused. */
export const c1FixtureSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    signing: {
      description:
        "The tenant's delivery-signing key: its algorithm (default EdDSA). The key itself derives from the server's signing seed.",
      type: 'object',
      additionalProperties: false,
      properties: { algorithm: { type: 'string', enum: [...C1_SIGNING_ALGORITHMS] } },
    },
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
  signing?: { algorithm?: C1SigningAlgorithm };
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
