import type { ReceiverCheck } from '../../core/vendor-module.js';
import { findShodaiEvent } from './events/catalogue.js';

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
  // an event Shodai does not send keeps the default eventTypes: the trigger refuses it, naming the known ones
  eventWebhook: (url, secret, event) => ({
    id: CHECK_WEBHOOK_ID,
    fixture: {
      id: CHECK_WEBHOOK_ID,
      principalId: 'prn_demo_alice',
      url,
      secret,
      ...(findShodaiEvent(event) === undefined ? {} : { eventTypes: [event] }),
    },
  }),
  testCall: () => ({
    method: 'POST',
    path: `/v0/webhooks/${CHECK_WEBHOOK_ID}/test`,
    headers: { 'x-api-key': 'cns_pk_demo_free' },
  }),
};
