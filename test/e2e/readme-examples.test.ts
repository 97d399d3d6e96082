/**
 * The README's shell examples, run as written against a real mock process (only the port differs): each block
 * marked `<!-- readme-example: NAME -->` must run without error and print what the expectation below says.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, startMockProcess } from '../support/process.js';
import type { MockProcess } from '../support/process.js';

const run = promisify(execFile);

/** What each example's output must show; an example without an entry here fails the suite. */
const expectations: Record<string, (output: string) => void> = {
  'c1-test': (output) => {
    assert.match(output, /"state":"WEBHOOK_STATE_SUCCESS"/);
    assert.match(output, /"webhook-event":"c1\.webhooks\.v1\.PayloadTest"/i);
  },
  'shodai-test': (output) => {
    assert.match(output, /"ok":true/);
    assert.match(output, /x-shodai-webhook-signature/);
  },
  'superoffice-test': (output) => {
    assert.match(output, /"Success":true/);
    assert.match(output, /x-superoffice-signature/i);
  },
};

export function readmeExamples(readme: string): { name: string; script: string }[] {
  const examples: { name: string; script: string }[] = [];
  const pattern = /<!-- readme-example: ([\w-]+) -->\s*```(?:sh|bash|shell)\n([\s\S]*?)```/g;
  for (const match of readme.matchAll(pattern)) examples.push({ name: match[1]!, script: match[2]! });
  return examples;
}

describe("the README's examples", () => {
  const examples = readmeExamples(readFileSync(path.join(repoRoot, 'README.md'), 'utf8'));
  let mock: MockProcess;

  before(async () => {
    mock = await startMockProcess(['--port', '0', '--log-level', 'silent']);
  });
  after(() => mock.stop());

  it('has an expectation for every marked example and the three test calls among them', () => {
    assert.deepEqual(
      examples.map((example) => example.name).filter((name) => !(name in expectations)),
      [],
    );
    for (const name of ['c1-test', 'shodai-test', 'superoffice-test'])
      assert.ok(
        examples.some((example) => example.name === name),
        name,
      );
  });

  for (const example of examples) {
    it(`runs "${example.name}" as written`, async () => {
      const origin = new URL(mock.url);
      const script = example.script.replaceAll('localhost:4010', `${origin.hostname}:${origin.port}`);
      const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: repoRoot,
        timeout: 20_000,
      });
      expectations[example.name]?.(stdout);
    });
  }
});
