import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { repoRoot } from '../support/process.js';

test('an unhandled rejection or uncaught exception is logged with its request id and the mock keeps serving', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/last-resort-child.ts'], {
    cwd: repoRoot,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL: ${stderr}`)), 20_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (\S+)/.exec(stderr);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(child.exitCode, null, 'still running');
    assert.equal((await fetch(`${url}/__admin/health`)).status, 200);
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; requestId?: string; err?: { message: string } });
    const rejection = lines.find((line) => line.msg.startsWith('unhandled promise rejection'));
    const exception = lines.find((line) => line.msg.startsWith('uncaught exception'));
    assert.equal(rejection?.err?.message, 'forced rejection');
    assert.equal(exception?.err?.message, 'forced exception');
    assert.equal(rejection?.requestId, 'req_forced');
    assert.equal(exception?.requestId, 'req_forced');
  } finally {
    child.kill('SIGTERM');
  }
});
