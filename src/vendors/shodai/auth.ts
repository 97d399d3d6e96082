import { MockError } from '../../core/errors.js';
import type { VendorRequest } from '../../core/vendor-module.js';
import type { ApiKey, ShodaiState } from './state.js';

/**
 * `X-API-Key: cns_pk_...`, or `Authorization: Bearer cns_pk_...` as an alias; OAuth/JWT bearer tokens are
 * refused. The key's entitlement decides: free_allowlist passes, paid_required is 402, blocked is 403.
 */
export function authenticateShodai(request: VendorRequest, state: ShodaiState): ApiKey {
  let presented = request.headers['x-api-key']?.trim();
  if (presented === undefined || presented === '') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    presented = match?.[1];
    if (presented !== undefined && !presented.startsWith('cns_pk_')) {
      throw new MockError(
        'unauthenticated',
        'Bearer tokens other than API keys are not supported; send X-API-Key',
        {
          code: 'unauthorized',
        },
      );
    }
  }
  if (presented === undefined || presented === '') {
    throw new MockError('unauthenticated', 'Missing API key', { code: 'unauthorized' });
  }
  const key = state.apiKeys.get(presented);
  if (key === undefined) throw new MockError('unauthenticated', 'Invalid API key', { code: 'unauthorized' });
  if (key.entitlement === 'paid_required') {
    throw new MockError('payment-required', 'This API principal requires a paid entitlement for this scope', {
      code: 'paid_required',
    });
  }
  if (key.entitlement === 'blocked') {
    throw new MockError('forbidden', 'This API principal is blocked', { code: 'blocked' });
  }
  return key;
}
