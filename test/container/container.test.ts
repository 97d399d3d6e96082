/**
 * Container test: builds the project's own Dockerfile and runs the image the way the README's container examples
 * (the blocks marked `<!-- container-example: NAME -->`, parsed by ./examples.ts) use it.
 *
 *   npm run test:container      (Linux, as root; installs buildah/busybox-static with apt-get when missing)
 *
 * No Docker engine or registry is needed: test/container/build-local-base.sh builds a stand-in for the
 * official Node image (localhost/vwm-node-base) from this machine's node, and the Dockerfile is built on it
 * with `--build-arg NODE_IMAGE=localhost/vwm-node-base` by `buildah bud --isolation=chroot`.
 * The image is then started with `buildah from` + `buildah run` (the image's own entrypoint, env, user and
 * workdir, read from `buildah inspect`); it shares the host network, so the server answers on 127.0.0.1.
 *
 * What runs, one image build for all:
 * - `build`: the tag and context of `docker build`; the test builds the same Dockerfile from the same context.
 * - `run-demo`: the image as `docker run` starts it: health, the image's HEALTHCHECK, one test call per vendor
 *   delivering to the built-in sink with signatures checked, SIGTERM -> exit 0.
 * - `github-actions`: the service's image, port and env names, and the URLs the job uses, against that run.
 * - `run-own-fixtures`: the example's env, flags and mounts (`-v ...:/fixtures:ro` becomes `buildah run
 *   --volume`) with a temp fixtures folder whose webhooks deliver to a receiver the test starts on the host.
 * - `compose-fixtures` + `compose`: the README's commands make mock-fixtures/ (webhooks to the `app`), and the
 *   `mock` service runs with its own environment (PUBLIC_URL) and volume; the service names resolve to
 *   127.0.0.1 (`buildah from --add-host`), as compose's network would resolve them. Deliveries reach the test's
 *   receiver as `app`, C1's callback URL and JWT `iss` come from PUBLIC_URL, and the JWT verifies with the key
 *   from the app's JWKS URL.
 * The one change from the README: with the host's network shared, the mock listens on a free port instead of
 * 4010 (`PORT` is set, and `mock:4010` in the compose example becomes `mock:<that port>`), and the app's 3000 is
 * the receiver's free port.
 *
 * Signals: `buildah run` does not forward SIGTERM (it SIGKILLs its child), and chroot isolation has no PID
 * namespace, so the test sends SIGTERM straight to the node process (found among the descendants of the
 * `buildah run` process) and expects the server's own clean exit: node exits 0, and so does `buildah run`.
 *
 * Env: VWM_BASE_IMAGE (default localhost/vwm-node-base), VWM_IMAGE (default localhost/<README's tag>:test),
 * VWM_REBUILD_BASE=1 rebuilds the base image even when it exists.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { parse as parseYaml } from 'yaml';
import {
  containerExamples,
  dependsOn,
  dockerCommand,
  imageBaseName,
  parseActions,
  parseCompose,
  parseDockerBuild,
  parseDockerRun,
  parsePort,
  serviceEnv,
  serviceVolumes,
  urlsTo,
  yamlStrings,
} from './examples.js';
import type { ComposeService, DockerBuild, DockerRun, Example, Volume } from './examples.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const BASE_IMAGE = process.env.VWM_BASE_IMAGE ?? 'localhost/vwm-node-base';
const DEMO = 'vwm-container-test';
const OWN = 'vwm-container-test-fixtures';
const COMPOSE = 'vwm-container-test-compose';
const HELP = 'vwm-container-test-help';

/** The README's marked examples; each one must be handled below. */
const EXAMPLES = ['build', 'run-demo', 'run-own-fixtures', 'compose-fixtures', 'compose', 'github-actions'];

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
const HEALTH_PATH = '/__admin/health';

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
    cwd?: string;
    echo?: boolean;
    prefix?: string;
    allowFail?: boolean;
    quiet?: boolean;
  } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? repoRoot,
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

/** Makes a folder and its files readable by the image's non-root user (mkdtemp makes it 0700, root's). */
function readableByAll(path: string): void {
  const st = statSync(path);
  chmodSync(path, st.isDirectory() ? 0o755 : 0o644);
  if (st.isDirectory()) for (const entry of readdirSync(path)) readableByAll(join(path, entry));
}

interface ImageConfig {
  User?: string;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  ExposedPorts?: Record<string, unknown>;
}

