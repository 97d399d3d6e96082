/**
 * A mock started in process for one receiver — `check-receiver` and `trigger --url`: the demo fixtures (without
 * their scenarios) plus one webhook of the vendor pointing at the receiver, closed and cleaned up after use.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { VendorModule } from '../core/vendor-runtime.js';
import { defaultFixturesDir } from './options.js';
import { startMockServer } from './index.js';
import type { MockServer, MockServerOptions } from './index.js';

export interface ReceiverMockOptions {
  vendor: VendorModule;
  /** The webhook to add to the vendor's fixture file, as that file lists webhooks; none when undefined. */
  webhook?: object;
  port: number;
  /** Origin the receiver reaches the mock at (C1: JWT issuer and JWKS URL); default the listening origin. */
  publicUrl?: string;
  deliveryTimeoutMs: number;
  /** Vendor settings for this mock (C1's check-receiver: a short key grace period). */
  vendorSettings?: MockServerOptions['vendorSettings'];
}

/** Why `url` cannot be a receiver's `--url` (not absolute, not http or https); undefined when it can. */
export function receiverUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `--url ${url} is not an absolute URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `--url must be an http or https URL, not ${parsed.protocol}`;
  return undefined;
}

/** The port asked for is taken; the caller says what to do about it in its own words. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is in use`);
    this.name = 'PortInUseError';
  }
}

/** The demo fixtures plus the receiver's webhook, in a temporary folder. */
async function fixturesFor(options: ReceiverMockOptions): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vwm-receiver-'));
  await cp(defaultFixturesDir, dir, {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}scenarios`),
  });
  if (options.webhook !== undefined) {
    const file = path.join(dir, options.vendor.fixtureFile);
    const data = parse(await readFile(file, 'utf8')) as { webhooks?: object[] };
    data.webhooks = [...(data.webhooks ?? []), options.webhook];
    await writeFile(file, stringify(data));
  }
  return dir;
}

/** Starts the mock, runs `use` with it, and closes it (and removes its fixtures) whatever happens. */
export async function withReceiverMock<T>(
  options: ReceiverMockOptions,
  use: (mock: MockServer) => Promise<T>,
): Promise<T> {
  const fixturesDir = await fixturesFor(options);
  try {
    let mock: MockServer;
    try {
      mock = await startMockServer({
        port: options.port,
        fixturesDir,
        deliveryTimeoutMs: options.deliveryTimeoutMs,
        // each check sends exactly what it means to: a retry of a refused delivery would be a second one
        retries: false,
        ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
        ...(options.vendorSettings === undefined ? {} : { vendorSettings: options.vendorSettings }),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(options.port);
      throw error;
    }
    try {
      return await use(mock);
    } finally {
      await mock.close();
    }
  } finally {
    await rm(fixturesDir, { recursive: true, force: true });
  }
}
