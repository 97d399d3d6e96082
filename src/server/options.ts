/** The options of `startMockServer`, and what they come to once defaults are filled in. */
import path from 'node:path';
import { pino } from 'pino';
import type { Logger, LevelWithSilent } from 'pino';
import { DEFAULT_STORE_LIMIT } from '../core/bounded-map.js';
import { systemClock } from '../core/clock.js';
import type { Clock } from '../core/clock.js';
import { randomIdSource } from '../core/ids.js';
import { packagePath } from '../core/package-root.js';
import type { IdSource } from '../core/ids.js';
import { SEEDED_CLOCK_START, SettableClock, seededIdSource } from '../core/seeded.js';
import { resolveVendorSettings } from '../core/vendor-settings.js';
import type { ResolvedVendorSettings, VendorSettingsInput } from '../core/vendor-settings.js';
import type { VendorModule } from '../core/vendor-runtime.js';
import { vendors as registeredVendors } from '../vendors/index.js';

/** The demo fixtures shipped with the package. */
export const defaultFixturesDir = packagePath('fixtures');

/** The scenarios shipped with the package; a fixtures folder's own `scenarios/` adds to and overrides them. */
export const builtInScenariosDir = path.join(defaultFixturesDir, 'scenarios');

export interface MockServerOptions {
  /** Port to listen on; 0 picks a free one. Default 4010. */
  port?: number;
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** Folder holding each vendor's fixture file (c1.yaml, …). Default: the demo fixtures. */
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
  /**
   * Host names the mock answers to besides IP addresses, `localhost`, `host`, the `publicUrl` name and the
   * machine's name (`name`, `*.domain`, or `*` for any): requests naming another host get 403, the guard
   * against DNS rebinding.
   */
  allowHosts?: string[];
  /** Answer CORS preflights and add CORS headers on the vendors' routes. Default true. */
  cors?: boolean;
  /** Log level; default `silent` for the programmatic API (the CLI sets `info`). */
  logLevel?: LevelWithSilent;
  /** A logger of your own (overrides logLevel). */
  logger?: Logger;
  /** Scenarios active from the start (names from the scenario folders). */
  scenarios?: string[];
  /** Entries each journal keeps (requests, deliveries). Default 1000. */
  journalSize?: number;
  /**
   * Webhooks each vendor's store keeps (and issued tokens and delivery records). Creating one more webhook is
   * refused in the vendor's format (C1 and Shodai 429, SuperOffice 400); older tokens and records make room.
   * Default 10 000.
   */
  storeLimit?: number;
  /** Bearer token for the admin API; required when `host` is not a loopback address. */
  adminToken?: string;
  /** Reload fixture and scenario files when they change; a bad edit keeps the last good set. Default false. */
  watch?: boolean;
  /**
   * Retry failed deliveries as each vendor does (C1: every 3–15 s up to 50 attempts; SuperOffice: +1 s, +4 s;
   * Shodai: the mock's schedule), on the mock's clock. Default true; false makes every delivery one attempt.
   */
  retries?: boolean;
  /**
   * Makes runs reproducible: ids, event ids, secrets and signing keys derive from the seed, and the clock is
   * frozen (at `clockStart`, default 2026-01-01T00:00:00Z) until set or advanced.
   */
  seed?: string | number;
  /** Where the clock starts (it runs on from there, unless `seed` freezes it). */
  clockStart?: Date | string;
  clock?: Clock;
  ids?: IdSource;
  /** The vendors to mount; default every vendor in src/vendors (a test may add one of its own). */
  vendors?: readonly VendorModule[];
  /**
   * Vendors' own settings, by vendor and name, durations in ms — the CLI's `--{vendor}-{flag}` flags, e.g.
   * `{c1: {keyGraceMs: 60_000}}` for `--c1-key-grace 1m`. An unknown vendor or setting, or a bad value, throws.
   */
  vendorSettings?: VendorSettingsInput;
}

/** The options with every default filled in, and the clock, ids and logger made. */
export interface ResolvedOptions {
  port: number;
  host: string;
  fixturesDir: string;
  publicUrl?: string;
  deliveryTimeoutMs: number;
  maxResponseBytes: number;
  bodyLimitBytes: number;
  strict: boolean;
  allowTargets?: string[];
  allowHosts: string[];
  cors: boolean;
  logger: Logger;
  scenarios: string[];
  journalSize: number;
  storeLimit: number;
  adminToken?: string;
  watch: boolean;
  retries: boolean;
  clock: SettableClock;
  ids: IdSource;
  /** Whether the run is seeded (generated bodies then take their seeds from it too). */
  seeded: boolean;
  vendors: readonly VendorModule[];
  /** Each mounted vendor's settings, defaults filled in. */
  vendorSettings: ResolvedVendorSettings;
}

function clockFor(options: MockServerOptions, seeded: boolean): SettableClock {
  const clockStart = options.clockStart === undefined ? undefined : new Date(options.clockStart);
  if (clockStart !== undefined && Number.isNaN(clockStart.getTime()))
    throw new RangeError(`clockStart is not a date: ${String(options.clockStart)}`);
  const clock = new SettableClock(
    options.clock ?? systemClock,
    seeded ? (clockStart ?? SEEDED_CLOCK_START) : undefined,
  );
  if (!seeded && clockStart !== undefined) clock.set(clockStart);
  return clock;
}

export function resolveOptions(options: MockServerOptions): ResolvedOptions {
  const seed = options.seed === undefined ? undefined : String(options.seed);
  const vendors = options.vendors ?? registeredVendors;
  return {
    port: options.port ?? 4010,
    host: options.host ?? '127.0.0.1',
    fixturesDir: options.fixturesDir ?? defaultFixturesDir,
    ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
    maxResponseBytes: options.maxResponseBytes ?? 64 * 1024,
    bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
    strict: options.strict ?? false,
    ...(options.allowTargets === undefined ? {} : { allowTargets: options.allowTargets }),
    allowHosts: options.allowHosts ?? [],
    cors: options.cors ?? true,
    logger: options.logger ?? pino({ level: options.logLevel ?? 'silent' }),
    scenarios: options.scenarios ?? [],
    journalSize: options.journalSize ?? 1000,
    storeLimit: options.storeLimit ?? DEFAULT_STORE_LIMIT,
    ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
    watch: options.watch ?? false,
    retries: options.retries ?? true,
    clock: clockFor(options, seed !== undefined),
    ids: options.ids ?? (seed === undefined ? randomIdSource : seededIdSource(seed)),
    seeded: seed !== undefined,
    vendors,
    vendorSettings: resolveVendorSettings(vendors, options.vendorSettings),
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