/** One delivery as a receiver saw it (the sink's listing has the same shape). */
interface Delivery {
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

// ---- a receiver on the host: the container shares the host's network ---------------------------------------

interface Receiver {
  port: number;
  url: string;
  /** Status of the next answers (body `{"version":"v1"}`). */
  status: number;
  /** The next delivery to `path` not taken yet. */
  take(path: string, timeoutMs?: number): Promise<Delivery>;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const pending: Delivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      }
      pending.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(receiver.status, { 'content-type': 'application/json' });
      res.end('{"version":"v1"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const receiver: Receiver = {
    port,
    url: `http://127.0.0.1:${port}`,
    status: 200,
    async take(path, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = pending.findIndex((d) => d.path === path);
        if (i >= 0) return pending.splice(i, 1)[0]!;
        if (Date.now() > deadline) {
          assert.fail(`no delivery to ${path}; got ${JSON.stringify(pending.map((d) => d.path))}`);
        }
        await sleep(50);
      }
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return receiver;
}

// ---- the vendors' test calls and signature checks -----------------------------------------------------------

async function c1TestCall(baseUrl: string, webhookId: string): Promise<string | undefined> {
  const res = await fetch(`${baseUrl}/c1/api/v1/webhooks/${webhookId}/test`, {
    method: 'POST',
    headers: { authorization: `Bearer ${C1_TOKEN}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const body = (await res.json()) as { webhook?: { state?: string } };
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.webhook?.state;
}

async function shodaiTestCall(baseUrl: string, webhookId: string): Promise<void> {
  const res = await fetch(`${baseUrl}/shodai/v0/webhooks/${webhookId}/test`, {
    method: 'POST',
    headers: { 'x-api-key': SHODAI_KEY },
  });
  const body = (await res.json()) as { data?: { ok?: boolean } };
  assert.equal(res.status, 201, JSON.stringify(body));
  assert.equal(body.data?.ok, true, JSON.stringify(body));
}

async function superOfficeTestCall(baseUrl: string, targetUrl: string, secret: string): Promise<void> {
  const res = await fetch(`${baseUrl}/superoffice/api/v1/Webhook/Test`, {
    method: 'POST',
    headers: { authorization: SO_BASIC, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      Name: 'container',
      Events: ['contact.created'],
      TargetUrl: targetUrl,
      Secret: secret,
      State: 'Active',
      Type: 'webhook',
    }),
  });
  const body = (await res.json()) as { Success?: boolean; Message?: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.Success, true, JSON.stringify(body));
}

interface C1Body {
  version?: string;
  webhookId?: string;
  callbackUrl?: string;
  event?: string;
}

/** C1: `Authorization: bearer <JWT>` verified with the JWKS, `htb_s256` and `Content-Digest` = the body's hash. */
async function verifyC1(
  d: Delivery,
  expect: { jwksUrl: string; audience: string; issuer: string },
): Promise<{ payload: JWTPayload; body: C1Body }> {
  const auth = d.headers['authorization'] ?? '';
  const m = /^bearer\s+(\S+)$/i.exec(auth);
  assert.ok(m, `authorization: bearer <jwt>, got ${JSON.stringify(auth)}`);
  const token = m[1]!;
  log(`C1 JWT claims: ${JSON.stringify(decodeJwt(token))}`);
  const jwks = createRemoteJWKSet(new URL(expect.jwksUrl));
  // aud: host name of the receiving URL; iss: host of the mock's public URL
  const { payload } = await jwtVerify(token, jwks, { audience: expect.audience, issuer: expect.issuer });
  assert.equal(payload['htm'], 'POST');
  assert.equal(payload['c1typ'], 'wh');

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
  const body = JSON.parse(d.body) as C1Body;
  assert.equal(body.event, 'c1.webhooks.v1.PayloadTest');
  assert.equal(d.headers['webhook-callback-url'], body.callbackUrl);
  return { payload, body };
}

/** Shodai: `sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`. */
function verifyShodai(d: Delivery, secret: string): void {
  const ts = d.headers['x-shodai-webhook-timestamp'];
  const sig = d.headers['x-shodai-webhook-signature'];
  assert.ok(ts && sig, `timestamp and signature headers: ${JSON.stringify(d.headers)}`);
  const expected = 'sha256=' + createHmac('sha256', secret).update(`${ts}.${d.body}`, 'utf8').digest('hex');
  assert.ok(safeEqual(sig, expected), `x-shodai-webhook-signature ${sig} != ${expected}`);
}

/** SuperOffice: `X-Superoffice-Signature: base64(HMAC-SHA256(secret, body))`. */
function verifySuperOffice(d: Delivery, secret: string): void {
  const sig = d.headers['x-superoffice-signature'];
  assert.ok(sig, `x-superoffice-signature header: ${JSON.stringify(d.headers)}`);
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(d.body, 'utf8').digest('base64');
  assert.ok(safeEqual(sig, expected), `x-superoffice-signature ${sig} != ${expected}`);
}

// ---------------------------------------------------------------------------------------------------------------

interface Running {
  name: string;
  port: number;
  baseUrl: string;
  log: string[];
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

describe('container image', { skip, timeout: 20 * MINUTE }, () => {
  let confDir = '';
  let env: NodeJS.ProcessEnv = process.env;
  let IMAGE = process.env.VWM_IMAGE ?? 'localhost/vendor-webhook-mock:test';
  let config: ImageConfig = {};
  let healthcheck: string[] | undefined;
  let imagePort = 0;
  /** Environment variable names the image reads: the CLI's (from its --help) and the image's ENV. */
  let knownEnv = new Set<string>();
  const timings: Record<string, number> = {};
  const created = new Set<string>();
  const started = new Set<Running>();
  const cleanups: (() => Promise<void> | void)[] = [];

  // the README's examples, parsed in the first test
  let examples = new Map<string, Example>();
  let build: DockerBuild | undefined;
  let demoRun: DockerRun | undefined;
  let ownRun: DockerRun | undefined;
  let demo: Running | undefined;

  const buildah = (args: string[], opts: Parameters<typeof run>[2] = {}) =>
    run('buildah', args, { env, prefix: '  [buildah] ', ...opts });

  const example = (name: string): Example => {
    const found = examples.get(name);
    assert.ok(found, `README: no block marked <!-- container-example: ${name} -->`);
    return found;
  };

  async function createContainer(name: string, addHosts: string[] = []): Promise<void> {
    await buildah(['rm', name], { allowFail: true, quiet: true });
    await buildah(['from', '--name', name, ...addHosts.flatMap((h) => ['--add-host', h]), IMAGE], {
      quiet: true,
    });
    created.add(name);
  }

  async function removeContainer(name: string): Promise<void> {
    await buildah(['rm', name], { allowFail: true, quiet: true });
    created.delete(name);
  }

  /**
   * Starts the image as `docker run` would with `spec` (its env, volumes and args; `addHosts` as compose's
   * network resolves service names), on `port` instead of the published container port, and waits for health.
   */
  async function startContainer(
    name: string,
    spec: DockerRun,
    port: number,
    addHosts: string[] = [],
  ): Promise<Running> {
    assert.equal(imageBaseName(spec.image), imageBaseName(build?.tag ?? IMAGE), 'the image built above');
    for (const p of spec.publish) assert.equal(p.container, imagePort, `published port ${p.container}`);
    await createContainer(name, addHosts);
    const vars = new Map<string, string>();
    for (const kv of config.Env ?? []) vars.set(kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1));
    for (const [k, v] of spec.env) vars.set(k, v);
    vars.set('PORT', String(port)); // the host's network is shared: a free port instead of the image's
    const args = ['run', '--isolation=chroot', '--user', config.User ?? 'node'];
    if (config.WorkingDir) args.push('--workingdir', config.WorkingDir);
    for (const [k, v] of vars) args.push('--env', `${k}=${v}`);
    for (const v of spec.volumes) args.push('--volume', [v.host, v.container, ...v.options].join(':'));
    const command = [...(config.Entrypoint ?? []), ...(spec.args.length ? spec.args : (config.Cmd ?? []))];
    args.push(name, '--', ...command);
    log(`buildah ${args.join(' ')}`);

    const child = spawn('buildah', args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const prefix = `  [${name.replace(/^vwm-container-test-?/, '') || 'demo'}] `;
    child.stdout.on(
      'data',
      prefixLines(prefix, (l) => lines.push(l)),
    );
    child.stderr.on(
      'data',
      prefixLines(prefix, (l) => lines.push(l)),
    );
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.on('exit', (code, signal) => r({ code, signal })),
    );
    const running: Running = { name, port, baseUrl: `http://127.0.0.1:${port}`, log: lines, child, exit };
    started.add(running);

    const t0 = Date.now();
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        assert.fail(
          `server exited early (${child.exitCode ?? child.signalCode}):\n${lines.slice(-10).join('\n')}`,
        );
      }
      const res = await fetch(`${running.baseUrl}${HEALTH_PATH}`).catch(() => undefined);
      if (res) {
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { status: 'ok' });
        break;
      }
      if (Date.now() - t0 > 60_000) assert.fail(`no answer on ${HEALTH_PATH} within 60s`);
      await sleep(100);
    }
    timings[`start ${name}`] = Date.now() - t0;
    log(`${name}: healthy after ${Date.now() - t0} ms on ${running.baseUrl}`);
    return running;
  }

