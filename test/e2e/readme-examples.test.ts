/**
 * The README's shell examples, run as written against a real mock process (only the port differs): each block
 * marked `<!-- readme-example: NAME -->` must run without error and print what the expectation below says.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parseScenario } from '../../src/core/scenario-file.js';
import { OperationCatalog } from '../../src/core/operation-catalog.js';
import { readSpec } from '../../src/core/spec-document.js';
import type { TriggerResult } from '../../src/core/event-catalogue.js';
import type { VendorName } from '../../src/core/journal.js';
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
  'c1-flow': (output) => {
    assert.match(output, /"state":"WEBHOOK_STATE_SUCCESS"/);
    assert.match(output, /"displayName":"My hook"/);
    assert.match(output, /404\n$/);
  },
  'shodai-flow': (output) => {
    assert.match(output, /"secret":"whsec_[0-9a-f]{64}"/);
    assert.match(output, /"ok":false[^}]*"error":"webhook subscription is disabled"/);
    assert.match(output, /"ok":true/);
    assert.equal(output.match(/"secret"/g)?.length, 1, 'the secret shows only in the create answer');
  },
  'superoffice-flow': (output) => {
    assert.match(output, /"Name":"Contact Handler"/);
    assert.match(output, /<\?xml|<ArrayOfWebhook/);
    assert.match(output, /"Name":"Renamed"/);
    assert.equal(output.match(/204\n/g)?.length, 2, 'the signal and the delete answer 204');
    assert.match(output, /"Success":true/);
    assert.match(output, /x-superoffice-signature/i);
    assert.match(output, /contact\.created/);
  },
  'c1-rotate-key': (output) => {
    const lines = output.split('\n');
    const rotation = JSON.parse(lines[0]!) as { kid: string; previousKid: string; retiresAt: string };
    const published = lines
      .filter((line) => line.startsWith('{"keys"'))
      .map((line) => (JSON.parse(line) as { keys: { kid: string }[] }).keys.map((key) => key.kid));
    assert.deepEqual(published, [[rotation.kid, rotation.previousKid], [rotation.kid]]);
  },
  'superoffice-test': (output) => {
    assert.match(output, /"Success":true/);
    assert.match(output, /x-superoffice-signature/i);
  },
  events: (output) => {
    assert.match(output, /^Shodai Agreements API \(shodai\): 2 events$/m);
    assert.match(output, /^ {6}variant deploy +The agreement was deployed/m);
    assert.doesNotMatch(output, /c1\.webhooks/, 'only the vendor asked for');
  },
  'trigger-c1': (output) => {
    assert.match(output, /^2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1: delivered to http:\/\/\S+\/__sink\/c1-demo$/m);
    assert.match(output, /^ {2}verdict +provisioning complete: "answered by the mock’s built-in sink"$/m);
    assert.match(output, /^OK: delivered to 2 webhooks; each answered 2xx\.$/m);
    assert.match(output, /PayloadProvisionStep.*Grant prod access to Ada/, 'the sink got the changed event');
  },
  'trigger-shodai': (output) => {
    assert.match(output, /^wh_demo_alice_1: delivered to http:\/\/\S+\/__sink\/shodai-demo$/m);
    assert.match(output, /^OK: delivered to 2 webhooks; each answered 2xx\.$/m);
    assert.match(
      output,
      /agreement\.transitioned[^\n]*MSA — Acme[^\n]*__deploy/,
      'the sink got the deploy variant',
    );
  },
  'trigger-superoffice': (output) => {
    assert.match(output, /^1: delivered to http:\/\/\S+\/__sink\/superoffice-demo$/m);
    assert.match(output, /^OK: delivered to 1 webhook; each answered 2xx\.$/m);
    assert.match(output, /contact\.created[^\n]*\\"PrimaryKey\\":42/, 'the sink got the changed event');
  },
  redeliver: (output) => {
    assert.match(
      output,
      /^redeliver (dlv_\w+): superoffice contact\.created, the same event and ids signed afresh$/m,
    );
    assert.match(output, /^ {2}attempt {3}2, a redelivery of dlv_\w+$/m);
    assert.match(output, /^OK: 1 answered 200\.$/m);
  },
  clock: (output) => {
    const moved = /^clock (\S+), running \(moved from (\S+)\)$/m.exec(output);
    assert.ok(moved, output);
    const by = Date.parse(moved[1]!) - Date.parse(moved[2]!);
    assert.ok(by >= 15 * 60_000 && by < 15 * 60_000 + 10_000, `moved by ${by} ms`);
    assert.match(output, /^(no retry is waiting|waiting \d+ retr(y|ies):)$/m);
  },
  'trigger-admin': (output) => {
    const result = JSON.parse(output) as {
      part: { toState: string };
      deliveries: { webhookId: string; delivered: boolean; result?: { status?: number } }[];
    };
    assert.equal(result.part.toState, 'ACTIVE');
    // the demo subscription gets it (the one shodai-flow disabled is listed as skipped)
    const demo = result.deliveries.find((delivery) => delivery.webhookId === 'wh_demo_alice_1');
    assert.equal(demo?.delivered, true);
    assert.equal(demo?.result?.status, 200);
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
      // `npx vendor-webhook-mock` is this package's CLI here; its default --mock is the mock under test
      const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: repoRoot,
        timeout: 20_000,
        env: { ...process.env, MOCK_URL: mock.url },
      }).catch((error: Error & { stdout?: string }) => {
        // what the example printed before it failed says why (a trigger prints its FAILED line there)
        throw new Error(`${error.message}\nstdout:\n${error.stdout ?? ''}`);
      });
      expectations[example.name]?.(stdout);
    });
  }
});

describe("the README's scenario file and program", () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

  it('documents a scenario file that loads and uses every kind of step', async () => {
    const match = /<!-- readme-scenario -->\s*```yaml\n([\s\S]*?)```/.exec(readme);
    assert.ok(match, 'no scenario example marked in the README');
    const catalogs = new Map<VendorName, OperationCatalog>();
    for (const vendor of ['c1', 'shodai', 'superoffice'] as const) {
      catalogs.set(
        vendor,
        new OperationCatalog(readSpec(path.join(repoRoot, 'specs', `${vendor}.openapi.yaml`))),
      );
    }
    const scenario = parseScenario('README.md', match[1]!, catalogs);
    const steps = scenario.rules.flatMap((rule) => rule.steps);
    assert.ok(steps.some((step) => step.respond !== undefined));
    assert.ok(steps.some((step) => step.simulate?.kind === 'response'));
    assert.ok(steps.some((step) => step.simulate?.kind === 'timeout'));
    assert.ok(steps.some((step) => step.latencyMs !== undefined));
  });

  it('shows a program that runs as written against the built package', async () => {
    const match = /<!-- readme-program -->\s*```ts\n([\s\S]*?)```/.exec(readme);
    assert.ok(match, 'no program marked in the README');
    // inside the repository, so that `vendor-webhook-mock` resolves to this package (dist/) by its own name
    const dir = await mkdtemp(path.join(repoRoot, 'dist', '.readme-'));
    try {
      const file = path.join(dir, 'program.mts');
      const report = `console.log(JSON.stringify({
        sent: String(delivery?.outcome.request.body),
        simulatedBy: delivery?.simulatedBy ?? null,
        result: delivery?.outcome.result,
        triggered,
      }));`;
      await writeFile(file, `${match[1]!}\n${report}\n`);
      const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
        cwd: repoRoot,
        timeout: 30_000,
      });
      const printed = JSON.parse(stdout) as {
        sent: string;
        simulatedBy: string | null;
        result: { kind: string; response?: { status: number } };
        triggered: TriggerResult;
      };
      assert.match(printed.sent, /webhook\.test/);
      // a real delivery, to the built-in sink, not one a scenario made up
      assert.equal(printed.simulatedBy, null);
      assert.equal(printed.result.kind, 'response');
      assert.equal(printed.result.response?.status, 200);
      // the triggered event, changed by `set`, reached both demo subscriptions (the sink answers 200)
      assert.equal((printed.triggered.part as { toState: string }).toState, 'ACTIVE');
      assert.deepEqual(
        printed.triggered.deliveries.map((entry) => [entry.webhookId, entry.delivered, entry.result?.status]),
        [
          ['wh_demo_alice_1', true, 200],
          ['wh_demo_bob_1', true, 200],
        ],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
