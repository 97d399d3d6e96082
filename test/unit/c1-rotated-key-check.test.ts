/**
 * check-receiver's `rotated-key` check for C1, against receivers played by a script: what it sends when, and
 * the verdict and explanation for each way a receiver can handle a key rotation. (The real thing, with real
 * processes and jose receivers, is in test/e2e/check-receiver.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReceiverProbe } from '../../src/core/vendor-module.js';
import { rotatedKeyCheck } from '../../src/vendors/c1/rotated-key-check.js';

const START = Date.parse('2026-05-01T10:00:00Z');
const GRACE_MS = 2000;
const JWKS = 'c1.api.auth.v1.Jwks';

interface Script {
  /** The receiver's status for each delivery, in order. */
  statuses: number[];
  /** Whether the receiver fetches the JWKS while handling each delivery. */
  fetches?: boolean[];
}

/** A probe over a fake clock (sleeping moves it) and a receiver that answers as scripted. */
function scriptedProbe(script: Script) {
  let now = START;
  const calls = [new Date(START - 5000)]; // the JWKS fetch of the common checks
  const log: string[] = [];
  let delivered = 0;
  const probe: ReceiverProbe = {
    deliver: () => {
      const index = delivered++;
      if (script.fetches?.[index] === true) calls.push(new Date(now));
      log.push(`deliver@${now - START}`);
      const status = script.statuses[index]!;
      return Promise.resolve({ status, received: String(status) });
    },
    action: (name) => {
      log.push(`${name}@${now - START}`);
      return Promise.resolve({
        kid: 'new-kid',
        alg: 'EdDSA',
        previousKid: 'old-kid',
        retiresAt: new Date(now + GRACE_MS),
      });
    },
    callsOf: (operationId) => (operationId === JWKS ? [...calls] : []),
    now: () => new Date(now),
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
    say: (line) => log.push(`say: ${line}`),
  };
  return { probe, log };
}

describe('C1 rotated-key check', () => {
  it('passes a receiver that accepts the new key at once and after the old key retired: two deliveries, no wait beyond the grace', async () => {
    const { probe, log } = scriptedProbe({ statuses: [200, 200], fetches: [true, false] });
    assert.deepEqual(await rotatedKeyCheck.run(probe), { received: '200, 200', verdict: 'pass' });
    assert.deepEqual(log, ['rotate-key@0', 'deliver@0', `deliver@${GRACE_MS + 1}`]);
  });

  it('fails a receiver that never fetches the JWKS again, after sending once more past a 30 s cooldown from its last fetch', async () => {
    const { probe, log } = scriptedProbe({ statuses: [401, 401, 401] });
    const result = await rotatedKeyCheck.run(probe);
    assert.equal(result.verdict, 'fail');
    assert.equal(result.received, '401, 401, 401');
    assert.match(
      result.note!,
      /^refused deliveries signed with the new key \(kid new-kid\) right after the rotation and again 31 s after its last JWKS fetch, and never fetched the JWKS again/,
    );
    // its last fetch was 5 s before the rotation: sent again 26 s after it
    assert.deepEqual(log, [
      'rotate-key@0',
      'deliver@0',
      'say: rotated-key: the receiver refused the new key; sending again in 26 s, as C1 retries (a JWKS client may wait before fetching again)',
      'deliver@26000',
      'deliver@26000',
    ]);
  });

  it('warns about a receiver that accepts the new key only when it comes again after the cooldown', async () => {
    const { probe } = scriptedProbe({ statuses: [401, 200, 200], fetches: [false, true, false] });
    const result = await rotatedKeyCheck.run(probe);
    assert.deepEqual([result.verdict, result.received], ['warn', '401, 200, 200']);
    assert.match(
      result.note!,
      /^refused the new key \(kid new-kid\) at first and accepted it when sent again 31 s after its last JWKS fetch/,
    );
  });

  it('fails a receiver that fetched the JWKS again yet refuses the key it lists, saying so', async () => {
    const { probe } = scriptedProbe({ statuses: [401, 401, 401], fetches: [true, true, true] });
    const result = await rotatedKeyCheck.run(probe);
    assert.equal(result.verdict, 'fail');
    assert.equal(
      result.note,
      "refused deliveries signed with the new key (kid new-kid) although it fetched the JWKS again (3 time(s)), which lists it: pick the key by the JWT's kid",
    );
  });

  it('fails a receiver that accepts the new key during the grace period but refuses it once the old key has retired', async () => {
    const { probe } = scriptedProbe({ statuses: [200, 401] });
    const result = await rotatedKeyCheck.run(probe);
    assert.deepEqual([result.verdict, result.received], ['fail', '200, 401']);
    assert.match(
      result.note!,
      /^accepted the new key \(kid new-kid\) but refused it once the old key \(kid old-kid\) had left the JWKS/,
    );
  });
});
