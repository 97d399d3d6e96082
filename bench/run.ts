/**
 * `npm run bench`: the mock against Prism and against bare reference servers, on this machine.
 *
 * Starts each server in a process of its own (bare Node, bare express, a Node and an express relay, the mock
 * from `dist/`, Prism on the vendored specs) plus a local webhook receiver, loads each in turn with autocannon
 * and prints a table with the ratios against the targets; writes everything to `bench/results.json`.
 *
 *   P1  an authenticated, validated call that does not deliver: req/s and p99 at 20 connections
 *   P2  the Shodai test call with a real signed delivery to the local receiver
 *   P3  start-up: process spawn to first answer, median of 5, mock vs Prism
 *   P4  memory: RSS after 100 k requests, and its slope over a 60 s soak with deliveries
 *
 * Options: --duration <s> per load run (default 10), --soak <s> (60), --memory-requests <n> (100000),
 * --startup-runs <n> (5), --connections <n> (20), --out <file>, --smoke (1 s runs, for the test suite).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { parse, stringify } from 'yaml';

const root = fileURLToPath(new URL('../', import.meta.url));
const cli = path.join(root, 'dist', 'cli.js');
const prismBin = path.join(root, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
const tsxImport = ['--import', 'tsx'];

interface Settings {
  durationS: number;
  soakS: number;
  memoryRequests: number;
  startupRuns: number;
  connections: number;
  out: string;
}

function settingsFrom(argv: string[]): Settings {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(name);
    return index === -1 ? undefined : argv[index + 1];
  };
  const smoke = argv.includes('--smoke');
  const num = (name: string, normal: number, quick: number): number => {
    const given = value(name);
    return given === undefined ? (smoke ? quick : normal) : Number(given);
  };
  return {
    durationS: num('--duration', 10, 1),
    soakS: num('--soak', 60, 2),
    memoryRequests: num('--memory-requests', 100_000, 2_000),
    startupRuns: num('--startup-runs', 5, 1),
    connections: num('--connections', 20, 20),
    out: path.resolve(value('--out') ?? path.join(root, 'bench', 'results.json')),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// processes

interface Target {
  name: string;
  child: ChildProcess;
  url: string;
}

const running = new Set<ChildProcess>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Spawns a process and resolves once its output matches `ready` (group 1: the port). */
function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Target> {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env } });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      if (output.length < 20_000) output += chunk.toString();
      const match = ready.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      // keep draining, so a chatty logger never blocks on a full pipe
      child.stdout?.resume();
      child.stderr?.resume();
      resolve({ name, child, url: `http://127.0.0.1:${match[1]}` });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

function stop(target: Target | undefined): Promise<void> {
  if (target === undefined || target.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => target.child.kill('SIGKILL'), 5000);
    target.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    target.child.kill('SIGTERM');
  });
}

const startBaseline = (mode: string, env: NodeJS.ProcessEnv = {}): Promise<Target> =>
  startProcess(
    mode,
    [...tsxImport, path.join(root, 'bench', 'targets', 'baseline.ts'), mode],
    env,
    /listening (\d+)/,
  );

async function startMock(fixturesDir: string): Promise<Target> {
  return startProcess(
    'mock',
    // as `npm start`, the bin's shebang and the image run it
    ['--max-semi-space-size=2', cli, '--port', '0', '--fixtures', fixturesDir, '--journal-size', '1000'],
    {},
    /listening on http:\/\/127\.0\.0\.1:(\d+)/,
  );
}

async function startPrism(spec: 'c1' | 'shodai', port?: number): Promise<Target> {
  const chosen = port ?? (await freePort());
  return startProcess(
    `prism ${spec}`,
    [
      prismBin,
      'mock',
      '-h',
      '127.0.0.1',
      '-p',
      String(chosen),
      path.join(root, 'specs', `${spec}.openapi.yaml`),
    ],
    {},
    new RegExp(`listening on http://127\\.0\\.0\\.1:(${chosen})`),
  );
}

/** Resident set size of a process, in MB (Linux `/proc`). */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

// ---------------------------------------------------------------------------------------------------------------
// load

