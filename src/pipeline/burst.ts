/**
 * Bursts: many events of one kind at once, so a receiver meets what production brings — events on their way
 * concurrently, out of order, and duplicated (the same event and ids again, freshly signed). The plan (which
 * event goes when, which ones twice) is drawn from the mock's id source, so a seeded run repeats it.
 */
import type { BurstOrder } from '../core/event-catalogue.js';
import type { IdSource } from '../core/ids.js';

export interface PlannedSend {
  /** The event's place in creation order. */
  event: number;
  /** Set for the second sending of an event; it always comes after the first. */
  duplicate: boolean;
}

/** A seeded random integer in [0, below). */
function draw(ids: IdSource, below: number): number {
  return ids.bytes(4).readUInt32BE(0) % below;
}

function ordered(count: number, order: BurstOrder, ids: IdSource): number[] {
  const events = Array.from({ length: count }, (_, index) => index);
  if (order === 'reversed') return events.reverse();
  if (order === 'shuffled') {
    for (let index = events.length - 1; index > 0; index -= 1) {
      const other = draw(ids, index + 1);
      [events[index], events[other]] = [events[other]!, events[index]!];
    }
  }
  return events;
}

/**
 * The order a burst's events are sent in: `count` events in `order`, plus `round(count × duplicates)` of them
 * (chosen at random) a second time, each at a random place after its first sending.
 */
export function sendingPlan(
  count: number,
  order: BurstOrder,
  duplicates: number,
  ids: IdSource,
): PlannedSend[] {
  const plan: PlannedSend[] = ordered(count, order, ids).map((event) => ({ event, duplicate: false }));
  const chosen = ordered(count, 'shuffled', ids).slice(0, Math.round(count * duplicates));
  for (const event of chosen) {
    const first = plan.findIndex((send) => send.event === event && !send.duplicate);
    const at = first + 1 + draw(ids, plan.length - first);
    plan.splice(at, 0, { event, duplicate: true });
  }
  return plan;
}

/**
 * Runs `send` for each planned position with at most `concurrency` on their way at once, starting them in
 * plan order; resolves with each position's result.
 */
export async function runPlan<T>(
  plan: readonly PlannedSend[],
  concurrency: number,
  send: (planned: PlannedSend, position: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(plan.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.length) {
      const position = next;
      next += 1;
      results[position] = await send(plan[position]!, position);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plan.length) }, worker));
  return results;
}
