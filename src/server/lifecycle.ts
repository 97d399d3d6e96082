/**
 * Reset and reload: back to the fixtures (the same ones, or the files read again) with journals, sink and
 * scenario counters cleared; a reload that cannot use the files keeps everything as it was. `--watch` reloads
 * when a fixture or scenario file changes.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { FixturePlaceholders } from '../core/fixtures.js';
import type { DeliveryJournal, RequestJournal } from '../core/journal.js';
import type { ScenarioEngine } from '../core/scenario-engine.js';
import type { Sink } from '../core/sink.js';
import type { MountedVendor } from '../pipeline/types.js';
import { loadFixtures, loadScenarios } from './mount.js';

export interface ReloadStatus {
  at: string;
  ok: boolean;
  /** Why the files were not used (file, path, reason). */
  error?: string;
}

export interface LifecycleParts {
  vendors: readonly MountedVendor[];
  fixturesDir: string;
  placeholders: FixturePlaceholders;
  /** The fixtures the vendors started from (placeholders filled). */
  fixtures: unknown[];
  deliveries: DeliveryJournal;
  requests: RequestJournal;
  sink: Sink;
  scenarios: ScenarioEngine;
  /** Starts generated bodies' seeds again. */
  restartBodySeeds(): void;
  /** The journal of triggered events. */
  triggers: { clear(): void };
  /** The retries waiting for their time. */
  retries: { clear(): void };
  clock: Clock;
  logger: Logger;
}

export interface Lifecycle {
  reset(): Promise<void>;
  reload(): Promise<void>;
  lastReload(): ReloadStatus | undefined;
  /** Reloads on every change of a YAML file in the fixtures folder; returns the watcher to close. */
  watchFiles(): FSWatcher;
}

/** Puts new fixtures in place for every vendor, or none: a vendor that refuses its fixture undoes the others. */
async function swapFixtures(parts: LifecycleParts, next: unknown[]): Promise<void> {
  const swapped: number[] = [];
  try {
    for (const [index, { runtime }] of parts.vendors.entries()) {
      await runtime.reset(next[index]);
      swapped.push(index);
    }
  } catch (error) {
    for (const index of swapped) await parts.vendors[index]!.runtime.reset(parts.fixtures[index]);
    throw error;
  }
}

export function createLifecycle(parts: LifecycleParts): Lifecycle {
  let lastReload: ReloadStatus | undefined;
  const reload = async (): Promise<void> => {
    try {
      const modules = parts.vendors.map(({ module }) => module);
      const next = await loadFixtures(modules, parts.fixturesDir, parts.placeholders);
      const scenarios = await loadScenarios(parts.vendors, parts.fixturesDir);
      await swapFixtures(parts, next);
      // retries belong to the store they were made for
      parts.retries.clear();
      parts.fixtures = next;
      parts.scenarios.replace(scenarios);
      lastReload = { at: parts.clock.now().toISOString(), ok: true };
      parts.logger.info({ fixturesDir: parts.fixturesDir }, 'reloaded fixtures and scenarios');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      lastReload = { at: parts.clock.now().toISOString(), ok: false, error: message };
      parts.logger.error({ error: message }, 'reload failed; keeping the last good fixtures and scenarios');
      throw error;
    }
  };
  return {
    async reset() {
      // retries first: none may fire into the fresh store
      parts.retries.clear();
      await Promise.all(parts.vendors.map(({ runtime }) => runtime.reset()));
      parts.deliveries.clear();
      parts.requests.clear();
      parts.sink.clear();
      parts.scenarios.reset();
      parts.restartBodySeeds();
      parts.triggers.clear();
    },
    reload,
    lastReload: () => lastReload,
    watchFiles() {
      let timer: NodeJS.Timeout | undefined;
      return watch(parts.fixturesDir, { recursive: true }, (_event, file) => {
        if (file !== null && !/\.ya?ml$/.test(file)) return;
        clearTimeout(timer);
        timer = setTimeout(() => reload().catch(() => undefined), 150);
      });
    },
  };
}
