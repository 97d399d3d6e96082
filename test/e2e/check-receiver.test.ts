/**
 * `vendor-webhook-mock check-receiver` as a real process (the built CLI) against receivers written here: ones
 * that verify as the vendors document it (jose against the command's own JWKS URL for C1, the HMACs
 * recomputed, Shodai's 300 s tolerance, de-duplication by event id) pass; a sloppy one that accepts
 * everything fails, and the failed checks are named.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
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

/** C1: the bearer JWT against the JWKS (iss, aud, exp), htb_s256 and Content-Digest against the raw body. */
async function verifyC1(request: Incoming, jwksPort: number, receiverUrl: string): Promise<number> {
  const match = /^bearer (.+)$/i.exec(request.headers.authorization ?? '');
  if (match === null) return 401;
  const jwks = createRemoteJWKSet(new URL(`http://127.0.0.1:${jwksPort}/c1/auth/v1/jwks`));
  let payload;
  try {
    ({ payload } = await jwtVerify(match[1]!, jwks, {
      issuer: `127.0.0.1:${jwksPort}`,
      audience: new URL(receiverUrl).hostname,
    }));
  } catch {
    return 401;
  }
  const digest = createHash('sha256').update(request.body).digest('base64');
  if (payload.htb_s256 !== digest || request.headers['content-digest'] !== `sha-256=${digest}`) return 400;
  return once('c1', request.headers['webhook-id']);
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
      if (request.path === '/c1') return verifyC1(request, c1Port, proper.url);
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
    ]) {
      assert.match(run.stdout, new RegExp(`^${check} .* ok(:|$)`, 'm'), `${check} in:\n${run.stdout}`);
    }
    assert.match(run.stdout, new RegExp(`http://127\\.0\\.0\\.1:${c1Port}/c1/auth/v1/jwks`));
    assert.equal(processed.c1.size, 1);
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
