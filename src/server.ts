import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Logger, LevelWithSilent } from 'pino';
import type { Clock } from './core/clock.js';
import { systemClock } from './core/clock.js';
import { deliver } from './core/delivery.js';
import { deliveryLogLevel } from './core/delivery-log.js';
import type { DeliveryOutcome, DeliveryRequest } from './core/delivery.js';
import { fillPlaceholders, loadFixtureFile } from './core/fixtures.js';
import type { IdSource } from './core/ids.js';
import { prefixedId, randomIdSource } from './core/ids.js';
import { DeliveryJournal, RequestJournal } from './core/journal.js';
import type { DeliveryFilter, DeliveryRecord, VendorName } from './core/journal.js';
import { OperationCatalog } from './core/operation-catalog.js';
import type { DereferencedSpec } from './core/operation-catalog.js';
import { ScenarioEngine } from './core/scenario-engine.js';
import type { ScenarioSummary } from './core/scenario-engine.js';
import { loadScenarioDir } from './core/scenario-file.js';
import type { Scenario } from './core/scenario-file.js';
import { simulatedOutcome } from './core/simulated-delivery.js';
import { SEEDED_CLOCK_START, SettableClock, seededIdSource } from './core/seeded.js';
import { Sink } from './core/sink.js';
import { targetPolicy } from './core/target-policy.js';
import type { DeliveryVerification, VendorContext } from './core/vendor-module.js';
import type { Vendor } from './core/vendor-runtime.js';
import { createApp } from './http/app.js';
import type { MountedVendor } from './http/app.js';
import { createDeliveryViews } from './http/delivery-verification.js';
import { createSpecBackend } from './http/openapi.js';
import type { PendingNegatives, PendingSimulations } from './http/scenario-intercept.js';
import { vendors as allVendors } from './vendors/index.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The demo fixtures shipped with the package. */
export const defaultFixturesDir = path.join(packageRoot, 'fixtures');

/** The scenarios shipped with the package; a fixtures folder's own `scenarios/` adds to and overrides them. */
export const builtInScenariosDir = path.join(defaultFixturesDir, 'scenarios');

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Built-in scenarios plus those in `<fixtures>/scenarios`; a same-named one in the fixtures folder wins. */
async function loadScenarios(
  fixturesDir: string,
  catalogs: ReadonlyMap<VendorName, OperationCatalog>,
): Promise<Scenario[]> {
  const negativeKinds = new Map(allVendors.map((vendor) => [vendor.name, vendor.negativeKinds]));
  const builtIn = await loadScenarioDir(builtInScenariosDir, catalogs, negativeKinds);
  const ownDir = path.join(fixturesDir, 'scenarios');
  if (path.resolve(ownDir) === path.resolve(builtInScenariosDir)) return builtIn;
  const own = await loadScenarioDir(ownDir, catalogs, negativeKinds);
  const ownNames = new Set(own.map((scenario) => scenario.name));
  return [...builtIn.filter((scenario) => !ownNames.has(scenario.name)), ...own];
}

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
  /**
   * Host patterns deliveries may go to (`*.example.com`, `localhost`, `127.0.0.1:*`); a pattern without a port
   * allows the scheme's default port only. Default: anywhere. The built-in sink is always allowed.
   */
  allowTargets?: string[];
  /** Answer CORS preflights and add CORS headers. Default true. */
  cors?: boolean;
  /** Log level; default `silent` for the programmatic API (the CLI sets `info`). */
  logLevel?: LevelWithSilent;
  /** A logger of your own (overrides logLevel). */
  logger?: Logger;
  /** Scenarios active from the start (names from the scenario folders). */
  scenarios?: string[];
  /** Entries each journal keeps (requests, deliveries). Default 1000. */
  journalSize?: number;
  /** Bearer token for the admin API; required when `host` is not a loopback address. */
  adminToken?: string;
  /** Reload fixture and scenario files when they change; a bad edit keeps the last good set. Default false. */
  watch?: boolean;
  /**
   * Makes runs reproducible: ids, event ids, secrets and signing keys derive from the seed, and the clock is
   * frozen (at `clockStart`, default 2026-01-01T00:00:00Z) until set or advanced.
   */
  seed?: string | number;
  /** Where the clock starts (it runs on from there, unless `seed` freezes it). */
  clockStart?: Date | string;
  clock?: Clock;
  ids?: IdSource;
}

