/**
 * The README's examples of `vendor-webhook-mock/testing` (`<!-- readme-testing: NAME -->`), each written to a
 * project of its own outside this repository, where `vendor-webhook-mock` is this package as installed (a link
 * to it: package.json's `exports`, the built dist/), then type-checked and run as written: the node:test one with
 * `node --test`, the vitest one with `vitest run`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../support/process.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

function example(readme: string, name: string): string {
  const match = new RegExp(`<!-- readme-testing: ${name} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
  assert.ok(match, `no example marked readme-testing: ${name} in the README`);
  return match[1]!;
}

/** Node runs TypeScript as it is from 22.18 (type stripping); before that, the README says --import tsx. */
function stripsTypes(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 18);
}

interface RunResult {
  stdout: string;
  stderr: string;
}

async function runIn(dir: string, args: string[]): Promise<RunResult> {
  try {
    // NODE_TEST_CONTEXT would make a `node --test` inside this test report to this runner, not print its own
    const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
    return await run(process.execPath, args, { cwd: dir, timeout: 120_000, env: { ...env, NO_COLOR: '1' } });
  } catch (error) {
    const failed = error as Error & Partial<RunResult>;
    assert.fail(
      `${args.join(' ')} failed: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
    );
  }
}

describe("the README's test-runner examples, against the built package", () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  let project: string;

  before(async () => {
    project = await mkdtemp(path.join(tmpdir(), 'vwm-testing-examples-'));
    await mkdir(path.join(project, 'node-test'));
    await mkdir(path.join(project, 'vitest'));
    await mkdir(path.join(project, 'retries'));
    await mkdir(path.join(project, 'node_modules', '@types'), { recursive: true });
    // the package as installed, and what the examples import besides it
    await symlink(repoRoot, path.join(project, 'node_modules', 'vendor-webhook-mock'), 'dir');
    for (const dependency of ['vitest', '@types/node'])
      await symlink(
        path.join(repoRoot, 'node_modules', dependency),
        path.join(project, 'node_modules', dependency),
        'dir',
      );
    await writeFile(path.join(project, 'package.json'), '{ "private": true, "type": "module" }\n');
    await writeFile(path.join(project, 'node-test', 'webhooks.test.ts'), example(readme, 'node-test'));
    await writeFile(path.join(project, 'vitest', 'webhooks.test.ts'), example(readme, 'vitest'));
    await writeFile(path.join(project, 'retries', 'retries.test.ts'), example(readme, 'retries'));
  });
  after(() => rm(project, { recursive: true, force: true }));

  it('type-checks the examples against the package’s own types (strict)', async () => {
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023'],
        types: ['node'],
        skipLibCheck: true,
        allowImportingTsExtensions: true,
      },
      include: ['node-test', 'vitest', 'retries'],
    };
    await writeFile(path.join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    await runIn(project, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json']);
  });

  it('runs the node:test example with node --test', async () => {
    const loader = stripsTypes() ? [] : ['--import', import.meta.resolve('tsx')];
    const { stdout } = await runIn(path.join(project, 'node-test'), [
      ...loader,
      '--test',
      '--test-reporter=tap',
      'webhooks.test.ts',
    ]);
    assert.match(stdout, /^# pass 1$/m, stdout);
    assert.match(stdout, /^# fail 0$/m, stdout);
  });

  it("runs the Retries and time example, walking C1's 50 attempts with the clock", async () => {
    const loader = stripsTypes() ? [] : ['--import', import.meta.resolve('tsx')];
    const { stdout } = await runIn(path.join(project, 'retries'), [
      ...loader,
      '--test',
      '--test-reporter=tap',
      'retries.test.ts',
    ]);
    assert.match(stdout, /^# pass 1$/m, stdout);
    assert.match(stdout, /^# fail 0$/m, stdout);
  });

  it('runs the vitest example with vitest run', async () => {
    const vitest = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
    const { stdout } = await runIn(path.join(project, 'vitest'), [vitest, 'run', '--root', '.']);
    assert.match(stdout, /Tests\s+1 passed \(1\)/, stdout);
  });
});
