import { createHmac } from 'node:crypto';

/** `X-SuperOffice-Signature`: base64(HMAC-SHA256(key = UTF-8 secret, message = raw body)). */
export function signSuperOfficeBody(secret: string, body: Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('base64');
}