  /** SIGTERM to the image's node process; expects its own clean exit (0) within 20 s. */
  async function stopContainer(r: Running): Promise<void> {
    // `buildah run` answers SIGTERM by SIGKILLing its child, so signal node itself (the image's entrypoint).
    const entry = config.Entrypoint ?? [];
    const procs = r.child.pid ? descendants(r.child.pid) : [];
    const node = procs.find(
      (p) => /(^|\/)node$/.test(p.cmdline[0] ?? '') && entry.slice(1).every((a) => p.cmdline.includes(a)),
    );
    assert.ok(node, `node process under buildah run: ${JSON.stringify(procs)}`);
    log(`SIGTERM -> node pid ${node.pid} (${node.cmdline.join(' ')})`);
    process.kill(node.pid, 'SIGTERM');
    const t0 = Date.now();
    const exit = await Promise.race([r.exit, sleep(20_000).then(() => undefined)]);
    assert.ok(exit, 'exited within 20s of SIGTERM');
    log(
      `${r.name}: buildah run exited with code ${exit.code} signal ${exit.signal} after ${Date.now() - t0} ms`,
    );
    started.delete(r);
    // buildah reports a killed child as "subprocess exited on killed"/non-zero; 0 means node exited 0 by itself
    assert.equal(exit.signal, null);
    assert.equal(exit.code, 0, `exit code; last log lines:\n${r.log.slice(-5).join('\n')}`);
    assert.ok(!r.log.some((l) => /exited on|exited with status/.test(l)), 'buildah saw a clean exit');
    await removeContainer(r.name);
  }

