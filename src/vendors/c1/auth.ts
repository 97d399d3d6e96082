import { MockError } from '../../core/errors.js';
import type { VendorContext, VendorRequest } from '../../core/vendor-module.js';
import type { C1State } from './state.js';

export interface C1Principal {
  token: string;
  clientId?: string;
}

/** `Authorization: Bearer <token>`: a token from the fixtures or one issued by /auth/v1/token and not expired. */
export function authenticateC1(request: VendorRequest, state: C1State, ctx: VendorContext): C1Principal {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null || match[1] === undefined) {
    throw new MockError('unauthenticated', 'missing bearer token: send Authorization: Bearer <access token>');
  }
  const token = match[1];
  const entry = state.accessTokens.get(token);
  if (entry === undefined) throw new MockError('unauthenticated', 'invalid bearer token');
  if (entry.expiresAt !== undefined && entry.expiresAt <= ctx.clock.now()) {
    state.accessTokens.delete(token);
    throw new MockError('unauthenticated', 'the access token has expired');
  }
  return { token, ...(entry.clientId !== undefined ? { clientId: entry.clientId } : {}) };
}
