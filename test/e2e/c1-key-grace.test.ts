/**
 * `--c1-key-grace` (and `C1_KEY_GRACE`) on the real command line: how long a key replaced by
 * `POST /__admin/c1/rotate-key` stays in the JWKS. A seeded run's frozen clock makes `retiresAt` exact.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli, startMockProcess } from '../support/process.js';

/** Starts the CLI, rotates C1's key over the admin API, and returns the answer's `retiresAt`. */
async function retiresAtWith(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const mock = await startMockProcess(['--port', '0', '--seed', 'grace', ...args], env);
  try {
    const res = await fetch(`${mock.url}/__admin/c1/rotate-key`, { method: 'POST' });
    assert.equal(res.status, 200);
    const rotation = (await res.json()) as { retiresAt: string; kid: string; previousKid: string };
    const jwks = (await (await fetch(`${mock.url}/c1/auth/v1/jwks`)).json()) as { keys: { kid: string }[] };
    assert.deepEqual(
      jwks.keys.map((key) => key.kid),
      [rotation.kid, rotation.previousKid],
    );
    return rotation.retiresAt;
  } finally {
    await mock.stop();
  }
}

describe('--c1-key-grace', () => {
  it('sets how long a rotated-out key stays in the JWKS: 10 minutes by default, a flag or C1_KEY_GRACE otherwise', async () => {
    assert.equal(await retiresAtWith([]), '2026-01-01T00:10:00.000Z');
    assert.equal(await retiresAtWith(['--c1-key-grace', '90s']), '2026-01-01T00:01:30.000Z');
    assert.equal(await retiresAtWith(['--c1-key-grace', '2500']), '2026-01-01T00:00:02.500Z');
    assert.equal(await retiresAtWith([], { C1_KEY_GRACE: '1h' }), '2026-01-01T01:00:00.000Z');
  });

  it('refuses a value that is not a duration, or longer than a week, in one line pointing at --help', async () => {
    const notDuration = await runCli(['--c1-key-grace', 'soon']);
    assert.equal(notDuration.code, 1);
    assert.match(
      notDuration.stderr,
      /^vendor-webhook-mock: option '--c1-key-grace <duration>' argument 'soon' is invalid\. must be a duration: milliseconds, or a number with ms, s, m or h \(90s, 10m\); see vendor-webhook-mock --help\n$/,
    );
    const tooLong = await runCli(['--c1-key-grace', '169h']);
    assert.equal(tooLong.code, 1);
    assert.match(tooLong.stderr, /must be a number of milliseconds from 0 to 604800000 \(168h\)/);
    const help = await runCli(['--help']);
    assert.match(help.stdout, /--c1-key-grace <duration>[\s\S]*\(default: 10m,\s+env: C1_KEY_GRACE\)/);
  });
});
