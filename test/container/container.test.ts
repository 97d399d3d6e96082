/**
 * Container test: builds the project's own Dockerfile and runs the image.
 *
 *   npm run test:container      (Linux, as root; installs buildah/busybox-static with apt-get when missing)
 *
 * No Docker engine or registry is needed: test/container/build-local-base.sh builds a stand-in for the
 * official Node image (localhost/vwm-node-base) from this machine's node, and the Dockerfile is built on it
 * with `--build-arg NODE_IMAGE=localhost/vwm-node-base` by `buildah bud --isolation=chroot`.
 * The image is then started with `buildah from` + `buildah run` (the image's own entrypoint, env, user and
 * workdir, read from `buildah inspect`); it shares the host network, so the server answers on 127.0.0.1.
 *
 * Signals: `buildah run` does not forward SIGTERM (it SIGKILLs its child), and chroot isolation has no PID
 * namespace, so the test sends SIGTERM straight to the node process (found among the descendants of the
 * `buildah run` process) and expects the server's own clean exit: node exits 0, and so does `buildah run`.
 *
 * Env: VWM_BASE_IMAGE (default localhost/vwm-node-base), VWM_IMAGE (default localhost/vendor-webhook-mock:test),
 * VWM_REBUILD_BASE=1 rebuilds the base image even when it exists.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const BASE_IMAGE = process.env.VWM_BASE_IMAGE ?? 'localhost/vwm-node-base';
const IMAGE = process.env.VWM_IMAGE ?? 'localhost/vendor-webhook-mock:test';
const CONTAINER = 'vwm-container-test';

// Demo fixtures (fixtures/*.yaml)
const C1_TOKEN = 'demo-c1-token';
const C1_WEBHOOK = '2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1';
const C1_SINK = 'c1-demo';
const SHODAI_KEY = 'cns_pk_demo_free';
const SHODAI_WEBHOOK = 'wh_demo_alice_1';
const SHODAI_SECRET = 'whsec_9f3b2c1d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c';
const SHODAI_SINK = 'shodai-demo';
const SO_BASIC = 'Basic ' + Buffer.from('demo:demo').toString('base64');
const SO_SECRET = 'demo-secret';
const SO_SINK = 'superoffice-demo';

const MINUTE = 60_000;
const isLinux = process.platform === 'linux';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const skip = !isLinux ? 'needs Linux' : !isRoot ? 'needs root (buildah, apt-get)' : false;

function log(msg: string): void {
  process.stderr.write(`[container] ${msg}\n`);
}

function prefixLines(prefix: string, onLine?: (line: string) => void): (chunk: Buffer) => void {
  let rest = '';
  return (chunk) => {
    rest += chunk.toString('utf8');
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      process.stderr.write(`${prefix}${line}\n`);
      onLine?.(line);
    }
  };
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

/** Runs a command; its stderr (and stdout when `echo`) is shown line by line as progress. */
function run(
  cmd: string,
  args: string[],
  opts: {
    env?: NodeJS.ProcessEnv;
    echo?: boolean;
    prefix?: string;
    allowFail?: boolean;
    quiet?: boolean;
  } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = opts.prefix ?? `  [${cmd}] `;
    let stdout = '';
    const echoOut = prefixLines(prefix);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      if (opts.echo) echoOut(c);
    });
    if (!opts.quiet) child.stderr.on('data', prefixLines(prefix));
    else child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0 && !opts.allowFail) {
        reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}`));
      } else {
        resolvePromise({ code, signal, stdout });
      }
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePromise(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Host pids of all descendants of `pid` (chroot isolation: no PID namespace, so these are real pids). */
function descendants(pid: number): { pid: number; cmdline: string[] }[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // process exited meanwhile
    }
  }
  const out: { pid: number; cmdline: string[] }[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length) {
    const p = queue.shift()!;
    try {
      const cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').filter(Boolean);
      out.push({ pid: p, cmdline });
    } catch {
      continue;
    }
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

interface ImageConfig {
  User?: string;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  ExposedPorts?: Record<string, unknown>;
}

interface SinkDelivery {
  receivedAt: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

describe('container image', { skip, timeout: 20 * MINUTE }, () => {
  let confDir = '';
  let env: NodeJS.ProcessEnv = process.env;
  let config: ImageConfig = {};
  let healthcheck: string[] | undefined;
  let server: ChildProcess | undefined;
  let serverExit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  let serverLog: string[] = [];
  let port = 0;
  let baseUrl = '';
  const timings: Record<string, number> = {};

  const buildah = (args: string[], opts: Parameters<typeof run>[2] = {}) =>
    run('buildah', args, { env, prefix: '  [buildah] ', ...opts });

  async function sinkDeliveries(name: string, min = 1): Promise<SinkDelivery[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await fetch(`${baseUrl}/__sink/${name}`);
      assert.equal(res.status, 200, `GET /__sink/${name}`);
      const body = (await res.json()) as { deliveries?: SinkDelivery[] };
      const deliveries = body.deliveries ?? [];
      if (deliveries.length >= min || Date.now() > deadline) return deliveries;
      await sleep(250);
    }
  }

  before(async () => {
    confDir = mkdtempSync(join(tmpdir(), 'vwm-container-test-'));
    writeFileSync(join(confDir, 'containers.conf'), '[containers]\ndefault_ulimits = []\n');
    env = { ...process.env, CONTAINERS_CONF: join(confDir, 'containers.conf'), BASE_IMAGE };
  });

  after(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      log('server still running: killing it');
      server.kill('SIGKILL');
      await serverExit?.catch(() => undefined);
    }
    if (confDir) {
      await buildah(['rm', CONTAINER], { allowFail: true, quiet: true }).catch(() => undefined);
      rmSync(confDir, { recursive: true, force: true });
    }
  });

  it(
    'builds the local Node base image (buildah + busybox-static installed when missing)',
    { timeout: 10 * MINUTE },
    async () => {
      const t0 = Date.now();
      const args = [join(here, 'build-local-base.sh')];
      if (process.env.VWM_REBUILD_BASE === '1') args.push('--force');
      await run('bash', args, { env, echo: true, prefix: '  ' });
      timings.base = Date.now() - t0;
    },
  );

  it(`builds the Dockerfile on ${BASE_IMAGE}`, { timeout: 15 * MINUTE }, async () => {
    const before = await buildah(['images', '--noheading', '--format', '{{.ID}}', IMAGE], {
      allowFail: true,
    });
    const oldId = before.code === 0 ? before.stdout.trim() : '';
    log(`building ${IMAGE} (buildah bud --isolation=chroot); this can take a few minutes`);
    const t0 = Date.now();
    await buildah(
      [
        'bud',
        '--isolation=chroot',
        '--format=docker', // keeps HEALTHCHECK (the OCI format has no field for it)
        '--build-arg',
        `NODE_IMAGE=${BASE_IMAGE}`,
        '-t',
        IMAGE,
        '-f',
        join(repoRoot, 'Dockerfile'),
        repoRoot,
      ],
      { echo: true, prefix: '  [build] ' },
    );
    timings.build = Date.now() - t0;
    log(`built ${IMAGE} in ${(timings.build / 1000).toFixed(1)}s`);
    const now = await buildah(['images', '--noheading', '--format', '{{.ID}}', IMAGE]);
    if (oldId && oldId !== now.stdout.trim()) {
      await buildah(['rmi', oldId], { allowFail: true }); // the previous build, now untagged
    }
  });

  it('has the expected image config (non-root, port 4010, env, entrypoint, healthcheck)', async () => {
    const inspect = await buildah(['inspect', '--type', 'image', IMAGE]);
    const info = JSON.parse(inspect.stdout) as {
      OCIv1?: { config?: ImageConfig };
      Docker?: { config?: { Healthcheck?: { Test?: string[] } } };
    };
    config = info.OCIv1?.config ?? {};
    healthcheck = info.Docker?.config?.Healthcheck?.Test;
    log(`config: ${JSON.stringify(config)}`);
    assert.equal(config.User, 'node');
    assert.ok(config.ExposedPorts && '4010/tcp' in config.ExposedPorts, 'EXPOSE 4010');
    for (const kv of ['HOST=0.0.0.0', 'PORT=4010', 'FIXTURES=/app/fixtures', 'NODE_ENV=production']) {
      assert.ok(config.Env?.includes(kv), `ENV ${kv}`);
    }
    assert.equal(config.Entrypoint?.[0], 'node', 'ENTRYPOINT runs node directly (exec form)');
    assert.ok(
      healthcheck && healthcheck[0] === 'CMD' && healthcheck[1] === 'node',
      `HEALTHCHECK uses node: ${JSON.stringify(healthcheck)}`,
    );
  });

  it('starts and answers GET /__admin/health', { timeout: 3 * MINUTE }, async () => {
    await buildah(['rm', CONTAINER], { allowFail: true, quiet: true });
    await buildah(['from', '--name', CONTAINER, IMAGE]);
    port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const command = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
    const runArgs = ['run', '--isolation=chroot', '--user', config.User ?? 'node'];
    if (config.WorkingDir) runArgs.push('--workingdir', config.WorkingDir);
    const overrides = [`PORT=${port}`, `PUBLIC_URL=${baseUrl}`];
    const overridden = new Set(overrides.map((kv) => kv.split('=')[0]));
    for (const kv of [
      ...(config.Env ?? []).filter((kv) => !overridden.has(kv.split('=')[0])),
      ...overrides,
    ]) {
      runArgs.push('--env', kv);
    }
    runArgs.push(CONTAINER, '--', ...command);
    log(`buildah ${runArgs.join(' ')}`);

    const child = spawn('buildah', runArgs, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    serverLog = [];
    const keep = (line: string) => serverLog.push(line);
    child.stdout.on('data', prefixLines('  [server] ', keep));
    child.stderr.on('data', prefixLines('  [server] ', keep));
    serverExit = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));

    const t0 = Date.now();
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        assert.fail(`server exited early (${child.exitCode ?? child.signalCode})`);
      }
      const res = await fetch(`${baseUrl}/__admin/health`).catch(() => undefined);
      if (res) {
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { status: 'ok' });
        break;
      }
      if (Date.now() - t0 > 60_000) assert.fail('no answer on /__admin/health within 60s');
      await sleep(250);
    }
    timings.start = Date.now() - t0;
    log(`healthy after ${timings.start} ms on ${baseUrl}`);
  });

  it("the image's HEALTHCHECK command passes", { timeout: MINUTE }, async () => {
    assert.ok(healthcheck);
    const res = await buildah(
      [
        'run',
        '--isolation=chroot',
        '--user',
        config.User ?? 'node',
        '--env',
        `PORT=${port}`,
        CONTAINER,
        '--',
        ...healthcheck.slice(1),
      ],
      { allowFail: true, echo: true },
    );
    assert.equal(res.code, 0, 'HEALTHCHECK exit code');
  });

  it('C1: webhook test call delivers a JWT-signed event to the sink', { timeout: MINUTE }, async () => {
    const res = await fetch(`${baseUrl}/c1/api/v1/webhooks/${C1_WEBHOOK}/test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${C1_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const body = (await res.json()) as { webhook?: { state?: string } };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.webhook?.state, 'WEBHOOK_STATE_SUCCESS', JSON.stringify(body));

    const deliveries = await sinkDeliveries(C1_SINK);
    assert.ok(deliveries.length >= 1, 'a delivery reached the sink');
    const d = deliveries[deliveries.length - 1]!;
    const auth = d.headers['authorization'] ?? '';
    const m = /^bearer\s+(\S+)$/i.exec(auth);
    assert.ok(m, `authorization: bearer <jwt>, got ${JSON.stringify(auth)}`);
    const token = m[1]!;
    const jwks = createRemoteJWKSet(new URL(`${baseUrl}/c1/auth/v1/jwks`));
    log(`C1 JWT claims: ${JSON.stringify(decodeJwt(token))}`);
    // aud: host name of the receiving URL; iss: host of the mock's public URL
    const { payload } = await jwtVerify(token, jwks, {
      audience: new URL(`${baseUrl}/__sink/${C1_SINK}`).hostname,
      issuer: new URL(baseUrl).host,
    });
    assert.equal(payload['htm'], 'POST');

    const digest = createHash('sha256').update(d.body, 'utf8').digest();
    const htb = payload['htb_s256'];
    assert.ok(
      htb === digest.toString('base64url') ||
        htb === digest.toString('hex') ||
        htb === digest.toString('base64'),
      `htb_s256 = sha256(body): ${String(htb)}`,
    );
    // C1 sends `sha-256=<base64>`; RFC 9530 would be `sha-256=:<base64>:` (either is accepted)
    const cd = d.headers['content-digest'];
    const b64 = digest.toString('base64');
    assert.ok(cd === `sha-256=${b64}` || cd === `sha-256=:${b64}:`, `content-digest: ${cd} (sha256 ${b64})`);
  });

  it('Shodai: webhook test call delivers an HMAC-signed event to the sink', { timeout: MINUTE }, async () => {
    const res = await fetch(`${baseUrl}/shodai/v0/webhooks/${SHODAI_WEBHOOK}/test`, {
      method: 'POST',
      headers: { 'x-api-key': SHODAI_KEY },
    });
    const body = (await res.json()) as { data?: { ok?: boolean } };
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(body.data?.ok, true, JSON.stringify(body));

    const deliveries = await sinkDeliveries(SHODAI_SINK);
    assert.ok(deliveries.length >= 1, 'a delivery reached the sink');
    const d = deliveries[deliveries.length - 1]!;
    const ts = d.headers['x-shodai-webhook-timestamp'];
    const sig = d.headers['x-shodai-webhook-signature'];
    assert.ok(ts && sig, `timestamp and signature headers: ${JSON.stringify(d.headers)}`);
    const expected =
      'sha256=' + createHmac('sha256', SHODAI_SECRET).update(`${ts}.${d.body}`, 'utf8').digest('hex');
    assert.ok(safeEqual(sig, expected), `x-shodai-webhook-signature ${sig} != ${expected}`);
  });

  it('SuperOffice: Webhook/Test delivers an HMAC-signed event to the sink', { timeout: MINUTE }, async () => {
    const res = await fetch(`${baseUrl}/superoffice/api/v1/Webhook/Test`, {
      method: 'POST',
      headers: { authorization: SO_BASIC, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        Name: 'container',
        Events: ['contact.created'],
        TargetUrl: `${baseUrl}/__sink/${SO_SINK}`,
        Secret: SO_SECRET,
        State: 'Active',
        Type: 'webhook',
      }),
    });
    const body = (await res.json()) as { Success?: boolean };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.Success, true, JSON.stringify(body));

    const deliveries = await sinkDeliveries(SO_SINK);
    assert.ok(deliveries.length >= 1, 'a delivery reached the sink');
    const d = deliveries[deliveries.length - 1]!;
    const sig = d.headers['x-superoffice-signature'];
    assert.ok(sig, `x-superoffice-signature header: ${JSON.stringify(d.headers)}`);
    const expected = createHmac('sha256', Buffer.from(SO_SECRET, 'utf8'))
      .update(d.body, 'utf8')
      .digest('base64');
    assert.ok(safeEqual(sig, expected), `x-superoffice-signature ${sig} != ${expected}`);
  });

  it('stops cleanly on SIGTERM (exit code 0)', { timeout: MINUTE }, async () => {
    assert.ok(server?.pid && serverExit, 'server running');
    // `buildah run` answers SIGTERM by SIGKILLing its child, so signal node itself (the image's entrypoint).
    const entry = config.Entrypoint ?? [];
    const procs = descendants(server.pid);
    const node = procs.find(
      (p) => /(^|\/)node$/.test(p.cmdline[0] ?? '') && entry.slice(1).every((a) => p.cmdline.includes(a)),
    );
    assert.ok(node, `node process under buildah run: ${JSON.stringify(procs)}`);
    log(`SIGTERM -> node pid ${node.pid} (${node.cmdline.join(' ')})`);
    process.kill(node.pid, 'SIGTERM');
    const t0 = Date.now();
    const exit = await Promise.race([serverExit, sleep(20_000).then(() => undefined)]);
    assert.ok(exit, 'exited within 20s of SIGTERM');
    log(`buildah run exited with code ${exit.code} signal ${exit.signal} after ${Date.now() - t0} ms`);
    // buildah reports a killed child as "subprocess exited on killed"/non-zero; 0 means node exited 0 by itself
    assert.equal(exit.signal, null);
    assert.equal(exit.code, 0, `exit code; last log lines:\n${serverLog.slice(-5).join('\n')}`);
    assert.ok(!serverLog.some((l) => /exited on|exited with status/.test(l)), 'buildah saw a clean exit');
  });

  it('reports the image size', async () => {
    const size = await buildah(['images', '--noheading', '--format', '{{.Size}}', IMAGE]);
    const base = await buildah(['images', '--noheading', '--format', '{{.Size}}', BASE_IMAGE]);
    const secs = (ms?: number) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)}s`);
    log(
      `image ${IMAGE}: ${size.stdout.trim()} (base ${BASE_IMAGE}: ${base.stdout.trim()}); ` +
        `base ${secs(timings.base)}, build ${secs(timings.build)}, startup ${secs(timings.start)}`,
    );
  });
});
