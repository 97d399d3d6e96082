/**
 * `vendor-webhook-mock check-receiver` as a real process (the built CLI) against receivers written here: ones
 * that verify as the vendors document it (jose against the command's own JWKS URL for C1, the HMACs
 * recomputed, Shodai's 300 s tolerance, de-duplication by event id) pass; a sloppy one that accepts
 * everything fails, and the failed checks are named. For C1's `rotated-key` check: a receiver that fetches
 * the JWKS again on an unknown kid passes, one that keeps the JWKS it fetched first fails, and one whose JWKS
 * client waits 30 s before fetching again (jose's default) gets a warning.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { runCli } from '../support/process.js';
import { freePort } from '../support/receiver.js';

const SHODAI_SECRET = `whsec_${'5c'.repeat(32)}`;
const SO_SECRET = 'check receiver secret';

interface Incoming {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** A receiver on 127.0.0.1; `handle` decides the status of each request. */
async function startServer(
  handle: (request: Incoming) => number | Promise<number>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string') headers[name] = value;
      void Promise.resolve(handle({ path: req.url ?? '', headers, body: Buffer.concat(chunks) }))
        .catch(() => 500)
        .then((status) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(status < 300 ? '{"version":"v1"}' : '{"error":"refused"}');
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function safeEqual(a: string, b: string | undefined): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b ?? '');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Event ids already processed, per vendor: a repeat is answered 200 and not processed again. */
const processed = { c1: new Set<string>(), shodai: new Set<string>(), superoffice: new Set<string>() };

function once(vendor: keyof typeof processed, id: string | undefined): number {
  if (id === undefined) return 400;
  processed[vendor].add(id);
  return 200;
}

/** Shodai's SDK verifier: HMAC-SHA256(secret, `${timestamp}.${body}`), timestamp within 300 s. */
function verifyShodai(request: Incoming): number {
  const timestamp = request.headers['x-shodai-webhook-timestamp'] ?? '';
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return 400;
  const expected = `sha256=${createHmac('sha256', SHODAI_SECRET)
    .update(`${timestamp}.`)
    .update(request.body)
    .digest('hex')}`;
  if (!safeEqual(expected, request.headers['x-shodai-webhook-signature'])) return 401;
  return once('shodai', request.headers['x-shodai-webhook-id']);
}

function verifySuperOffice(request: Incoming): number {
  const expected = createHmac('sha256', SO_SECRET).update(request.body).digest('base64');
  if (!safeEqual(expected, request.headers['x-superoffice-signature'])) return 401;
  return once('superoffice', request.headers['x-superoffice-eventid']);
}

const jwksUrl = (port: number): URL => new URL(`http://127.0.0.1:${port}/c1/auth/v1/jwks`);

/**
 * C1: the bearer JWT against the JWKS `keys` gives (iss, aud, exp), htb_s256 and Content-Digest against the raw
 * body; each event processed once (in `seen`).
 */
async function verifyC1With(
  keys: JWTVerifyGetKey,
  request: Incoming,
  jwksPort: number,
  seen: Set<string>,
): Promise<number> {
  const match = /^bearer (.+)$/i.exec(request.headers.authorization ?? '');
  if (match === null) return 401;
  let payload;
  try {
    ({ payload } = await jwtVerify(match[1]!, keys, {
      issuer: `127.0.0.1:${jwksPort}`,
      audience: '127.0.0.1',
    }));
  } catch {
    return 401;
  }
  const digest = createHash('sha256').update(request.body).digest('base64');
  if (payload.htb_s256 !== digest || request.headers['content-digest'] !== `sha-256=${digest}`) return 400;
  const id = request.headers['webhook-id'];
  if (id === undefined) return 400;
  seen.add(id);
  return 200;
}

/** C1, fetching the JWKS for every delivery (a new jose createRemoteJWKSet each time). */
function verifyC1(request: Incoming, jwksPort: number): Promise<number> {
  return verifyC1With(createRemoteJWKSet(jwksUrl(jwksPort)), request, jwksPort, processed.c1);
}

/** A C1 receiver on its own, verifying with the key set `keysFor` gives it; `seen` holds the events it processed. */
async function startC1Receiver(keys: () => Promise<JWTVerifyGetKey>, jwksPort: number) {
  const seen = new Set<string>();
  const server = await startServer(async (request) => verifyC1With(await keys(), request, jwksPort, seen));
  return { ...server, seen };
}

interface JsonReport {
  ok: boolean;
  checks: { check: string; verdict: string; received?: string; note?: string }[];
}

describe('check-receiver', () => {
  let proper: { url: string; close(): Promise<void> };
  let sloppy: { url: string; close(): Promise<void> };
  let c1Port: number;

  before(async () => {
    c1Port = await freePort();
    proper = await startServer((request) => {
      if (request.path === '/shodai') return verifyShodai(request);
      if (request.path === '/superoffice') return verifySuperOffice(request);
      if (request.path === '/c1') return verifyC1(request, c1Port);
      return 404;
    });
    sloppy = await startServer(() => 200);
  });

  after(async () => {
    await proper.close();
    await sloppy.close();
  });

  it('a Shodai receiver that verifies properly passes every check (exit 0)', async () => {
    const run = await runCli([
      'check-receiver',
      '--vendor',
      'shodai',
      '--url',
      `${proper.url}/shodai`,
      '--secret',
      SHODAI_SECRET,
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (const check of [
      'valid',
      'duplicate-event-id',
      'tampered-body',
      'wrong-secret',
      'stale-timestamp',
      'missing-signature',
    ]) {
      assert.match(run.stdout, new RegExp(`^${check} .* ok(:|$)`, 'm'), `${check} in:\n${run.stdout}`);
    }
    assert.match(run.stdout, /^check\s+what it sends\s+expected\s+receiver\s+verdict$/m);
    assert.match(run.stdout, /^OK: 6 passed\.$/m);
    assert.equal(processed.shodai.size, 1, 'the duplicate was not processed again');
  });

  it('a C1 receiver that verifies the JWT against the command’s JWKS passes every check (exit 0)', async () => {
    const run = await runCli([
      'check-receiver',
      '--vendor',
      'c1',
      '--url',
      `${proper.url}/c1`,
      '--port',
      String(c1Port),
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (const check of [
      'valid',
      'duplicate-event-id',
      'tampered-body',
      'wrong-secret',
      'expired-jwt',
      'wrong-audience',
      'bad-content-digest',
      'missing-signature',
      'rotated-key',
    ]) {
      assert.match(run.stdout, new RegExp(`^${check} .* ok(:|$)`, 'm'), `${check} in:\n${run.stdout}`);
    }
    assert.match(run.stdout, new RegExp(`http://127\\.0\\.0\\.1:${c1Port}/c1/auth/v1/jwks`));
    // the valid event (its duplicate not processed again), and rotated-key's two deliveries
    assert.equal(processed.c1.size, 3);
  });

  it('a SuperOffice receiver passes with --secret, and the signature checks are skipped without it', async () => {
    const withSecret = await runCli([
      'check-receiver',
      '--vendor',
      'superoffice',
      '--url',
      `${proper.url}/superoffice`,
      '--secret',
      SO_SECRET,
      '--json',
    ]);
    assert.equal(withSecret.code, 0, withSecret.stdout + withSecret.stderr);
    const report = JSON.parse(withSecret.stdout) as {
      ok: boolean;
      checks: { check: string; verdict: string; status?: number }[];
    };
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.checks.map((check) => [check.check, check.verdict]),
      [
        ['valid', 'pass'],
        ['duplicate-event-id', 'pass'],
        ['tampered-body', 'pass'],
        ['wrong-secret', 'pass'],
        ['missing-signature', 'pass'],
      ],
    );

    const withoutSecret = await runCli(['check-receiver', '--vendor', 'superoffice', '--url', sloppy.url]);
    assert.equal(withoutSecret.code, 0, withoutSecret.stdout + withoutSecret.stderr);
    assert.match(withoutSecret.stdout, /^missing-signature .* skipped: needs --secret$/m);
    assert.match(withoutSecret.stdout, /^note: No --secret/m);
  });

  it('a sloppy receiver that accepts everything fails (exit 1), naming the failed checks', async () => {
    const shodai = await runCli([
      'check-receiver',
      '--vendor',
      'shodai',
      '--url',
      sloppy.url,
      '--secret',
      SHODAI_SECRET,
    ]);
    assert.equal(shodai.code, 1, shodai.stdout + shodai.stderr);
    for (const check of ['tampered-body', 'wrong-secret', 'stale-timestamp', 'missing-signature'])
      assert.match(shodai.stdout, new RegExp(`^${check} .* 200 +FAIL: the receiver accepted it$`, 'm'));
    assert.match(shodai.stdout, /^valid .* ok$/m);
    assert.match(
      shodai.stdout,
      /^FAILED: tampered-body, wrong-secret, stale-timestamp, missing-signature \(4 of 6 checks\)\.$/m,
    );

    const c1 = await runCli([
      'check-receiver',
      '--vendor',
      'c1',
      '--url',
      sloppy.url,
      '--port',
      String(await freePort()),
      '--json',
    ]);
    assert.equal(c1.code, 1, c1.stdout + c1.stderr);
    const report = JSON.parse(c1.stdout) as { ok: boolean; checks: { check: string; verdict: string }[] };
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.checks.filter((check) => check.verdict === 'fail').map((check) => check.check),
      [
        'tampered-body',
        'wrong-secret',
        'expired-jwt',
        'wrong-audience',
        'bad-content-digest',
        'missing-signature',
      ],
    );
  });

  it('a receiver that refuses the valid delivery fails too', async () => {
    const refusing = await startServer(() => 401);
    try {
      const run = await runCli([
        'check-receiver',
        '--vendor',
        'shodai',
        '--url',
        refusing.url,
        '--secret',
        SHODAI_SECRET,
      ]);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /^valid .* 401 +FAIL: the receiver refused a correctly signed delivery$/m);
    } finally {
      await refusing.close();
    }
  });

  it('cannot run without what it needs: exit 2 and why', async () => {
    const run = await runCli(['check-receiver', '--vendor', 'shodai', '--url', sloppy.url]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--secret is required for shodai/);
  });
});

describe('check-receiver --vendor c1: rotated-key', () => {
  /** Runs check-receiver for C1 against `url`, its mock on `port`; the report as JSON. */
  async function checkC1(url: string, port: number, json: boolean) {
    return runCli([
      'check-receiver',
      '--vendor',
      'c1',
      '--url',
      url,
      '--port',
      String(port),
      ...(json ? ['--json'] : []),
    ]);
  }

  it('passes a receiver with one JWKS client that fetches the JWKS again on an unknown kid', async () => {
    const port = await freePort();
    const jwks = createRemoteJWKSet(jwksUrl(port), { cooldownDuration: 0 });
    const receiver = await startC1Receiver(() => Promise.resolve(jwks), port);
    try {
      const run = await checkC1(receiver.url, port, true);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const report = JSON.parse(run.stdout) as JsonReport;
      assert.deepEqual(report.checks.at(-1), {
        check: 'rotated-key',
        description: 'test deliveries after a key rotation, signed with the new key',
        expected: '2xx (re-fetch the JWKS)',
        received: '200, 200',
        verdict: 'pass',
      });
      assert.equal(run.stderr, '', 'nothing to wait for');
      assert.ok(report.checks.every((check) => check.verdict === 'pass'));
      assert.equal(receiver.seen.size, 3, 'the valid event and rotated-key’s two');
    } finally {
      await receiver.close();
    }
  });

  // each waits out a JWKS client's 30 s cooldown before its second delivery: run side by side
  describe('receivers that do not fetch the JWKS again at once', { concurrency: true }, () => {
    it('fails a receiver that keeps the JWKS it fetched first (exit 1), saying it never fetched it again', async () => {
      const port = await freePort();
      let cached: Promise<JWTVerifyGetKey> | undefined;
      const fetchOnce = async (): Promise<JWTVerifyGetKey> =>
        createLocalJWKSet((await (await fetch(jwksUrl(port))).json()) as JSONWebKeySet);
      const receiver = await startC1Receiver(() => (cached ??= fetchOnce()), port);
      try {
        const run = await checkC1(receiver.url, port, false);
        assert.equal(run.code, 1, run.stdout + run.stderr);
        const line = run.stdout.split('\n').find((text) => text.startsWith('rotated-key '));
        assert.match(
          line ?? '',
          / 401, 401, 401 +FAIL: refused deliveries signed with the new key \(kid [\w-]{43}\) right after the rotation and again 31 s after its last JWKS fetch, and never fetched the JWKS again: it keeps the keys it fetched first\. C1 rotates its signing key: when a JWT names a kid you do not know, fetch the JWKS again \(jose's createRemoteJWKSet does\)$/,
          run.stdout,
        );
        assert.match(run.stdout, /^FAILED: rotated-key \(1 of 9 checks\)\.$/m);
        assert.match(
          run.stderr,
          /^check-receiver: rotated-key: the receiver refused the new key; sending again in \d+ s, as C1 retries/,
        );
        assert.match(run.stdout, /^valid .* ok$/m);
      } finally {
        await receiver.close();
      }
    });

    it('warns about a receiver whose JWKS client waits 30 s before fetching again (jose’s default), as C1’s retry gets through', async () => {
      const port = await freePort();
      const jwks = createRemoteJWKSet(jwksUrl(port));
      const receiver = await startC1Receiver(() => Promise.resolve(jwks), port);
      try {
        const run = await checkC1(receiver.url, port, true);
        assert.equal(run.code, 0, run.stdout + run.stderr);
        const rotated = (JSON.parse(run.stdout) as JsonReport).checks.at(-1)!;
        assert.deepEqual(
          [rotated.check, rotated.verdict, rotated.received],
          ['rotated-key', 'warn', '401, 200, 200'],
        );
        assert.match(
          rotated.note ?? '',
          /^refused the new key \(kid [\w-]{43}\) at first and accepted it when sent again 31 s after its last JWKS fetch: its JWKS client waits before fetching again \(jose: cooldownDuration, 30 s by default\)/,
        );
      } finally {
        await receiver.close();
      }
    });
  });
});
