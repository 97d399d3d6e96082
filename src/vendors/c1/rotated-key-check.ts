/**
 * check-receiver's `rotated-key` check for C1: after the common checks it rotates the tenant's signing key (the
 * `rotate-key` action) and delivers again, signed with the new key, then once more after the old key has left
 * the JWKS. A receiver that fetches the JWKS again when a JWT names a kid it does not know passes; one that
 * keeps the keys it fetched first refuses the new key and fails, with what it did (and did not) fetch.
 *
 * A JWKS client may wait before fetching again (jose's createRemoteJWKSet: `cooldownDuration`, 30 s by
 * default, counted from its last fetch), and C1 retries a refused delivery, so a refused first delivery is sent
 * once more after that wait: accepted then, it is a warning (deliveries after a rotation arrive late), not a
 * failure. The old key's grace period in this check is short and waited out on the real clock: moving the
 * mock's clock instead would date the JWT in the receiver's future, and a correct verifier refuses that.
 */
import type { OwnCheckResult, OwnReceiverCheck, ReceiverProbe } from '../../core/vendor-module.js';
import type { C1KeyRotation } from './keys.js';

/** The grace period of the mock check-receiver runs: the old key retires this long after the rotation. */
export const CHECK_KEY_GRACE_MS = 2000;
/** jose's createRemoteJWKSet does not fetch the JWKS again within this long of its last fetch (its default). */
const JWKS_COOLDOWN_MS = 30_000;
const MARGIN_MS = 1000;
const JWKS_OPERATION = 'c1.api.auth.v1.Jwks';

interface Answer {
  status?: number;
  received: string;
}

const accepted = (answer: Answer): boolean =>
  answer.status !== undefined && answer.status >= 200 && answer.status < 300;

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;

/** Waits until the mock's clock reads `moment` (it runs at the real clock's pace here). */
async function waitUntil(probe: ReceiverProbe, moment: number): Promise<void> {
  const left = moment - probe.now().getTime();
  if (left > 0) await probe.sleep(left);
}

/** The verdict, from the answers: right after the rotation, after the cooldown (if refused), after retirement. */
function judge(
  rotation: C1KeyRotation,
  answers: { first: Answer; retry?: Answer; retired: Answer },
  fetchesSinceRotation: number,
): Pick<OwnCheckResult, 'verdict' | 'note'> {
  const newKey = `the new key (kid ${rotation.kid})`;
  const { first, retry, retired } = answers;
  if (retry !== undefined && !accepted(retry)) {
    if (fetchesSinceRotation === 0)
      return {
        verdict: 'fail',
        note: `refused deliveries signed with ${newKey} right after the rotation and again ${seconds(JWKS_COOLDOWN_MS + MARGIN_MS)} after its last JWKS fetch, and never fetched the JWKS again: it keeps the keys it fetched first. C1 rotates its signing key: when a JWT names a kid you do not know, fetch the JWKS again (jose's createRemoteJWKSet does)`,
      };
    return {
      verdict: 'fail',
      note: `refused deliveries signed with ${newKey} although it fetched the JWKS again (${fetchesSinceRotation} time(s)), which lists it: pick the key by the JWT's kid`,
    };
  }
  if (!accepted(retired))
    return {
      verdict: 'fail',
      note: `accepted ${newKey} but refused it once the old key (kid ${rotation.previousKid}) had left the JWKS: verify with the key the JWT's kid names, whatever else the JWKS holds`,
    };
  if (!accepted(first))
    return {
      verdict: 'warn',
      note: `refused ${newKey} at first and accepted it when sent again ${seconds(JWKS_COOLDOWN_MS + MARGIN_MS)} after its last JWKS fetch: its JWKS client waits before fetching again (jose: cooldownDuration, 30 s by default); C1 retries, so deliveries after a rotation arrive late`,
    };
  return { verdict: 'pass' };
}

async function runRotatedKeyCheck(probe: ReceiverProbe): Promise<OwnCheckResult> {
  const rotation = (await probe.action('rotate-key')) as C1KeyRotation;
  const rotatedAt = probe.now().getTime();
  const first = await probe.deliver();
  let retry: Answer | undefined;
  if (!accepted(first)) {
    const lastFetch = probe.callsOf(JWKS_OPERATION).at(-1)?.getTime() ?? rotatedAt;
    const resendAt = lastFetch + JWKS_COOLDOWN_MS + MARGIN_MS;
    probe.say(
      `rotated-key: the receiver refused the new key; sending again in ${seconds(resendAt - probe.now().getTime())}, as C1 retries (a JWKS client may wait before fetching again)`,
    );
    await waitUntil(probe, resendAt);
    retry = await probe.deliver();
  }
  await waitUntil(probe, rotation.retiresAt.getTime() + 1);
  const retired = await probe.deliver();
  const fetchesSinceRotation = probe
    .callsOf(JWKS_OPERATION)
    .filter((moment) => moment.getTime() >= rotatedAt).length;
  return {
    received: [first, retry, retired]
      .filter((answer) => answer !== undefined)
      .map((answer) => answer.received)
      .join(', '),
    ...judge(rotation, { first, ...(retry === undefined ? {} : { retry }), retired }, fetchesSinceRotation),
  };
}

export const rotatedKeyCheck: OwnReceiverCheck = {
  name: 'rotated-key',
  description: 'test deliveries after a key rotation, signed with the new key',
  expected: '2xx (re-fetch the JWKS)',
  run: runRotatedKeyCheck,
};
