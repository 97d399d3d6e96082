import { createHash } from 'node:crypto';
import type { Clock } from './clock.js';
import type { IdSource } from './ids.js';

/**
 * Ids from a seed: the same seed gives the same stream of bytes (SHA-256 in counter mode), so a seeded run
 * makes the same ids, event ids, secrets and keys every time.
 */
export function seededIdSource(seed: string): IdSource {
  let counter = 0;
  let pool = Buffer.alloc(0);
  const bytes = (size: number): Buffer => {
    while (pool.length < size) {
      const block = createHash('sha256').update(`${seed}\u0000${counter}`).digest();
      counter += 1;
      pool = Buffer.concat([pool, block]);
    }
    const out = pool.subarray(0, size);
    pool = pool.subarray(size);
    return Buffer.from(out);
  };
  return {
    bytes,
    uuid() {
      const b = bytes(16);
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const hex = b.toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
}

/**
 * A clock that can be set and moved: over a running base clock (shifted by an offset) or frozen at a moment
 * (a seeded run, so timestamps repeat from run to run).
 */
export class SettableClock implements Clock {
  private offsetMs = 0;

  constructor(
    private readonly base: Clock,
    private frozenAt?: Date,
  ) {}

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }

  now(): Date {
    return this.frozenAt !== undefined
      ? new Date(this.frozenAt.getTime())
      : new Date(this.base.now().getTime() + this.offsetMs);
  }

  /** From now on the clock reads `moment` (and, unless frozen, runs on from there). */
  set(moment: Date): void {
    if (this.frozenAt !== undefined) this.frozenAt = new Date(moment.getTime());
    else this.offsetMs = moment.getTime() - this.base.now().getTime();
  }

  advance(ms: number): void {
    this.set(new Date(this.now().getTime() + ms));
  }
}

/** Where a seeded run's frozen clock starts unless told otherwise. */
export const SEEDED_CLOCK_START = new Date('2026-01-01T00:00:00.000Z');