export interface ReloadStatus {
  at: string;
  ok: boolean;
  /** Why the files were not used (file, path, reason). */
  error?: string;
}

export interface MockServer {
  /** The origin clients and receivers use: `publicUrl` when set, else the listening origin. */
  url: string;
  /** The origin the server listens on, e.g. http://127.0.0.1:4010 (differs from `url` behind a proxy). */
  localUrl: string;
  /** Each vendor's base URL, for a client's `baseUrl` setting. */
  urls: Record<VendorName, string>;
  /** Outbound deliveries, oldest first (bounded). */
  deliveries: DeliveryJournal;
  /** Inbound vendor requests and the mock's answers, oldest first (bounded). */
  requests: RequestJournal;
  sink: Sink;
  /** The mock's clock: `set` and `advance` move it (e.g. to let issued tokens expire). */
  clock: { now(): Date; set(moment: Date): void; advance(ms: number): void; readonly frozen: boolean };
  scenarios: {
    list(): ScenarioSummary[];
    /** Switches scenarios on (their counters start again) — unknown names throw. */
    activate(...names: string[]): void;
    deactivate(...names: string[]): void;
    /** Exactly these scenarios active. */
    set(...names: string[]): void;
  };
  /** Resolves with the first delivery matching the filter (after the one with id `after`), or undefined. */
  waitForDelivery(
    filter?: DeliveryFilter & { after?: string },
    timeoutMs?: number,
  ): Promise<DeliveryRecord | undefined>;
  /**
   * Checks a journalled delivery's signature as its receiver would, independently of the code that signed it:
   * the admin API's `verification`. Waits up to `waitForCauseMs` (default 2000) for the request that caused it
   * to be journalled, since some checks need it (a SuperOffice test call's Secret is in its body).
   */
  verifyDelivery(record: DeliveryRecord, waitForCauseMs?: number): Promise<DeliveryVerification>;
  /** Store, journals, sink and scenarios back to how they were at start. */
  reset(): Promise<void>;
  /**
   * Reads the fixture and scenario files again and starts from them (the store is re-seeded). Throws a
   * FixtureError or ScenarioError, and keeps everything as it was, when a file cannot be used.
   */
  reload(): Promise<void>;
  /** The outcome of the last reload (by `reload()` or `watch`), if any. */
  lastReload(): ReloadStatus | undefined;
  close(): Promise<void>;
}

