/**
 * Retries on the mock's clock. A vendor's retry rule says when the next attempt of a failed delivery falls due;
 * the scheduler keeps those attempts in due order and fires them:
 * - by themselves when the clock runs (a real timer set for the earliest one, unref'd so it never keeps the
 *   process alive);
 * - when the clock is moved (`PUT /__admin/clock`, `mock.clock.advance`): every attempt that falls due in the
 *   window fires in order, the clock standing at each one's due time while it is made, before the move
 *   returns — so a test walks C1's 50 attempts in milliseconds, and a frozen (seeded) clock stamps the same
 *   times every run.
 * Attempts fire one at a time. The number waiting is bounded; a retry beyond the bound is dropped and logged.
 */
import type { Logger } from 'pino';
import type { SettableClock } from './seeded.js';

/** A retry waiting for its time, as GET /__admin/schedule shows it. */
export interface ScheduledAttempt {
  id: string;
  vendor: string;
  webhookId: string;
  event: string;
  /** The vendor-visible id of the event (C1 instance, SuperOffice EventId, Shodai event id). */
  eventId?: string;
  /** The attempt it will be (the first attempt is 1). */
  attempt: number;
  dueAt: string;
  /** The delivery whose failure scheduled it. */
  after: string;
}

/** What a retry's firing made: the delivery (its journal id), or why none was made. */
export type RetryMade = { deliveryId: string } | { notMade: string };

/** A retry that fired during a clock move, as PUT /__admin/clock lists it. */
export type FiredAttempt = ScheduledAttempt & Partial<{ deliveryId: string; notMade: string }>;

interface Entry {
  view: ScheduledAttempt;
  dueMs: number;
  sequence: number;
  run(): Promise<RetryMade>;
}

export interface RetrySchedulerOptions {
  clock: SettableClock;
  logger: Logger;
  /** How many retries may wait at once. */
  limit: number;
}

/** The largest delay setTimeout takes; a later retry re-arms the timer when it fires early. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class RetryScheduler {
  private entries: Entry[] = [];
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Moves and timer firings, one after the other. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** How many moves or firings are queued or running. */
  private busy = 0;

  constructor(private readonly options: RetrySchedulerOptions) {}

  /** Queues an attempt; false (and a log line) when the bound is reached or the scheduler is closed. */
  schedule(view: Omit<ScheduledAttempt, 'id'>, run: () => Promise<RetryMade>): boolean {
    if (this.closed) return false;
    if (this.entries.length >= this.options.limit) {
      this.options.logger.warn(
        { vendor: view.vendor, webhookId: view.webhookId, limit: this.options.limit },
        'retry dropped: too many retries are waiting',
      );
      return false;
    }
    this.sequence += 1;
    const entry: Entry = {
      view: { id: `rty_${this.sequence}`, ...view },
      dueMs: Date.parse(view.dueAt),
      sequence: this.sequence,
      run,
    };
    const at = this.entries.findIndex((other) => other.dueMs > entry.dueMs);
    if (at === -1) this.entries.push(entry);
    else this.entries.splice(at, 0, entry);
    this.arm();
    return true;
  }

  /** The retries waiting, soonest first. */
  list(): ScheduledAttempt[] {
    return this.entries.map((entry) => ({ ...entry.view }));
  }

  /**
   * Moves the clock forward by `ms`, firing every retry due on the way, in order. Without one due, the clock
   * moves at once (synchronously); the promise resolves when the clock stands at its new time.
   */
  advance(ms: number): Promise<FiredAttempt[]> {
    return this.moveTo(this.options.clock.now().getTime() + ms);
  }

  /** Sets the clock to `moment`; moving forward fires the retries due on the way, as `advance` does. */
  set(moment: Date): Promise<FiredAttempt[]> {
    return this.moveTo(moment.getTime());
  }

  /** Forgets every waiting retry (a reset). */
  clear(): void {
    this.entries = [];
    this.disarm();
  }

  /** No more retries: the waiting ones are dropped and the timer stopped. */
  close(): void {
    this.closed = true;
    this.clear();
  }

  private moveTo(targetMs: number): Promise<FiredAttempt[]> {
    const { clock } = this.options;
    if (this.busy === 0 && (this.entries[0] === undefined || this.entries[0].dueMs > targetMs)) {
      clock.set(new Date(targetMs));
      this.arm();
      return Promise.resolve([]);
    }
    return this.serially(async () => {
      const fired: FiredAttempt[] = [];
      for (let next = this.entries[0]; next !== undefined && next.dueMs <= targetMs; next = this.entries[0]) {
        this.entries.shift();
        if (next.dueMs > clock.now().getTime()) clock.set(new Date(next.dueMs));
        fired.push({ ...next.view, ...(await this.fire(next)) });
      }
      if (targetMs > clock.now().getTime()) clock.set(new Date(targetMs));
      this.arm();
      return fired;
    });
  }

  /** Fires every retry whose time has come on a running clock. */
  private fireDue(): Promise<unknown> {
    return this.serially(async () => {
      for (
        let next = this.entries[0];
        next !== undefined && next.dueMs <= this.options.clock.now().getTime();
        next = this.entries[0]
      ) {
        this.entries.shift();
        await this.fire(next);
      }
      this.arm();
    });
  }

  private async fire(entry: Entry): Promise<RetryMade> {
    try {
      return await entry.run();
    } catch (error) {
      // a retry's own bookkeeping failed: logged, and the next ones still fire
      this.options.logger.error({ retry: entry.view, error: (error as Error).message }, 'retry failed');
      return { notMade: `the retry failed: ${(error as Error).message}` };
    }
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    this.busy += 1;
    const next = this.queue.then(work).finally(() => {
      this.busy -= 1;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A real timer for the soonest retry, when the clock runs by itself. */
  private arm(): void {
    this.disarm();
    const first = this.entries[0];
    if (first === undefined || this.closed || this.options.clock.frozen) return;
    const wait = Math.min(Math.max(first.dueMs - this.options.clock.now().getTime(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.fireDue();
    }, wait);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