interface Call {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface LoadResult {
  target: string;
  call: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  statuses: Record<string, number>;
  errors: number;
}

async function load(
  target: Target,
  callName: string,
  call: Call,
  settings: Settings,
  amount?: number,
): Promise<LoadResult> {
  const result = await autocannon({
    url: `${target.url}${call.path}`,
    method: call.method,
    headers: call.headers,
    ...(call.body === undefined ? {} : { body: call.body }),
    connections: settings.connections,
    ...(amount === undefined ? { duration: settings.durationS } : { amount }),
  });
  const statuses: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[code] = (stats as { count: number }).count;
  }
  return {
    target: target.name,
    call: callName,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    statuses,
    errors: result.errors + result.timeouts,
  };
}

async function once(url: string, call: Call): Promise<{ status: number; body: string }> {
  const response = await fetch(url + call.path, {
    method: call.method,
    headers: call.headers,
    ...(call.body === undefined ? {} : { body: call.body }),
  });
  return { status: response.status, body: await response.text() };
}

/** Spawn to first answer (any status) on `probe`, in ms. */
async function startupMs(
  args: (port: number) => string[],
  probe: (port: number) => string,
  port: number,
): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args(port), { cwd: root, stdio: 'ignore' });
  running.add(child);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before answering`);
      try {
        await fetch(probe(port), { signal: AbortSignal.timeout(1000) });
        return Math.round(performance.now() - started);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (performance.now() - started > 30_000) throw new Error('no answer within 30 s');
    }
  } finally {
    await stop({ name: 'startup', child, url: '' });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

/** Least-squares slope of (seconds, MB) samples, in MB per minute. */
function slopePerMinute(samples: { atS: number; rssMb: number }[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const meanX = samples.reduce((sum, s) => sum + s.atS, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.rssMb, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.atS - meanX) * (s.rssMb - meanY);
    den += (s.atS - meanX) ** 2;
  }
  return den === 0 ? 0 : Math.round((num / den) * 60 * 100) / 100;
}

// ---------------------------------------------------------------------------------------------------------------
// the run

const SHODAI_KEY = { 'X-API-Key': 'cns_pk_demo_free' };
const BENCH_WEBHOOK = 'wh_bench_receiver';

const calls = {
  /** P1: Shodai test call on an unknown id: authenticated, routed, validated, 404, nothing delivered. */
  shodaiUnknown: {
    method: 'POST',
    path: '/v0/webhooks/wh_does_not_exist/test',
    headers: SHODAI_KEY,
  },
  /** P1: C1 read of a webhook. */
  c1Get: {
    method: 'GET',
    path: '/api/v1/webhooks/2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1',
    headers: { Authorization: 'Bearer demo-c1-token' },
  },
  /** P2: Shodai test call that delivers a signed event to the local receiver. */
  shodaiTest: { method: 'POST', path: `/v0/webhooks/${BENCH_WEBHOOK}/test`, headers: SHODAI_KEY },
} satisfies Record<string, Call>;

const under = (prefix: string, call: Call): Call => ({ ...call, path: `${prefix}${call.path}` });

/** The demo fixtures plus a Shodai subscription (Alice's) that delivers to the receiver. */
async function benchFixtures(receiverUrl: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vwm-bench-'));
  await cp(path.join(root, 'fixtures'), dir, { recursive: true });
  const file = path.join(dir, 'shodai.yaml');
  const data = parse(await readFile(file, 'utf8')) as { webhooks?: object[] };
  data.webhooks = [
    ...(data.webhooks ?? []),
    {
      id: BENCH_WEBHOOK,
      principalId: 'prn_demo_alice',
      url: `${receiverUrl}/hook`,
      secret: 'whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      createdAt: '2026-01-05T09:00:00Z',
    },
  ];
  await writeFile(file, stringify(data));
  return dir;
}

interface Check {
  id: string;
  what: string;
  value: number;
  unit: string;
  target: string;
  met: boolean;
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const loads: LoadResult[] = [];
  const record = (result: LoadResult): LoadResult => {
    loads.push(result);
    log(
      `  ${result.target.padEnd(14)} ${result.call.padEnd(14)} ${String(result.requestsPerSecond).padStart(7)} req/s  p99 ${String(result.p99Ms).padStart(4)} ms  ${JSON.stringify(result.statuses)}${result.errors > 0 ? `  errors ${result.errors}` : ''}`,
    );
    return result;
  };

  const receiver = await startProcess(
    'receiver',
    [...tsxImport, path.join(root, 'bench', 'targets', 'receiver.ts')],
    {},
    /listening (\d+)/,
  );
  const fixturesDir = await benchFixtures(receiver.url);
  try {
    // --- the mock first: its answers are what the bare servers answer too
    log('== the mock (dist/cli.js)');
    let mock = await startMock(fixturesDir);
    const shodaiBody = await once(`${mock.url}/shodai`, calls.shodaiUnknown);
    const c1Body = await once(`${mock.url}/c1`, calls.c1Get);
    const testAnswer = await once(`${mock.url}/shodai`, calls.shodaiTest);
    if (shodaiBody.status !== 404 || c1Body.status !== 200 || testAnswer.status !== 201)
      throw new Error(
        `unexpected answers from the mock: ${shodaiBody.status} ${c1Body.status} ${testAnswer.status} ${testAnswer.body}`,
      );
    // warm up (JIT), then measure
    await load(mock, 'warm-up', under('/shodai', calls.shodaiUnknown), { ...settings, durationS: 1 });
    const mockP1a = record(
      await load(mock, 'P1 shodai 404', under('/shodai', calls.shodaiUnknown), settings),
    );
    const mockP1b = record(await load(mock, 'P1 c1 get', under('/c1', calls.c1Get), settings));
    await load(mock, 'warm-up', under('/shodai', calls.shodaiTest), { ...settings, durationS: 1 });
    const mockP2 = record(await load(mock, 'P2 shodai test', under('/shodai', calls.shodaiTest), settings));
    await stop(mock);

    // --- the reference servers
    log('== reference servers');
    const baseline = async (mode: string, callName: string, env: NodeJS.ProcessEnv): Promise<LoadResult> => {
      const target = await startBaseline(mode, env);
      try {
        await load(target, 'warm-up', calls.shodaiUnknown, { ...settings, durationS: 1 });
        return record(await load(target, callName, calls.shodaiUnknown, settings));
      } finally {
        await stop(target);
      }
    };
    const bodyEnv = { BENCH_BODY: shodaiBody.body, BENCH_STATUS: '404' };
    const bareNode = await baseline('node', 'P1 same body', bodyEnv);
    const bareExpress = await baseline('express', 'P1 same body', bodyEnv);
    const nodeRelay = await baseline('node-relay', 'P2 relay', { BENCH_RECEIVER: `${receiver.url}/hook` });
    const expressRelay = await baseline('express-relay', 'P2 relay', {
      BENCH_RECEIVER: `${receiver.url}/hook`,
    });

    // --- Prism on the vendored specs
    log('== Prism (prism mock <spec>)');
    let prism = await startPrism('shodai');
    await load(prism, 'warm-up', calls.shodaiUnknown, { ...settings, durationS: 1 });
    const prismP1a = record(await load(prism, 'P1 shodai 404', calls.shodaiUnknown, settings));
    const prismP2 = record(await load(prism, 'P2 shodai test', calls.shodaiTest, settings));
    await stop(prism);
    prism = await startPrism('c1');
    await load(prism, 'warm-up', calls.c1Get, { ...settings, durationS: 1 });
    const prismP1b = record(await load(prism, 'P1 c1 get', calls.c1Get, settings));
    await stop(prism);

    // --- P3: start-up
    log('== P3 start-up (spawn to first answer)');
    const mockStarts: number[] = [];
    const prismStarts: number[] = [];
    for (let run = 0; run < settings.startupRuns; run += 1) {
      const port = await freePort();
      mockStarts.push(
        await startupMs(
          (p) => ['--max-semi-space-size=2', cli, '--port', String(p), '--log-level', 'warn'],
          (p) => `http://127.0.0.1:${p}/__admin/health`,
          port,
        ),
      );
      const prismPort = await freePort();
      prismStarts.push(
        await startupMs(
          (p) => [
            prismBin,
            'mock',
            '-h',
            '127.0.0.1',
            '-p',
            String(p),
            path.join(root, 'specs', 'shodai.openapi.yaml'),
          ],
          (p) => `http://127.0.0.1:${p}/v0/webhooks`,
          prismPort,
        ),
      );
    }
    const startup = {
      mockMs: median(mockStarts),
      prismMs: median(prismStarts),
      mockRuns: mockStarts,
      prismRuns: prismStarts,
    };
    log(
      `  mock ${startup.mockMs} ms (${mockStarts.join(', ')}), Prism ${startup.prismMs} ms (${prismStarts.join(', ')})`,
    );

    // --- P4: memory
    log(
      `== P4 memory (${settings.memoryRequests} requests, then a ${settings.soakS} s soak with deliveries)`,
    );
    mock = await startMock(fixturesDir);
    const pid = mock.child.pid!;
    const rssAtStart = await rssMb(pid);
    await load(mock, 'P4 requests', under('/shodai', calls.shodaiUnknown), settings, settings.memoryRequests);
    const rssAfterRequests = await rssMb(pid);
    const samples: { atS: number; rssMb: number }[] = [];
    const soakStarted = performance.now();
    const sampler = setInterval(
      () => {
        void rssMb(pid).then((mb) =>
          samples.push({ atS: (performance.now() - soakStarted) / 1000, rssMb: mb }),
        );
      },
      Math.max(250, (settings.soakS * 1000) / 60),
    );
    const soak = await load(mock, 'P4 soak', under('/shodai', calls.shodaiTest), {
      ...settings,
      durationS: settings.soakS,
    });
    clearInterval(sampler);
    const rssAfterSoak = await rssMb(pid);
    await stop(mock);
    // the first fifth of the soak is warm-up (the journal fills up); the slope is taken over the rest
    const settled = samples.filter((sample) => sample.atS >= settings.soakS / 5);
    const memory = {
      rssAtStartMb: rssAtStart,
      rssAfterRequestsMb: rssAfterRequests,
      rssAfterSoakMb: rssAfterSoak,
      peakMb: Math.max(rssAfterRequests, rssAfterSoak, ...samples.map((s) => s.rssMb)),
      soakSlopeMbPerMin: slopePerMinute(settled),
      soakRequests: soak.requests,
      soakRequestsPerSecond: soak.requestsPerSecond,
      samples,
    };
    log(
      `  RSS start ${rssAtStart} MB, after requests ${rssAfterRequests} MB, after soak ${rssAfterSoak} MB, peak ${memory.peakMb} MB, slope ${memory.soakSlopeMbPerMin} MB/min`,
    );

    // --- targets
    const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 100) / 100);
    const checks: Check[] = [];
    for (const [mockResult, prismResult] of [
      [mockP1a, prismP1a],
      [mockP1b, prismP1b],
    ] as const) {
      const name = mockResult.call.replace('P1 ', '');
      const vsExpress = ratio(mockResult.requestsPerSecond, bareExpress.requestsPerSecond);
      const vsPrism = ratio(mockResult.requestsPerSecond, prismResult.requestsPerSecond);
      checks.push(
        {
          id: 'P1',
          what: `${name}: mock / bare express`,
          value: vsExpress,
          unit: '×',
          target: '≥ 1.0',
          met: vsExpress >= 1,
        },
        {
          id: 'P1',
          what: `${name}: mock / Prism`,
          value: vsPrism,
          unit: '×',
          target: '≥ 4',
          met: vsPrism >= 4,
        },
        {
          id: 'P1',
          what: `${name}: mock p99`,
          value: mockResult.p99Ms,
          unit: 'ms',
          target: '≤ 10',
          met: mockResult.p99Ms <= 10,
        },
      );
    }
    const p2VsRelay = ratio(mockP2.requestsPerSecond, expressRelay.requestsPerSecond);
    const p2VsPrism = ratio(mockP2.requestsPerSecond, prismP2.requestsPerSecond);
    checks.push(
      {
        id: 'P2',
        what: 'shodai test: mock / express relay',
        value: p2VsRelay,
        unit: '×',
        target: '≥ 1.0',
        met: p2VsRelay >= 1,
      },
      {
        id: 'P2',
        what: 'shodai test: mock / Prism (no delivery)',
        value: p2VsPrism,
        unit: '×',
        target: '≥ 1.5',
        met: p2VsPrism >= 1.5,
      },
      {
        id: 'P3',
        what: 'start-up, median',
        value: startup.mockMs,
        unit: 'ms',
        target: '≤ 300',
        met: startup.mockMs <= 300,
      },
      {
        id: 'P4',
        what: 'RSS idle (after start)',
        value: memory.rssAtStartMb,
        unit: 'MB',
        target: '≤ 80',
        met: memory.rssAtStartMb <= 80,
      },
      {
        id: 'P4',
        what: `RSS after ${settings.memoryRequests} requests`,
        value: memory.rssAfterRequestsMb,
        unit: 'MB',
        target: '≤ 120',
        met: memory.rssAfterRequestsMb <= 120,
      },
      {
        id: 'P4',
        what: 'RSS peak (soak with deliveries)',
        value: memory.peakMb,
        unit: 'MB',
        target: '≤ 120',
        met: memory.peakMb <= 120,
      },
      {
        id: 'P4',
        what: 'RSS slope over the soak',
        value: memory.soakSlopeMbPerMin,
        unit: 'MB/min',
        target: '≤ 5 (flat)',
        met: memory.soakSlopeMbPerMin <= 5,
      },
    );

    const received = (await (await fetch(`${receiver.url}/count`)).json()) as { received: number };
    const results = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        platform: process.platform,
      },
      settings: { ...settings, out: undefined, tool: 'autocannon' },
      baselines: {
        bareNode: bareNode.requestsPerSecond,
        bareExpress: bareExpress.requestsPerSecond,
        nodeRelay: nodeRelay.requestsPerSecond,
        expressRelay: expressRelay.requestsPerSecond,
      },
      loads,
      startup,
      memory,
      receiverCount: received.received,
      checks,
      allMet: checks.every((check) => check.met),
    };
    await writeFile(settings.out, `${JSON.stringify(results, null, 2)}\n`);

    const table = [
      ['', 'what', 'value', 'target', ''],
      ...checks.map((check) => [
        check.id,
        check.what,
        `${check.value} ${check.unit}`,
        check.target,
        check.met ? 'met' : 'MISSED',
      ]),
    ];
    const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
    process.stdout.write(
      `\n${[
        `req/s at ${settings.connections} connections: bare node ${bareNode.requestsPerSecond}, bare express ${bareExpress.requestsPerSecond}, node relay ${nodeRelay.requestsPerSecond}, express relay ${expressRelay.requestsPerSecond}`,
        `mock: shodai 404 ${mockP1a.requestsPerSecond} (p99 ${mockP1a.p99Ms} ms), c1 get ${mockP1b.requestsPerSecond} (p99 ${mockP1b.p99Ms} ms), shodai test + delivery ${mockP2.requestsPerSecond} (p99 ${mockP2.p99Ms} ms)`,
        `Prism: shodai 404 ${prismP1a.requestsPerSecond}, c1 get ${prismP1b.requestsPerSecond}, shodai test ${prismP2.requestsPerSecond}`,
        '',
        ...table.map((row) =>
          row
            .map((cell, column) => cell.padEnd(widths[column]!))
            .join('  ')
            .trimEnd(),
        ),
        '',
        `${results.allMet ? 'all targets met' : 'some targets missed'}; written to ${settings.out}`,
      ].join('\n')}\n`,
    );
  } finally {
    await stop(receiver);
    await rm(fixturesDir, { recursive: true, force: true });
  }
}

const cleanUp = (): void => {
  for (const child of running) child.kill('SIGKILL');
};
process.on('exit', cleanUp);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

try {
  await main();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
}
