/** What a running mock holds besides its vendors: journals, the sink, the delivery engine, the pipeline's services. */
import { DeliveryEngine } from '../core/delivery-engine.js';
import { DeliveryJournal, RequestJournal } from '../core/journal.js';
import type { ScenarioEngine } from '../core/scenario-engine.js';
import { Sink } from '../core/sink.js';
import { RetryScheduler } from '../core/retry-scheduler.js';
import type { FiredAttempt, ScheduledAttempt } from '../core/retry-scheduler.js';
import type { SettableClock } from '../core/seeded.js';
import { targetPolicy } from '../core/target-policy.js';
import type { VendorContext } from '../core/vendor-module.js';
import type { VendorModule } from '../core/vendor-runtime.js';
import type { PipelineServices } from '../pipeline/types.js';
import type { RequestValidators } from '../pipeline/validate.js';
import type { ResolvedOptions } from './options.js';

export interface Services {
  /** The origin clients and receivers use. */
  publicUrl: string;
  /** What `{{sinkUrl}}` and `{{publicUrl}}` in fixtures stand for. */
  placeholders: { sinkUrl: string; publicUrl: string };
  deliveries: DeliveryJournal;
  requests: RequestJournal;
  sink: Sink;
  engine: DeliveryEngine;
  /** The mock's clock, moved so that retries due on the way fire in order. */
  time: TimeControl;
  pipeline: PipelineServices;
  /** Starts generated bodies' seeds again (a reset). */
  restartBodySeeds(): void;
  /** The context each vendor runs in. */
  contextFor(module: VendorModule, validators: RequestValidators): VendorContext;
}

/** The clock as the admin API and `mock.clock` move it: retries due on the way fire before a move returns. */
export interface TimeControl {
  now(): Date;
  readonly frozen: boolean;
  set(moment: Date): Promise<FiredAttempt[]>;
  advance(ms: number): Promise<FiredAttempt[]>;
  /** The retries waiting, soonest first (none with --no-retries). */
  schedule(): ScheduledAttempt[];
  /** Drops every waiting retry (a reset). */
  clear(): void;
  /** Drops every waiting retry and schedules no more (the mock stops). */
  close(): void;
}

function timeControl(clock: SettableClock, retries: RetryScheduler | undefined): TimeControl {
  return {
    now: () => clock.now(),
    get frozen() {
      return clock.frozen;
    },
    set: (moment) => {
      if (retries !== undefined) return retries.set(moment);
      clock.set(moment);
      return Promise.resolve([]);
    },
    advance: (ms) => {
      if (retries !== undefined) return retries.advance(ms);
      clock.advance(ms);
      return Promise.resolve([]);
    },
    schedule: () => retries?.list() ?? [],
    clear: () => retries?.clear(),
    close: () => retries?.close(),
  };
}

/** `--allow-targets`, checked for every delivery (and by webhook URL checks); the mock's own sink is always allowed. */
function targetRefusalFor(
  options: ResolvedOptions,
  ownSinks: string[],
): ((url: URL) => string | undefined) | undefined {
  if (options.allowTargets === undefined) return undefined;
  const policy = targetPolicy(options.allowTargets);
  return (target) =>
    ownSinks.some((prefix) => target.href.startsWith(prefix)) ? undefined : policy.refusal(target);
}

export function createServices(
  resolved: ResolvedOptions,
  url: string,
  scenarios: ScenarioEngine,
  signingSeed: Buffer,
): Services {
  const { clock, ids, logger } = resolved;
  const publicUrl = (resolved.publicUrl ?? url).replace(/\/+$/, '');
  const deliveries = new DeliveryJournal(resolved.journalSize);
  const requests = new RequestJournal(resolved.journalSize);
  const targetRefusal = targetRefusalFor(resolved, [`${url}/__sink/`, `${publicUrl}/__sink/`]);
  const retries = resolved.retries
    ? new RetryScheduler({ clock, logger, limit: resolved.storeLimit })
    : undefined;
  const engine = new DeliveryEngine({
    clock,
    ids,
    logger,
    journal: deliveries,
    timeoutMs: resolved.deliveryTimeoutMs,
    maxResponseBytes: resolved.maxResponseBytes,
    redeliverable: resolved.journalSize,
    ...(retries === undefined ? {} : { retries }),
    ...(targetRefusal === undefined ? {} : { targetRefusal }),
  });
  const firstBodySeed = resolved.seeded ? ids.bytes(4).readUInt32BE(0) : 1;
  let bodySeed = firstBodySeed;
  return {
    publicUrl,
    placeholders: { sinkUrl: `${url}/__sink`, publicUrl },
    deliveries,
    requests,
    sink: new Sink(),
    engine,
    time: timeControl(clock, retries),
    pipeline: {
      clock,
      logger,
      scenarios,
      nextBodySeed: () => bodySeed++,
      requests,
      engine,
      journalBodyBytes: 64 * 1024,
    },
    restartBodySeeds: () => {
      bodySeed = firstBodySeed;
    },
    contextFor: (module, validators) => ({
      clock,
      ids,
      publicUrl,
      vendorBaseUrl: `${publicUrl}${module.basePath}`,
      strictUrls: resolved.strict,
      storeLimit: resolved.storeLimit,
      ...(targetRefusal === undefined ? {} : { targetRefusal }),
      signingSeed,
      logger: logger.child({ vendor: module.name }),
      schemas: {
        component: (name, value) => validators.checkComponent(name, value),
        webhookBody: (key, body) => validators.checkWebhookBody(key, body),
      },
      annotateDelivery: (deliveryId, verdict) => {
        deliveries.annotate(deliveryId, verdict);
      },
      settings: resolved.vendorSettings.get(module.name) ?? {},
    }),
  };
}
