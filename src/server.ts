import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Logger, LevelWithSilent } from 'pino';
import type { Clock } from './core/clock.js';
import { systemClock } from './core/clock.js';
import { deliver } from './core/delivery.js';
import { fillPlaceholders, loadFixtureFile } from './core/fixtures.js';
import type { IdSource } from './core/ids.js';
import { prefixedId, randomIdSource } from './core/ids.js';
import { DeliveryJournal } from './core/journal.js';
import type { VendorName } from './core/journal.js';
import { Sink } from './core/sink.js';
import type { VendorContext } from './core/vendor-module.js';
import type { Vendor } from './core/vendor-runtime.js';
import { createApp } from './http/app.js';
import type { MountedVendor } from './http/app.js';
import { createSpecBackend } from './http/openapi.js';
import { vendors as allVendors } from './vendors/index.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The demo fixtures shipped with the package. */
export const defaultFixturesDir = path.join(packageRoot, 'fixtures');

export interface MockServerOptions {
  /** Port to listen on; 0 picks a free one. Default 4010. */
  port?: number;
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** Folder holding c1.yaml, shodai.yaml and superoffice.yaml. Default: the demo fixtures. */
  fixturesDir?: string;
  /** Origin receivers and clients use to reach the mock (callback URLs, JWT issuer, JWKS URL). */
  publicUrl?: string;
  /** Time allowed for one outbound delivery, in ms. Default 10 000. */
  deliveryTimeoutMs?: number;
  /** How much of a receiver's answer is read, in bytes. Default 64 KiB. */
  maxResponseBytes?: number;
  /** Largest request body accepted, in bytes. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Require https webhook URLs, as the vendors do in production. Default false. */
  strict?: boolean;
  /** Answer CORS preflights and add CORS headers. Default true. */
  cors?: boolean;
  /** Log level; default `silent` for the programmatic API (the CLI sets `info`). */
  logLevel?: LevelWithSilent;
  /** A logger of your own (overrides logLevel). */
  logger?: Logger;
  clock?: Clock;
  ids?: IdSource;
}

export interface MockServer {
  /** The origin clients and receivers use: `publicUrl` when set, else the listening origin. */
  url: string;
  /** The origin the server listens on, e.g. http://127.0.0.1:4010 (differs from `url` behind a proxy). */
  localUrl: string;
  /** Each vendor's base URL, for a client's `baseUrl` setting. */
  urls: Record<VendorName, string>;
  /** Outbound deliveries, newest last. */
  journal: DeliveryJournal;
  sink: Sink;
  close(): Promise<void>;
}

function formatOrigin(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** Starts the mock: loads and validates fixtures, listens, and mounts the three vendors. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIdSource;
  const logger = options.logger ?? pino({ level: options.logLevel ?? 'silent' });
  const fixturesDir = options.fixturesDir ?? defaultFixturesDir;
  const vendorList: Vendor[] = allVendors;

  // A bad fixture file stops start-up before anything listens.
  const fixtures = await Promise.all(vendorList.map((vendor) => loadFixtureFile(fixturesDir, vendor)));

  const server = http.createServer({ keepAliveTimeout: 5000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4010, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = formatOrigin(host, port);
  const publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');
  const sinkUrl = `${url}/__sink`;

  const journal = new DeliveryJournal();
  const sink = new Sink();
  const deliveryOptions = {
    timeoutMs: options.deliveryTimeoutMs ?? 10_000,
    maxResponseBytes: options.maxResponseBytes ?? 64 * 1024,
  };

  const mounted: MountedVendor[] = await Promise.all(
    vendorList.map(async (vendor, index) => {
      const vendorLogger = logger.child({ vendor: vendor.name });
      const ctx: VendorContext = {
        clock,
        ids,
        publicUrl,
        vendorBaseUrl: `${publicUrl}${vendor.basePath}`,
        strictUrls: options.strict ?? false,
        logger: vendorLogger,
        async deliver(delivery) {
          const outcome = await deliver(delivery.request, deliveryOptions);
          const id = prefixedId(ids, 'dlv_');
          journal.record({
            id,
            vendor: delivery.vendor,
            webhookId: delivery.webhookId,
            event: delivery.event,
            outcome,
          });
          const result = outcome.result;
          vendorLogger.info(
            {
              requestId: delivery.requestId,
              deliveryId: id,
              webhookId: delivery.webhookId,
              event: delivery.event,
              url: delivery.request.url,
              outcome: result.kind,
              status: result.kind === 'response' ? result.response.status : undefined,
              durationMs: outcome.durationMs,
            },
            'delivery',
          );
          return outcome;
        },
      };
      const fixture = fillPlaceholders(fixtures[index], { sinkUrl, publicUrl });
      const [api, runtime] = await Promise.all([
        createSpecBackend(vendor.specFile),
        vendor.start(fixture, ctx),
      ]);
      return { vendor, api, runtime };
    }),
  );

  const app = createApp({
    vendors: mounted,
    sink,
    clock,
    ids,
    logger,
    bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
    cors: options.cors ?? true,
  });
  server.on('request', app);

  const urls = Object.fromEntries(
    vendorList.map((vendor) => [vendor.name, `${publicUrl}${vendor.basePath}`]),
  ) as Record<VendorName, string>;

  let closing: Promise<void> | undefined;
  return {
    url: publicUrl,
    localUrl: url,
    urls,
    journal,
    sink,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
