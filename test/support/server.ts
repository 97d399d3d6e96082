/** Starting the mock for HTTP tests on a copy of the demo fixtures, with extra files or webhooks. */
import { cp, mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startMockServer } from '../../src/server/index.js';
import type { MockServer, MockServerOptions } from '../../src/server/index.js';
import { repoRoot } from './process.js';

type VendorName = 'c1' | 'shodai' | 'superoffice';

export interface TestFixtures {
  /** Extra webhooks appended to each vendor's fixture list. */
  webhooks?: Partial<Record<VendorName, object[]>>;
  /** Top-level keys set in a vendor's fixture (replacing the demo file's), e.g. C1's `signing`. */
  set?: Partial<Record<VendorName, Record<string, unknown>>>;
  /** Scenario files (name → YAML text) in `<fixtures>/scenarios`. */
  scenarios?: Record<string, string>;
}

/** A temporary fixtures folder: the demo fixtures plus what the test adds. */
export async function makeFixtures(extra: TestFixtures = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vwm-test-'));
  await cp(path.join(repoRoot, 'fixtures'), dir, {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}scenarios`),
  });
  const vendors = new Set([...Object.keys(extra.webhooks ?? {}), ...Object.keys(extra.set ?? {})]);
  for (const vendor of vendors as Set<VendorName>) {
    const file = path.join(dir, `${vendor}.yaml`);
    const data = parse(await readFile(file, 'utf8')) as { webhooks?: object[] };
    Object.assign(data, extra.set?.[vendor]);
    const webhooks = extra.webhooks?.[vendor];
    if (webhooks !== undefined) data.webhooks = [...(data.webhooks ?? []), ...webhooks];
    await writeFile(file, stringify(data));
  }
  if (extra.scenarios !== undefined) {
    await mkdir(path.join(dir, 'scenarios'));
    for (const [name, text] of Object.entries(extra.scenarios)) {
      await writeFile(path.join(dir, 'scenarios', name), text);
    }
  }
  return dir;
}

/**
 * The mock on a copy of the demo fixtures. Deliveries are one attempt unless the test asks for retries
 * (`{ retries: true }`): a retry firing by itself seconds later would land in a later test's receiver.
 */
export async function startTestServer(
  extra: TestFixtures = {},
  options: MockServerOptions = {},
): Promise<MockServer> {
  return startMockServer({ port: 0, fixturesDir: await makeFixtures(extra), retries: false, ...options });
}