  async function sinkDeliveries(baseUrl: string, name: string, min = 1): Promise<Delivery[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await fetch(`${baseUrl}/__sink/${name}`);
      assert.equal(res.status, 200, `GET /__sink/${name}`);
      const body = (await res.json()) as { deliveries?: Delivery[] };
      const deliveries = body.deliveries ?? [];
      if (deliveries.length >= min || Date.now() > deadline) return deliveries;
      await sleep(250);
    }
  }

  /**
   * The vendor base URLs the running mock prints at start-up ($PUBLIC_URL/c1, /shodai, /superoffice): the
   * banner's JSON line (`urls`) when its stdout is no terminal, as here, or the text banner's lines.
   */
  async function vendorBaseUrls(r: Running): Promise<string[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const urls = r.log.flatMap((l) => {
        const m = /^\s*(?:ConductorOne|Shodai|SuperOffice)\s+(https?:\/\/\S+)\s*$/.exec(l);
        if (m) return [m[1]!];
        const json = /(\{.*"msg":"vendor-webhook-mock [^"]* listening on [^"]*".*\})\s*$/.exec(l);
        if (!json) return [];
        const urls = (JSON.parse(json[1]!) as { urls?: Record<string, string> }).urls ?? {};
        return ['c1', 'shodai', 'superoffice'].flatMap((vendor) => urls[vendor] ?? []);
      });
      if (urls.length >= 3) return urls;
      if (Date.now() > deadline)
        assert.fail(`no vendor base URLs in the start-up output:\n${r.log.join('\n')}`);
      await sleep(100);
    }
  }

  async function vendorBasePaths(r: Running): Promise<string[]> {
    return (await vendorBaseUrls(r)).map((u) => new URL(u).pathname);
  }

  /** A URL an example gives a client of the mock is a vendor base URL, or a path the mock answers with 200. */
  async function checkMockPaths(r: Running, urls: URL[], what: string): Promise<void> {
    const bases = await vendorBasePaths(r);
    for (const url of urls) {
      const path = url.pathname.replace(/\/+$/, '');
      if (bases.includes(path)) continue;
      const res = await fetch(`${r.baseUrl}${url.pathname}${url.search}`);
      assert.equal(res.status, 200, `${what}: ${url.href} (GET ${url.pathname} on the container)`);
      await res.arrayBuffer();
    }
  }

  function assertKnownEnv(names: string[], what: string): void {
    const unknown = names.filter((n) => !knownEnv.has(n));
    assert.deepEqual(unknown, [], `${what}: environment variables the image does not read`);
  }

  before(async () => {
    confDir = mkdtempSync(join(tmpdir(), 'vwm-container-test-'));
    writeFileSync(join(confDir, 'containers.conf'), '[containers]\ndefault_ulimits = []\n');
    env = { ...process.env, CONTAINERS_CONF: join(confDir, 'containers.conf'), BASE_IMAGE };
  });

  after(async () => {
    for (const r of started) {
      log(`${r.name} still running: killing it`);
      for (const p of r.child.pid ? descendants(r.child.pid) : []) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      r.child.kill('SIGKILL');
      await Promise.race([r.exit, sleep(5000)]);
    }
    for (const cleanup of cleanups.reverse()) await cleanup();
    if (confDir) {
      for (const name of [...created]) await removeContainer(name).catch(() => undefined);
      rmSync(confDir, { recursive: true, force: true });
    }
  });

  it('the README has the container examples, and the test reads each of them', () => {
    examples = containerExamples(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
    assert.deepEqual([...examples.keys()].sort(), [...EXAMPLES].sort(), 'marked examples = the handled ones');
    build = parseDockerBuild(dockerCommand(example('build').body, 'build'));
    assert.equal(build.context, '.', 'docker build context: the repository root');
    assert.equal(build.file, undefined, 'docker build uses ./Dockerfile');
    IMAGE = process.env.VWM_IMAGE ?? `localhost/${imageBaseName(build.tag)}:test`;
    demoRun = parseDockerRun(dockerCommand(example('run-demo').body, 'run'));
    ownRun = parseDockerRun(dockerCommand(example('run-own-fixtures').body, 'run'));
    for (const r of [demoRun, ownRun]) assert.equal(imageBaseName(r.image), imageBaseName(build.tag));
    assert.equal(example('compose').lang, 'yaml');
    assert.equal(example('github-actions').lang, 'yaml');
    parseCompose(example('compose').body);
    parseActions(example('github-actions').body);
    log(`README: docker build -t ${build.tag}; run-demo ${JSON.stringify(demoRun)}`);
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
    const previous = await buildah(['images', '--noheading', '--format', '{{.ID}}', IMAGE], {
      allowFail: true,
      quiet: true,
    });
    const oldId = previous.code === 0 ? previous.stdout.trim() : '';
    log(`building ${IMAGE} (buildah bud --isolation=chroot); this can take a few minutes`);
    const t0 = Date.now();
    await buildah(
      [
        'bud',
        '--isolation=chroot',
        '--format=docker', // keeps HEALTHCHECK (the OCI format has no field for it)
        '--build-arg',
        `NODE_IMAGE=${BASE_IMAGE}`,
        ...(build?.buildArgs ?? []).flatMap((a) => ['--build-arg', a]),
        '-t',
        IMAGE,
        '-f',
        join(repoRoot, 'Dockerfile'),
        resolve(repoRoot, build?.context ?? '.'),
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
    imagePort = Number(config.Env?.find((kv) => kv.startsWith('PORT='))?.slice(5));
    assert.equal(config.Entrypoint?.[0], 'node', 'ENTRYPOINT runs node directly (exec form)');
    assert.ok(
      healthcheck && healthcheck[0] === 'CMD' && healthcheck[1] === 'node',
      `HEALTHCHECK uses node: ${JSON.stringify(healthcheck)}`,
    );
    assert.ok(healthcheck.join(' ').includes(HEALTH_PATH), `HEALTHCHECK probes ${HEALTH_PATH}`);

    // the environment variables the image's command reads, from its own --help ("env: NAME")
    await createContainer(HELP);
    const help = await buildah([
      'run',
      '--isolation=chroot',
      '--user',
      config.User,
      HELP,
      '--',
      ...(config.Entrypoint ?? []),
      '--help',
    ]);
    await removeContainer(HELP);
    const fromHelp = [...help.stdout.matchAll(/env:\s+([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!);
    assert.ok(fromHelp.includes('PUBLIC_URL') && fromHelp.includes('FIXTURES'), `--help: ${help.stdout}`);
    knownEnv = new Set([...fromHelp, ...(config.Env ?? []).map((kv) => kv.slice(0, kv.indexOf('=')))]);
    log(`environment the image reads: ${[...knownEnv].join(' ')}`);
  });

  // ---- run-demo -------------------------------------------------------------------------------------------

  it('run-demo: starts and answers GET /__admin/health', { timeout: 3 * MINUTE }, async () => {
    assert.ok(demoRun);
    assert.deepEqual(demoRun.volumes, [], 'the demo run mounts nothing');
    demo = await startContainer(DEMO, demoRun, await freePort());
  });

  it("run-demo: the image's HEALTHCHECK command passes", { timeout: MINUTE }, async () => {
    assert.ok(healthcheck && demo);
    const res = await buildah(
      [
        'run',
        '--isolation=chroot',
        '--user',
        config.User ?? 'node',
        '--env',
        `PORT=${demo.port}`,
        DEMO,
        '--',
        ...healthcheck.slice(1),
      ],
      { allowFail: true, echo: true },
    );
    assert.equal(res.code, 0, 'HEALTHCHECK exit code');
  });

  it('run-demo: serves the web inspector page and its script', { timeout: MINUTE }, async () => {
    assert.ok(demo);
    const page = await fetch(`${demo.baseUrl}/__inspector/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await page.text();
    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
    assert.ok(script, 'the page loads a script');
    const js = await fetch(new URL(script, `${demo.baseUrl}/__inspector/`));
    assert.equal(js.status, 200);
    assert.ok((await js.text()).length > 1000, 'the script has content');
  });

  it(
    'run-demo C1: webhook test call delivers a JWT-signed event to the sink',
    { timeout: MINUTE },
    async () => {
      assert.ok(demo);
      assert.equal(await c1TestCall(demo.baseUrl, C1_WEBHOOK), 'WEBHOOK_STATE_SUCCESS');
      const deliveries = await sinkDeliveries(demo.baseUrl, C1_SINK);
      assert.ok(deliveries.length >= 1, 'a delivery reached the sink');
      const { body } = await verifyC1(deliveries[deliveries.length - 1]!, {
        jwksUrl: `${demo.baseUrl}/c1/auth/v1/jwks`,
        audience: '127.0.0.1',
        issuer: new URL(demo.baseUrl).host, // the default public URL: http://127.0.0.1:$PORT
      });
      assert.ok(
        body.callbackUrl?.startsWith(`${demo.baseUrl}/c1/api/v1/webhooks/callback/`),
        body.callbackUrl,
      );
    },
  );

  it(
    'run-demo Shodai: webhook test call delivers an HMAC-signed event to the sink',
    { timeout: MINUTE },
    async () => {
      assert.ok(demo);
      await shodaiTestCall(demo.baseUrl, SHODAI_WEBHOOK);
      const deliveries = await sinkDeliveries(demo.baseUrl, SHODAI_SINK);
      assert.ok(deliveries.length >= 1, 'a delivery reached the sink');
      verifyShodai(deliveries[deliveries.length - 1]!, SHODAI_SECRET);
    },
  );

  it(
    'run-demo SuperOffice: Webhook/Test delivers an HMAC-signed event to the sink',
    { timeout: MINUTE },
    async () => {
      assert.ok(demo);
      await superOfficeTestCall(demo.baseUrl, `${demo.baseUrl}/__sink/${SO_SINK}`, SO_SECRET);
      const deliveries = await sinkDeliveries(demo.baseUrl, SO_SINK);
      assert.ok(deliveries.length >= 1, 'a delivery reached the sink');
      verifySuperOffice(deliveries[deliveries.length - 1]!, SO_SECRET);
    },
  );

  it("github-actions: the service's image, port, env and the job's URLs are the image's", async () => {
    assert.ok(demo && build);
    const workflow = parseActions(example('github-actions').body);
    let services = 0;
    for (const [jobName, job] of Object.entries(workflow.jobs)) {
      for (const [serviceName, service] of Object.entries(job.services ?? {})) {
        if (imageBaseName(service.image ?? '') !== imageBaseName(build.tag)) continue;
        services++;
        const ports = (service.ports ?? []).map(parsePort);
        assert.ok(ports.length >= 1, `${serviceName}: ports`);
        for (const p of ports) assert.equal(p.container, imagePort, `${serviceName}: container port`);
        assertKnownEnv(
          serviceEnv(service).map(([k]) => k),
          `services.${serviceName}.env`,
        );
        // the job's steps run on the runner: the mock is localhost:<published port>
        const urls = urlsTo(yamlStrings({ env: job.env, steps: job.steps }), ['localhost', '127.0.0.1']);
        assert.ok(urls.length >= 1, `${jobName}: URLs of the mock`);
        for (const url of urls) {
          assert.ok(
            ports.some((p) => String(p.host) === url.port),
            `${url.href}: port published by the service`,
          );
        }
        assert.ok(
          urls.some((u) => u.pathname === HEALTH_PATH),
          `${jobName}: a step checks ${HEALTH_PATH}`,
        );
        await checkMockPaths(demo, urls, `jobs.${jobName}`);
      }
    }
    assert.equal(services, 1, `one service runs ${build.tag}`);
  });

  it('run-demo: stops cleanly on SIGTERM (exit code 0)', { timeout: MINUTE }, async () => {
    assert.ok(demo, 'server running');
    await stopContainer(demo);
  });

  // ---- run-own-fixtures --------------------------------------------------------------------------------------

  it(
    'run-own-fixtures: mounted fixtures deliver to a receiver on the host, signatures verify',
    { timeout: 3 * MINUTE },
    async () => {
      assert.ok(ownRun);
      const fixturesVar = ownRun.env.find(([k]) => k === 'FIXTURES')?.[1];
      assert.ok(fixturesVar, 'the example sets FIXTURES');
      assertKnownEnv(
        ownRun.env.map(([k]) => k),
        'run-own-fixtures',
      );
      const receiver = await startReceiver();
      cleanups.push(() => receiver.close());

      // your own fixtures: the demo ones, with the demo webhooks delivering to the receiver
      const dir = mkdtempSync(join(tmpdir(), 'vwm-own-fixtures-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      for (const file of ['c1.yaml', 'shodai.yaml', 'superoffice.yaml']) {
        const text = readFileSync(join(repoRoot, 'fixtures', file), 'utf8')
          .replaceAll(`{{sinkUrl}}/${C1_SINK}`, `${receiver.url}/c1`)
          .replaceAll(`{{sinkUrl}}/${SHODAI_SINK}`, `${receiver.url}/shodai`)
          .replaceAll(`{{sinkUrl}}/${SO_SINK}`, `${receiver.url}/superoffice`);
        writeFileSync(join(dir, file), text);
      }
      readableByAll(dir);
      const volumes: Volume[] = ownRun.volumes.map((v) => {
        assert.equal(
          v.container,
          fixturesVar,
          `the volume is mounted at FIXTURES (${v.host}:${v.container})`,
        );
        assert.ok(v.options.includes('ro'), 'mounted read-only');
        return { ...v, host: dir };
      });
      assert.equal(volumes.length, 1, 'one volume');

      const r = await startContainer(OWN, { ...ownRun, volumes }, await freePort());
      const issuer = new URL(r.baseUrl).host;

      assert.equal(await c1TestCall(r.baseUrl, C1_WEBHOOK), 'WEBHOOK_STATE_SUCCESS');
      await verifyC1(await receiver.take('/c1'), {
        jwksUrl: `${r.baseUrl}/c1/auth/v1/jwks`,
        audience: '127.0.0.1',
        issuer,
      });
      await shodaiTestCall(r.baseUrl, SHODAI_WEBHOOK);
      verifyShodai(await receiver.take('/shodai'), SHODAI_SECRET);
      await superOfficeTestCall(r.baseUrl, `${receiver.url}/superoffice`, SO_SECRET);
      verifySuperOffice(await receiver.take('/superoffice'), SO_SECRET);
      // the mounted fixtures were used, not the image's demo ones (which deliver to the sink)
      assert.deepEqual(await sinkDeliveries(r.baseUrl, C1_SINK, 0), [], 'nothing in the sink');

      await stopContainer(r);
    },
  );

  // ---- compose ------------------------------------------------------------------------------------------------

  /** The compose example's mock and app services (the app is the one that depends on the mock). */
  function composeServices(): {
    mockName: string;
    mock: ComposeService;
    appName: string;
    app: ComposeService;
  } {
    assert.ok(build);
    const compose = parseCompose(example('compose').body);
    const entries = Object.entries(compose.services);
    const mockEntry = entries.find(([, s]) => imageBaseName(s.image ?? '') === imageBaseName(build!.tag));
    assert.ok(mockEntry, `a compose service with image ${build.tag}`);
    const [mockName, mock] = mockEntry;
    const appEntry = entries.find(([n, s]) => n !== mockName && dependsOn(s).has(mockName));
    assert.ok(appEntry, `a compose service that depends on ${mockName}`);
    return { mockName, mock, appName: appEntry[0], app: appEntry[1] };
  }

  it("compose: the mock service's env, port, volume and health are the image's", () => {
    const { mockName, mock, appName, app } = composeServices();
    const vars = new Map(serviceEnv(mock));
    assertKnownEnv([...vars.keys()], `services.${mockName}.environment`);
    for (const p of (mock.ports ?? []).map(parsePort)) assert.equal(p.container, imagePort, 'container port');

    const publicUrl = vars.get('PUBLIC_URL');
    assert.ok(publicUrl, `services.${mockName}.environment.PUBLIC_URL`);
    const pub = new URL(publicUrl);
    assert.equal(pub.hostname, mockName, 'PUBLIC_URL: the service name');
    assert.equal(Number(pub.port), imagePort, "PUBLIC_URL: the image's port");

    const volumes = serviceVolumes(mock);
    assert.equal(volumes.length, 1, 'one volume');
    assert.equal(volumes[0]!.container, vars.get('FIXTURES'), 'the volume is mounted at FIXTURES');
    assert.ok(volumes[0]!.options.includes('ro'), 'mounted read-only');

    assert.equal(dependsOn(app).get(mockName), 'service_healthy', `${appName} waits for a healthy mock`);
    assert.ok(healthcheck, 'the image has the HEALTHCHECK service_healthy needs');
    assert.equal(mock.healthcheck, undefined, "the image's own HEALTHCHECK is used");

    const appEnv = serviceEnv(app);
    for (const url of urlsTo(
      appEnv.map(([, v]) => v),
      [mockName],
    )) {
      assert.equal(Number(url.port || 80), imagePort, `${url.href}: the mock's port`);
    }
    const issuers = appEnv.filter(([, v]) => new RegExp(`^${mockName}:\\d+$`).test(v));
    for (const [k, v] of issuers)
      assert.equal(v, pub.host, `${appName}.${k}: the JWT iss is PUBLIC_URL's host`);
  });

  it(
    'compose: the README makes mock-fixtures/; deliveries reach the app; callback URL, iss and JWKS from PUBLIC_URL',
    { timeout: 3 * MINUTE },
    async () => {
      const { mockName, mock, appName, app } = composeServices();
      const receiver = await startReceiver();
      cleanups.push(() => receiver.close());
      const port = await freePort();

      // the README's commands, in a folder holding a copy of this repository's fixtures/
      const work = mkdtempSync(join(tmpdir(), 'vwm-compose-'));
      cleanups.push(() => rmSync(work, { recursive: true, force: true }));
      cpSync(join(repoRoot, 'fixtures'), join(work, 'fixtures'), { recursive: true });
      let script = example('compose-fixtures').body;
      const appPorts = new Set(urlsTo([script], [appName]).map((u) => u.port));
      assert.equal(appPorts.size, 1, `the fixtures deliver to ${appName} on one port`);
      const appPort = [...appPorts][0]!;
      script = script.replaceAll(`${appName}:${appPort}`, `${appName}:${receiver.port}`);
      await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: work, prefix: '  [compose-fixtures] ' });

      const volumes = serviceVolumes(mock).map((v) => {
        const host = resolve(work, v.host);
        assert.ok(existsSync(join(host, 'c1.yaml')), `${v.host} made by the README's commands`);
        readableByAll(host);
        return { ...v, host };
      });
      const fixtures = (file: string) =>
        parseYaml(readFileSync(join(volumes[0]!.host, file), 'utf8')) as unknown;

      // compose's network: the service names resolve (here to the host, whose network the container shares)
      const sub = (s: string) => s.replaceAll(`${mockName}:${imagePort}`, `${mockName}:${port}`);
      const toHost = (url: string) => {
        const u = new URL(url);
        if (u.hostname === mockName) u.hostname = '127.0.0.1';
        return u.href;
      };
      const mockEnv = serviceEnv(mock).map(([k, v]): [string, string] => [k, sub(v)]);
      const appEnv = serviceEnv(app).map(([k, v]): [string, string] => [k, sub(v)]);
      const publicUrl = new Map(mockEnv).get('PUBLIC_URL')!;
      const r = await startContainer(
        COMPOSE,
        {
          image: mock.image!,
          args: [],
          env: mockEnv,
          volumes,
          publish: (mock.ports ?? []).map(parsePort),
          addHosts: [],
        },
        port,
        [`${mockName}:127.0.0.1`, `${appName}:127.0.0.1`],
      );
      for (const url of await vendorBaseUrls(r)) {
        assert.ok(url.startsWith(`${publicUrl}/`), `the mock's vendor base URL ${url} is on PUBLIC_URL`);
      }

      // the app's settings: the JWKS URL and the expected issuer
      const jwksUrl = appEnv.find(([, v]) => /^https?:\/\/.*\/auth\/v1\/jwks$/.test(v))?.[1];
      assert.ok(jwksUrl, `${appName}: a JWKS URL`);
      assert.equal(jwksUrl, `${publicUrl}/c1/auth/v1/jwks`, 'the JWKS URL is $PUBLIC_URL/c1/auth/v1/jwks');
      const issuer = new URL(publicUrl).host;
      assert.ok(
        appEnv.some(([, v]) => v === issuer),
        `${appName}: the expected JWT issuer ${issuer}`,
      );
      await checkMockPaths(
        r,
        urlsTo(
          appEnv.map(([, v]) => v),
          [mockName],
        ),
        `services.${appName}.environment`,
      );

      // C1: to the app, iss and callback URL from PUBLIC_URL, the key from the app's JWKS URL
      const c1 = fixtures('c1.yaml') as { webhooks: { id: string; url: string }[] };
      const c1Url = new URL(c1.webhooks.find((w) => w.id === C1_WEBHOOK)!.url);
      assert.equal(c1Url.hostname, appName, `c1.yaml: ${C1_WEBHOOK} delivers to ${appName}`);
      assert.equal(await c1TestCall(r.baseUrl, C1_WEBHOOK), 'WEBHOOK_STATE_SUCCESS');
      const first = await verifyC1(await receiver.take(c1Url.pathname), {
        jwksUrl: toHost(jwksUrl),
        audience: appName,
        issuer,
      });
      const callbackPrefix = `${publicUrl}/c1/api/v1/webhooks/callback/`;
      assert.ok(first.body.callbackUrl?.startsWith(callbackPrefix), `callbackUrl ${first.body.callbackUrl}`);

      // the app answers 202, then completes the delivery at the callback URL (which works once)
      receiver.status = 202;
      assert.equal(await c1TestCall(r.baseUrl, C1_WEBHOOK), 'WEBHOOK_STATE_WAITING_CALLBACK');
      receiver.status = 200;
      const waiting = await verifyC1(await receiver.take(c1Url.pathname), {
        jwksUrl: toHost(jwksUrl),
        audience: appName,
        issuer,
      });
      assert.ok(
        waiting.body.callbackUrl?.startsWith(callbackPrefix),
        `callbackUrl ${waiting.body.callbackUrl}`,
      );
      const callback = (body: string) =>
        fetch(toHost(waiting.body.callbackUrl!), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      const done = await callback('{"version":"v1"}');
      assert.equal(done.status, 200, `POST callbackUrl: ${await done.text()}`);
      const again = await callback('{"version":"v1"}');
      assert.equal(again.status, 400, 'a callback URL works once');
      await again.arrayBuffer();

      // Shodai: to the app, signed with the secret the app has
      const shodai = fixtures('shodai.yaml') as { webhooks: { id: string; url: string; secret: string }[] };
      const hook = shodai.webhooks.find((w) => w.id === SHODAI_WEBHOOK)!;
      assert.equal(
        new URL(hook.url).hostname,
        appName,
        `shodai.yaml: ${SHODAI_WEBHOOK} delivers to ${appName}`,
      );
      const appSecret = appEnv.find(([, v]) => v.startsWith('whsec_'))?.[1];
      assert.equal(appSecret, hook.secret, `${appName}: the Shodai webhook's secret`);
      await shodaiTestCall(r.baseUrl, SHODAI_WEBHOOK);
      verifyShodai(await receiver.take(new URL(hook.url).pathname), appSecret!);

      // SuperOffice: Webhook/Test to the app's URL from superoffice.yaml
      const so = fixtures('superoffice.yaml') as { webhooks: { targetUrl: string; secret: string }[] };
      const soHook = so.webhooks.find((w) => new URL(w.targetUrl).hostname === appName);
      assert.ok(soHook, `superoffice.yaml: a webhook to ${appName}`);
      await superOfficeTestCall(r.baseUrl, soHook.targetUrl, soHook.secret);
      verifySuperOffice(await receiver.take(new URL(soHook.targetUrl).pathname), soHook.secret);

      await stopContainer(r);
    },
  );

  it('reports the image size', async () => {
    const size = await buildah(['images', '--noheading', '--format', '{{.Size}}', IMAGE]);
    const base = await buildah(['images', '--noheading', '--format', '{{.Size}}', BASE_IMAGE]);
    const secs = (ms?: number) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)}s`);
    const starts = Object.entries(timings)
      .filter(([k]) => k.startsWith('start '))
      .map(([k, v]) => `${k.slice(6)} ${secs(v)}`)
      .join(', ');
    log(
      `image ${IMAGE}: ${size.stdout.trim()} (base ${BASE_IMAGE}: ${base.stdout.trim()}); ` +
        `base ${secs(timings.base)}, build ${secs(timings.build)}; startup: ${starts}`,
    );
  });
});