function formatOrigin(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** Starts the mock: loads and checks fixtures, specs and scenarios, listens, and mounts the three vendors. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed === undefined ? undefined : String(options.seed);
  const clockStart = options.clockStart === undefined ? undefined : new Date(options.clockStart);
  if (clockStart !== undefined && Number.isNaN(clockStart.getTime()))
    throw new RangeError(`clockStart is not a date: ${String(options.clockStart)}`);
  const clock = new SettableClock(
    options.clock ?? systemClock,
    seed === undefined ? undefined : (clockStart ?? SEEDED_CLOCK_START),
  );
  if (seed === undefined && clockStart !== undefined) clock.set(clockStart);
  const ids = options.ids ?? (seed === undefined ? randomIdSource : seededIdSource(seed));
  const signingSeed = ids.bytes(32);
  const logger = options.logger ?? pino({ level: options.logLevel ?? 'silent' });
  const fixturesDir = options.fixturesDir ?? defaultFixturesDir;
  const vendorList: Vendor[] = allVendors;
  const journalSize = options.journalSize ?? 1000;

  // Bad fixture or scenario files stop start-up before anything listens.
  const fixtures = await Promise.all(vendorList.map((vendor) => loadFixtureFile(fixturesDir, vendor)));
  const apis = await Promise.all(vendorList.map((vendor) => createSpecBackend(vendor.specFile)));
  const catalogs = new Map(
    vendorList.map((vendor, index) => [
      vendor.name,
      new OperationCatalog(apis[index]!.definition as DereferencedSpec),
    ]),
  );
  // Unknown names in `scenarios` throw UnknownScenarioError here.
  const scenarioEngine = new ScenarioEngine(
    await loadScenarios(fixturesDir, catalogs),
    options.scenarios ?? [],
  );

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

  const deliveries = new DeliveryJournal(journalSize);
  const requests = new RequestJournal(journalSize);
  const sink = new Sink();
  const simulations: PendingSimulations = new Map();
  const negatives: PendingNegatives = new Map();
  const firstBodySeed = seed === undefined ? 1 : ids.bytes(4).readUInt32BE(0);
  let bodySeed = firstBodySeed;
  const scenarioSupport = { engine: scenarioEngine, simulations, negatives, nextSeed: () => bodySeed++ };
  // --allow-targets: checked for every delivery (and by webhook URL checks); the mock's own sink is always allowed
  const policy = options.allowTargets === undefined ? undefined : targetPolicy(options.allowTargets);
  const ownSinks = [`${url}/__sink/`, `${publicUrl}/__sink/`];
  const targetRefusal =
    policy === undefined
      ? undefined
      : (target: URL): string | undefined =>
          ownSinks.some((prefix) => target.href.startsWith(prefix)) ? undefined : policy.refusal(target);
  const deliveryOptions = {
    timeoutMs: options.deliveryTimeoutMs ?? 10_000,
    maxResponseBytes: options.maxResponseBytes ?? 64 * 1024,
  };

  // deliveries on their way, so close() can wait for them
  const inFlight = new Set<Promise<unknown>>();
  const trackDelivery = <T>(sending: Promise<T>): Promise<T> => {
    inFlight.add(sending);
    void sending.finally(() => inFlight.delete(sending));
    return sending;
  };

  /** A delivery `--allow-targets` forbids: a failure outcome, nothing sent. */
  const refusedTarget = (request: DeliveryRequest): Omit<DeliveryOutcome, 'startedAt'> | undefined => {
    if (targetRefusal === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(request.url);
    } catch {
      return undefined; // deliver() reports the invalid URL
    }
    const message = targetRefusal(parsed);
    return message === undefined
      ? undefined
      : { request, result: { kind: 'target-not-allowed', message }, durationMs: 0 };
  };

  // The fixtures as the vendors use them (placeholders filled); a reload replaces them, a reset reuses them.
  let currentFixtures = fixtures.map((fixture) => fillPlaceholders(fixture, { sinkUrl, publicUrl }));
  const mounted: MountedVendor[] = await Promise.all(
    vendorList.map(async (vendor, index) => {
      const vendorLogger = logger.child({ vendor: vendor.name });
      const ctx: VendorContext = {
        clock,
        ids,
        publicUrl,
        vendorBaseUrl: `${publicUrl}${vendor.basePath}`,
        strictUrls: options.strict ?? false,
        ...(targetRefusal === undefined ? {} : { targetRefusal }),
        signingSeed,
        logger: vendorLogger,
        negativeFor: (requestId) => negatives.get(requestId)?.kind,
        async deliver(delivery) {
          const simulation = simulations.get(delivery.requestId);
          const startedAt = clock.now();
          const refusal = refusedTarget(delivery.request);
          const outcome = {
            ...(refusal !== undefined
              ? refusal
              : simulation === undefined
                ? await trackDelivery(deliver(delivery.request, deliveryOptions))
                : simulatedOutcome(delivery.request, simulation.simulate, deliveryOptions.timeoutMs)),
            // the mock's clock, so a seeded run stamps the same times
            startedAt,
          };
          const id = prefixedId(ids, 'dlv_');
          deliveries.record({
            id,
            vendor: delivery.vendor,
            webhookId: delivery.webhookId,
            event: delivery.event,
            requestId: delivery.requestId,
            ...(simulation === undefined ? {} : { simulatedBy: simulation.scenario }),
            ...(delivery.negative === undefined ? {} : { negative: delivery.negative }),
            outcome,
          });
          const result = outcome.result;
          vendorLogger[deliveryLogLevel(result, delivery.negative)](
            {
              requestId: delivery.requestId,
              deliveryId: id,
              webhookId: delivery.webhookId,
              event: delivery.event,
              url: delivery.request.url,
              outcome: result.kind,
              status: result.kind === 'response' ? result.response.status : undefined,
              durationMs: outcome.durationMs,
              simulatedBy: simulation?.scenario,
              negative: delivery.negative,
            },
            'delivery',
          );
          return outcome;
        },
      };
      const runtime = await vendor.start(currentFixtures[index], ctx);
      return {
        vendor,
        api: apis[index]!,
        runtime,
        support: {
          catalog: catalogs.get(vendor.name)!,
          scenarios: scenarioSupport,
          requests,
          journalBodyBytes: 64 * 1024,
        },
      };
    }),
  );

  const reset = async (): Promise<void> => {
    await Promise.all(mounted.map(({ runtime }) => runtime.reset()));
    deliveries.clear();
    requests.clear();
    sink.clear();
    scenarioEngine.reset();
    bodySeed = firstBodySeed;
  };
  let lastReload: ReloadStatus | undefined;
  const reload = async (): Promise<void> => {
    try {
      const next = (await Promise.all(vendorList.map((vendor) => loadFixtureFile(fixturesDir, vendor)))).map(
        (fixture) => fillPlaceholders(fixture, { sinkUrl, publicUrl }),
      );
      const scenarios = await loadScenarios(fixturesDir, catalogs);
      const swapped: number[] = [];
      try {
        for (const [index, { runtime }] of mounted.entries()) {
          await runtime.reset(next[index]);
          swapped.push(index);
        }
      } catch (error) {
        for (const index of swapped) await mounted[index]!.runtime.reset(currentFixtures[index]);
        throw error;
      }
      currentFixtures = next;
      scenarioEngine.replace(scenarios);
      lastReload = { at: clock.now().toISOString(), ok: true };
      logger.info({ fixturesDir }, 'reloaded fixtures and scenarios');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      lastReload = { at: clock.now().toISOString(), ok: false, error: message };
      logger.error({ error: message }, 'reload failed; keeping the last good fixtures and scenarios');
      throw error;
    }
  };

  let watcher: FSWatcher | undefined;
  if (options.watch === true) {
    let timer: NodeJS.Timeout | undefined;
    watcher = watch(fixturesDir, { recursive: true }, (_event, file) => {
      if (file !== null && !/\.ya?ml$/.test(file)) return;
      clearTimeout(timer);
      timer = setTimeout(() => reload().catch(() => undefined), 150);
    });
  }

  const scenarioControl = {
    list: () => scenarioEngine.list(),
    activate: (names: string[]) => scenarioEngine.activate(names),
    deactivate: (names: string[]) => scenarioEngine.deactivate(names),
    setActive: (names: string[]) => scenarioEngine.setActive(names),
  };

  const app = createApp({
    vendors: mounted,
    sink,
    clock,
    ids,
    logger,
    bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
    cors: options.cors ?? true,
    admin: {
      control: { reset, scenarios: scenarioControl, requests, deliveries, clock },
      ...(options.adminToken === undefined ? {} : { token: options.adminToken }),
      refused: options.adminToken === undefined && !isLoopback(host),
    },
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
    deliveries,
    requests,
    sink,
    clock,
    scenarios: {
      list: scenarioControl.list,
      activate: (...names) => scenarioControl.activate(names),
      deactivate: (...names) => scenarioControl.deactivate(names),
      set: (...names) => scenarioControl.setActive(names),
    },
    waitForDelivery: (filter = {}, timeoutMs = 10_000) => deliveries.waitFor(filter, timeoutMs),
    verifyDelivery: (record, waitForCauseMs = 2000) =>
      createDeliveryViews(mounted, requests).verification(record, waitForCauseMs),
    reset,
    reload,
    lastReload: () => lastReload,
    close() {
      watcher?.close();
      // stop accepting, let in-flight calls finish (a keep-alive connection closes once it is idle), then wait
      // for deliveries still on their way (a client that hung up does not stop its test call's delivery)
      closing ??= new Promise<void>((resolve, reject) => {
        const sweep = setInterval(() => server.closeIdleConnections(), 25);
        server.close((error) => {
          clearInterval(sweep);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }).then(async () => {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      });
      return closing;
    },
  };
}
