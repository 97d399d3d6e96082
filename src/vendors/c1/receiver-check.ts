import type { ReceiverCheck } from '../../core/vendor-module.js';
import { CHECK_KEY_GRACE_MS, rotatedKeyCheck } from './rotated-key-check.js';

/** The webhook `check-receiver` adds to the demo fixtures, pointing at the receiver. */
const CHECK_WEBHOOK_ID = '2bWkJ8Qv3nYc5hT0dLx9ZfCHECK';

/** check-receiver for C1: a webhook at the receiver, and its test call with the demo access token. */
export const c1ReceiverCheck: ReceiverCheck = {
  signedWithoutSecret: true,
  // receivers fetch the JWKS of the mock check-receiver starts, at the port a local mock usually has
  defaultPort: 4010,
  // the rotated-key check waits the old key's grace period out on the real clock: keep it short
  mockSettings: { keyGraceMs: CHECK_KEY_GRACE_MS },
  ownChecks: [rotatedKeyCheck],
  fixtureWebhook: (url) => ({ id: CHECK_WEBHOOK_ID, displayName: 'check-receiver', url }),
  eventWebhook: (url) => ({
    id: CHECK_WEBHOOK_ID,
    fixture: { id: CHECK_WEBHOOK_ID, displayName: 'trigger', url },
  }),
  testCall: () => ({
    method: 'POST',
    path: `/api/v1/webhooks/${CHECK_WEBHOOK_ID}/test`,
    headers: { authorization: 'Bearer demo-c1-token', 'content-type': 'application/json' },
    body: '{}',
  }),
  notes: (mockUrl, url, secret) => [
    `C1 deliveries are signed with a key made at start-up; the receiver must fetch it from ${mockUrl}/c1/auth/v1/jwks (issuer ${new URL(mockUrl).host}, audience ${new URL(url).hostname}), and fetch it again when a JWT names a kid it does not know: rotated-key rotates the key.`,
    ...(secret === undefined
      ? []
      : ['--secret is not used for C1: C1 signs with a JWT, not a shared secret.']),
  ],
};
