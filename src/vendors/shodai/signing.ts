import { createHmac } from 'node:crypto';

/** `sha256=` + hex HMAC-SHA256(key = the whole secret, `whsec_` included; message = `<timestamp>.<raw body>`). */
export function signShodaiDelivery(secret: string, timestamp: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}
