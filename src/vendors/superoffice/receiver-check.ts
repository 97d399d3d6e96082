import type { ReceiverCheck } from '../../core/vendor-module.js';

/** check-receiver for SuperOffice: `Webhook/Test` carries the target and the Secret itself. */
export const superOfficeReceiverCheck: ReceiverCheck = {
  signedWithoutSecret: false,
  testCall: (url, secret) => ({
    method: 'POST',
    path: '/api/v1/Webhook/Test',
    headers: {
      authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify({ Name: 'check-receiver', TargetUrl: url, Secret: secret ?? '' }),
  }),
  accepts: (status) => (status === 200 ? 'yes' : status >= 200 && status < 300 ? 'only-2xx-not-200' : 'no'),
  notes: (_mockUrl, _url, secret) =>
    (secret ?? '') === ''
      ? [
          'No --secret: SuperOffice signs only webhooks with a Secret, so the signature checks were skipped; pass the secret your receiver verifies with.',
        ]
      : [],
};
