/**
 * The CLI as a person meets it: readable logs and a banner that names the inspector in a terminal (a real
 * pseudo-terminal, made by util-linux's `script`), JSON lines otherwise, `--version`, and one line with a hint
 * for each way start-up can fail.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cliPath, fixturesCopy, repoRoot, runCli } from '../support/process.js';

const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;
// eslint-disable-next-line no-control-regex -- ANSI colour codes
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r/g, '');
const hasScript = spawnSync('script', ['--version']).status === 0;

interface Session {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs the CLI with `args`, under a pseudo-terminal when `terminal` (`script -qec`), and resolves once the
 * banner names the listening URL.
 */
function startCli(args: string[], terminal: boolean): Promise<Session> {
  const command = [process.execPath, cliPath, ...args].map((part) => `'${part}'`).join(' ');
  const child = terminal
    ? spawn('script', ['-qec', `exec ${command}`, '/dev/null'], { cwd: repoRoot })
    : spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 10 s:\n${output}`)), 10_000);
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/[\d.:]+)/.exec(stripAnsi(output));
      if (match === null) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        output: () => stripAnsi(output),
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    }, 25);
  });
}

/** Waits until `output()` matches `pattern`. */
async function waitFor(session: Session, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 5000;
  while (!pattern.test(session.output())) {
    if (Date.now() > deadline) assert.fail(`no ${pattern} in:\n${session.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return session.output();
}

describe('the CLI in a terminal', { skip: hasScript ? false : 'no `script` (util-linux) here' }, () => {
  it('prints a banner naming the inspector and the admin API, then one coloured line per event', async () => {
    const session = await startCli(['--port', '0'], true);
    try {
      const banner = session.output();
      assert.match(banner, new RegExp(`vendor-webhook-mock ${version.replaceAll('.', '\\.')} listening on`));
      for (const line of [
        `ConductorOne  ${session.url}/c1`,
        `Shodai        ${session.url}/shodai`,
        `SuperOffice   ${session.url}/superoffice`,
        `inspector     ${session.url}/__inspector/`,
        `admin API     ${session.url}/__admin`,
        'credentials   the demo ones: README.md, "Demo credentials and webhooks"',
      ])
        assert.ok(banner.includes(line), `${line}\n${banner}`);
      const call = await fetch(`${session.url}/shodai/v0/webhooks/wh_demo_alice_1/test`, {
        method: 'POST',
        headers: { 'X-API-Key': 'cns_pk_demo_free' },
      });
      assert.equal(call.status, 201);
      const output = await waitFor(
        session,
        /INFO: shodai POST \/shodai\/v0\/webhooks\/wh_demo_alice_1\/test → 201/,
      );
      assert.match(
        output,
        /\d\d:\d\d:\d\d\.\d{3}\] INFO: shodai delivery webhook\.test → http:\/\/\S+\/__sink\/shodai-demo: 200 \d+ ms dlv_\w+ \(req_\w+\)\n/,
      );
      assert.ok(!output.split('\n').some((line) => line.startsWith('{')), 'no JSON lines in a terminal');
    } finally {
      await session.stop();
    }
  });

  it('logs JSON lines there too with --log-format json', async () => {
    const session = await startCli(['--port', '0', '--log-format', 'json'], true);
    try {
      await fetch(`${session.url}/__admin/health`);
      const output = await waitFor(session, /"msg":"request"/);
      const lines = output.split('\n').filter((line) => line.trim() !== '');
      for (const line of lines) JSON.parse(line);
    } finally {
      await session.stop();
    }
  });
});

describe('the CLI with its output piped', () => {
  it('logs pretty lines with --log-format pretty, a refused delivery at WARN', async () => {
    const session = await startCli(['--port', '0', '--log-format', 'pretty'], false);
    try {
      assert.match(session.output(), /inspector {5}http:\/\/\S+\/__inspector\//);
      const call = await fetch(`${session.url}/superoffice/api/v1/Webhook/Test`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ TargetUrl: 'http://127.0.0.1:1/hook' }),
      });
      assert.equal(call.status, 200);
      await waitFor(
        session,
        /WARN: superoffice delivery test → http:\/\/127\.0\.0\.1:1\/hook: connection-refused/,
      );
    } finally {
      await session.stop();
    }
  });
});

describe('the CLI when it cannot start', () => {
  /** One line on stderr, nothing on stdout, exit code 1, and no stack trace. */
  const oneLine = (result: { code: number | null; stdout: string; stderr: string }): string => {
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.split('\n').length, 2, result.stderr);
    assert.ok(result.stderr.startsWith('vendor-webhook-mock: '), result.stderr);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    return result.stderr;
  };

  it('prints its version with --version', async () => {
    const result = await runCli(['--version']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${version}\n`);
  });

  it('names an unknown flag, suggests the right one and points at --help instead of printing it', async () => {
    const line = oneLine(await runCli(['--prot', '1']));
    assert.match(line, /unknown option '--prot' \(Did you mean --port\?\); see vendor-webhook-mock --help/);
  });

  it('says a port is in use and suggests --port 0', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const line = oneLine(await runCli(['--port', String(port)]));
      assert.match(line, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.match(line, /--port 0/);
    } finally {
      holder.close();
    }
  });

  it('says that a --fixtures folder does not exist', async () => {
    const line = oneLine(await runCli(['--port', '0', '--fixtures', '/no/such/fixtures']));
    assert.match(line, /the fixtures folder \/no\/such\/fixtures does not exist/);
  });

  it('gives a YAML syntax error as file:line:column and its reason', async () => {
    const fixtures = await fixturesCopy({ shodai: (text) => text.replace('apiKeys:', 'apiKeys: [\n') });
    const line = oneLine(await runCli(['--port', '0', '--fixtures', fixtures]));
    assert.match(line, /shodai\.yaml:\d+:\d+: YAML syntax error: \S/);
  });

  it('refuses a fixture webhook URL the API would refuse', async () => {
    const fixtures = await fixturesCopy({
      c1: (text) => text.replace("url: '{{sinkUrl}}/c1-demo'", "url: 'sink/c1-demo'"),
    });
    const result = await runCli(['--port', '0', '--fixtures', fixtures]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /c1\.yaml/);
    assert.match(result.stderr, /\/webhooks\/0\/url: must be an absolute http\(s\) URL/);
  });
});
