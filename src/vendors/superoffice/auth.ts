import { MockError } from '../../core/errors.js';
import type { VendorRequest } from '../../core/vendor-module.js';
import type { Associate, SuperOfficeState } from './state.js';

export interface SoPrincipal {
  associate: Associate;
  scheme: 'Basic' | 'SOTicket' | 'Bearer';
}

function associateFor(state: SuperOfficeState, associateId: number | undefined): Associate {
  const associate = associateId === undefined ? undefined : state.associates.get(associateId);
  if (associate === undefined)
    throw new MockError('unauthenticated', 'the credential does not belong to a known user');
  return associate;
}

/**
 * `Authorization: Basic <user:password>`, `SOTicket 7T:...` or `Bearer 8A:...`, checked against the fixtures.
 */
export function authenticateSuperOffice(request: VendorRequest, state: SuperOfficeState): SoPrincipal {
  const header = request.headers.authorization?.trim();
  if (header === undefined || header === '') {
    throw new MockError(
      'unauthenticated',
      'Authorization required: send Basic, SOTicket or Bearer credentials',
    );
  }
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header.toLowerCase() : header.slice(0, space).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? undefined : state.basicUsers.get(decoded.slice(0, colon));
    if (user === undefined || user.password !== decoded.slice(colon + 1)) {
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
