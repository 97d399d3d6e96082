import type { ReceiverCheck } from '../../core/vendor-module.js';

const CHECK_WEBHOOK_ID = 'wh_check_receiver';
const SECRET = /^whsec_[0-9a-f]{64}$/;

/** check-receiver for Shodai: a subscription of Alice's at the receiver, signed with the receiver's secret. */
export const shodaiReceiverCheck: ReceiverCheck = {
  signedWithoutSecret: false,
  secretProblem: (secret) => {
    if (secret === undefined)
      return '--secret is required for shodai: the whsec_... secret your receiver verifies with';
    if (!SECRET.test(secret))
      return '--secret must be a Shodai signing secret: whsec_ followed by 64 hex digits';
    return undefined;
  },
  fixtureWebhook: (url, secret) => ({ id: CHECK_WEBHOOK_ID, principalId: 'prn_demo_alice', url, secret }),
  testCall: () => ({
    method: 'POST',
    path: `/v0/webhooks/${CHECK_WEBHOOK_ID}/test`,
    headers: { 'x-api-key': 'cns_pk_demo_free' },
  }),
};
