/** A short run of `npm run bench` (about 1 s per target): it runs and writes results.json in the right shape. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/process.js';

test(
  'bench --smoke: runs every target and writes results.json (no timing assertions)',
  { timeout: 180_000 },
  async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'vwm-bench-')), 'results.json');
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--out', out], {
        cwd: repoRoot,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (exitCode) => resolve({ code: exitCode, stdout, stderr }));
    });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /mock \/ bare express/);
    const results = JSON.parse(await readFile(out, 'utf8')) as Record<string, unknown>;
    for (const key of [
      'date',
      'machine',
      'settings',
      'baselines',
      'loads',
      'startup',
      'memory',
      'checks',
      'allMet',
    ])
      assert.ok(key in results, `results.json has no ${key}`);
    const baselines = results.baselines as Record<string, number>;
    for (const name of ['bareNode', 'bareExpress', 'nodeRelay', 'expressRelay'])
      assert.ok(baselines[name]! > 0, name);
    const loads = results.loads as {
      target: string;
      call: string;
      requestsPerSecond: number;
      p99Ms: number;
      errors: number;
    }[];
    const targets = new Set(loads.map((load) => load.target));
    for (const name of ['mock', 'node', 'express', 'node-relay', 'express-relay', 'prism shodai', 'prism c1'])
      assert.ok(targets.has(name), `no load run for ${name}`);
    for (const load of loads) {
      assert.ok(load.requestsPerSecond > 0, `${load.target} ${load.call} answered nothing`);
      assert.equal(load.errors, 0, `${load.target} ${load.call}: socket errors`);
    }
    const checks = results.checks as { id: string; met: boolean }[];
    assert.deepEqual([...new Set(checks.map((check) => check.id))], ['P1', 'P2', 'P3', 'P4']);
    const startup = results.startup as { mockMs: number; prismMs: number };
    assert.ok(startup.mockMs > 0 && startup.prismMs > 0);
    const memory = results.memory as { rssAfterRequestsMb: number; soakSlopeMbPerMin: number };
    assert.ok(memory.rssAfterRequestsMb > 0);
    assert.equal(typeof memory.soakSlopeMbPerMin, 'number');
  },
);
