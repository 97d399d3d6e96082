/** Runs the built CLI (`dist/cli.js`) as a real process, the way users start it. */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = path.join(repoRoot, 'dist', 'cli.js');

export interface MockProcess {
  child: ChildProcessWithoutNullStreams;
  /** The origin printed in the start-up banner. */
  url: string;
  stdout(): string;
  stderr(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `node dist/cli.js <args>` and resolves once the banner on stdout names the listening URL (a JSON line:
 * stdout is no terminal here).
 */
export function startMockProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<MockProcess> {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 10 s; stderr: ${err}`)), 10_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening; stderr: ${err}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+)/.exec(out);
      if (match === null) return;
      clearTimeout(timer);
      resolve({
        child,
        url: match[1]!,
        stdout: () => out,
        stderr: () => err,
        stop(signal = 'SIGTERM') {
          if (child.exitCode !== null) return Promise.resolve(child.exitCode);
          child.kill(signal);
          return exited;
        },
      });
    });
  });
}

/** Runs the CLI to completion (for --help and start-up failures). */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A copy of the demo fixtures in a temporary folder; `edit` rewrites a file's text (e.g. to add webhooks that
 * point at a test's receivers).
 */
export async function fixturesCopy(
  edits: Partial<Record<'c1' | 'shodai' | 'superoffice', (text: string) => string>> = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vwm-fixtures-'));
  await cp(path.join(repoRoot, 'fixtures'), dir, { recursive: true });
  for (const [vendor, edit] of Object.entries(edits)) {
    const file = path.join(dir, `${vendor}.yaml`);
    await writeFile(file, edit(await readFile(file, 'utf8')));
  }
  return dir;
}
