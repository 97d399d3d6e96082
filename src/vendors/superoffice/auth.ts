import { MockError } from '../../core/errors.js';
import { sameSecret } from '../../core/secrets.js';
import type { VendorRequest } from '../../core/vendor-module.js';
import type { Associate, SuperOfficeState } from './state.js';

export interface SoPrincipal {
  associate: Associate;
  scheme: 'Basic' | 'SOTicket' | 'Bearer' | 'XSRF';
}

function associateFor(state: SuperOfficeState, associateId: number | undefined): Associate {
  const associate = associateId === undefined ? undefined : state.associates.get(associateId);
  if (associate === undefined)
    throw new MockError('unauthenticated', 'the credential does not belong to a known user');
  return associate;
}

/**
 * `Authorization: Basic <user:password>`, `SOTicket 7T:...` or `Bearer 8A:...`, checked against the fixtures;
 * without an Authorization header, `X-XSRF-TOKEN` (a browser session). When the fixture lists application
 * tokens, a `SO-AppToken` header must be one of them. A tenant in the path must be the fixture's.
 */
export function authenticateSuperOffice(request: VendorRequest, state: SuperOfficeState): SoPrincipal {
  const principal = credentialOf(request, state);
  const appToken = request.headers['so-apptoken'];
  if (appToken !== undefined && state.appTokens.size > 0 && !state.appTokens.has(appToken.trim())) {
    throw new MockError('forbidden', 'Unknown application token (SO-AppToken)');
  }
  if (
    request.tenant !== undefined &&
    request.tenant.toLowerCase() !== state.contextIdentifier.toLowerCase()
  ) {
    throw new MockError(
      'unauthenticated',
      `The credentials are not valid for tenant ${request.tenant}; this mock serves ${state.contextIdentifier}`,
    );
  }
  return principal;
}

function credentialOf(request: VendorRequest, state: SuperOfficeState): SoPrincipal {
  const header = request.headers.authorization?.trim();
  if (header === undefined || header === '') {
    const xsrf = request.headers['x-xsrf-token']?.trim();
    if (xsrf !== undefined && xsrf !== '') {
      const associateId = state.xsrfTokens.get(xsrf);
      if (associateId === undefined) throw new MockError('unauthenticated', 'Invalid X-XSRF-TOKEN');
      return { associate: associateFor(state, associateId), scheme: 'XSRF' };
    }
    throw new MockError(
      'unauthenticated',
      'Authorization required: send Basic, SOTicket or Bearer credentials (or X-XSRF-TOKEN)',
    );
  }
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header.toLowerCase() : header.slice(0, space).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? undefined : state.basicUsers.get(decoded.slice(0, colon));
    if (user === undefined || !sameSecret(decoded.slice(colon + 1), user.password)) {
      throw new MockError('unauthenticated', 'Invalid username or password');
    }
    return { associate: associateFor(state, user.associateId), scheme: 'Basic' };
  }
  if (scheme === 'soticket') {
    const associateId = state.tickets.get(value);
    if (associateId === undefined) throw new MockError('unauthenticated', 'Invalid or expired SOTicket');
    return { associate: associateFor(state, associateId), scheme: 'SOTicket' };
  }
  if (scheme === 'bearer') {
    const associateId = state.accessTokens.get(value);
    if (associateId === undefined) throw new MockError('unauthenticated', 'Invalid or expired access token');
    return { associate: associateFor(state, associateId), scheme: 'Bearer' };
  }
  throw new MockError('unauthenticated', `Unsupported authorization scheme; use Basic, SOTicket or Bearer`);
}
