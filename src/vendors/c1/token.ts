import { importJWK, jwtVerify } from 'jose';
import { hex } from '../../core/ids.js';
import { sameSecret } from '../../core/secrets.js';
import type { PublicOperationHandler, VendorRequest, VendorResponse } from '../../core/vendor-module.js';
import { oauthError } from './errors.js';
import { c1Jwks } from './keys.js';
import type { C1State, OAuthClient } from './state.js';

const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface TokenForm {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
  client_assertion_type?: string;
  client_assertion?: string;
}

/** How far ahead a client assertion's `exp` may be: "within five minutes of the current time" (authenticate.mdx). */
const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Clock skew allowed on `exp`, `nbf` and the five-minute rule. */
const ASSERTION_CLOCK_TOLERANCE_SECONDS = 30;

/** Names of the local machine: a client that calls one of them may put any of them into its assertion. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1', '[::1]'];

function hostNameOf(host: string | undefined): string | undefined {
  if (host === undefined || host === '') return undefined;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * The `aud` values a client assertion may carry. C1's SDKs put the host name of the server URL they were given,
 * so that is the host this request came in on (its Host header), or the mock's public URL; on the local machine
 * every loopback name (`localhost` and `127.0.0.1` reach the same mock).
 */
export function acceptedAudiences(request: Pick<VendorRequest, 'headers'>, vendorBaseUrl: string): string[] {
  const names = new Set<string>([new URL(vendorBaseUrl).hostname]);
  const called = hostNameOf(request.headers.host);
  if (called !== undefined) names.add(called);
  if ([...names].some((name) => LOOPBACK_NAMES.includes(name) || /^127\./.test(name)))
    for (const name of LOOPBACK_NAMES) names.add(name);
  return [...names];
}

/**
 * Verifies a client assertion: EdDSA, signed by the key inside the client's secret, iss = sub = client_id,
 * aud = the host name the client called (see acceptedAudiences), and an `exp` no more than five minutes away. `iat` is not required: C1's
 * documentation asks for exp only ("Infinitely valid JWTs are not allowed").
 */
async function verifyAssertion(
  client: OAuthClient,
  assertion: string,
  audience: string[],
  now: Date,
): Promise<string | undefined> {
  if (client.assertionKey === undefined) return 'this client has no key for client assertions';
  try {
    const key = await importJWK(client.assertionKey, 'EdDSA');
    const { payload } = await jwtVerify(assertion, key, {
      algorithms: ['EdDSA'],
      issuer: client.clientId,
      subject: client.clientId,
      audience,
      currentDate: now,
      requiredClaims: ['exp'],
      clockTolerance: ASSERTION_CLOCK_TOLERANCE_SECONDS,
    });
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (
      (payload.exp ?? 0) >
      nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS + ASSERTION_CLOCK_TOLERANCE_SECONDS
    ) {
      return 'client assertion rejected: exp must be within five minutes of the current time';
    }
    return undefined;
  } catch (error) {
    return `client assertion rejected: ${(error as Error).message}`;
  }
}

/** POST /auth/v1/token: OAuth 2.0 client credentials, with a client secret or a signed client assertion. */
export const issueToken: PublicOperationHandler<C1State> = async ({
  request,
  state,
  ctx,
}): Promise<VendorResponse> => {
  const form = (request.body ?? {}) as TokenForm;
  if (form.grant_type !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', `grant_type must be client_credentials`);
  }
  const client = form.client_id === undefined ? undefined : state.clients.get(form.client_id);
  if (client === undefined) return oauthError(401, 'invalid_client', 'unknown client_id');

  if (form.client_assertion !== undefined || form.client_assertion_type !== undefined) {
    if (form.client_assertion_type !== JWT_BEARER || form.client_assertion === undefined) {
      return oauthError(
        400,
        'invalid_request',
        `client_assertion_type must be ${JWT_BEARER}, with client_assertion`,
      );
    }
    const audiences = acceptedAudiences(request, ctx.vendorBaseUrl);
    const problem = await verifyAssertion(client, form.client_assertion, audiences, ctx.clock.now());
    if (problem !== undefined) return oauthError(401, 'invalid_client', problem);
  } else if (form.client_secret === undefined || !sameSecret(form.client_secret, client.clientSecret)) {
    return oauthError(401, 'invalid_client', 'client authentication failed');
  }

  const token = `c1at_${hex(ctx.ids, 24)}`;
  forgetOldestIssuedToken(state, ctx.storeLimit);
  state.accessTokens.set(token, {
    clientId: client.clientId,
    expiresAt: new Date(ctx.clock.now().getTime() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000),
  });
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: { access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME_SECONDS },
  };
};

/** Keeps issued tokens within the store limit: the oldest issued one goes (fixture tokens stay). */
function forgetOldestIssuedToken(state: C1State, limit: number): void {
  let issued = 0;
  let oldest: string | undefined;
  for (const [token, entry] of state.accessTokens) {
    if (entry.clientId === undefined) continue;
    issued += 1;
    oldest ??= token;
  }
  if (issued >= limit && oldest !== undefined) state.accessTokens.delete(oldest);
}

/**
 * GET /auth/v1/jwks: the public keys deliveries are signed with: the current key, and after a rotation the
 * replaced keys still within their grace period.
 */
export const publishJwks: PublicOperationHandler<C1State> = ({ state, ctx }) => ({
  status: 200,
  body: c1Jwks(state, ctx.clock.now()),
});
