/**
 * The mock's clock and its retries through the admin API: `GET /__admin/clock` and `/schedule`, a move with
 * `PUT /__admin/clock` (which fires the retries due on the way before it answers, naming the delivery each
 * made), and those deliveries read from the journal.
 */
import type { FiredAttempt, ScheduledAttempt } from '../core/retry-scheduler.js';
import { isPlainObject } from '../core/safe-object.js';
import { isDeliveryView } from './delivery-report.js';
import type { DeliveryView } from './delivery-report.js';
import { callAdmin } from './mock-remote.js';
import type { MockTarget } from './mock-remote.js';

/** A move of the clock: to a moment, or by a number of milliseconds. */
export type ClockMove = { set: string } | { advanceMs: number };

/** A retry that fired during the move, with the delivery it made (null when none was made). */
export type FiredRetry = FiredAttempt & { delivery: DeliveryView | null };

/** What the `clock` command prints (`--json` prints it as it is). */
export interface ClockReport {
  now: string;
  frozen: boolean;
  /** Where the clock stood before a move. */
  movedFrom?: string;
  fired: FiredRetry[];
  /** The retries still waiting, soonest first. */
  retries: ScheduledAttempt[];
}

interface ClockState {
  now: string;
  frozen: boolean;
}

const isClockState = (value: unknown): value is ClockState =>
  isPlainObject(value) && typeof value.now === 'string' && typeof value.frozen === 'boolean';

const isMoved = (value: unknown): value is ClockState & { fired: FiredAttempt[] } =>
  isClockState(value) && Array.isArray((value as { fired?: unknown }).fired);

const isSchedule = (value: unknown): value is { retries: ScheduledAttempt[] } =>
  isPlainObject(value) && Array.isArray(value.retries);

const isDeliveryList = (value: unknown): value is { deliveries: DeliveryView[] } =>
  isPlainObject(value) && Array.isArray(value.deliveries) && value.deliveries.every(isDeliveryView);

function readClock(target: MockTarget): Promise<ClockState> {
  return callAdmin(target, {
    method: 'GET',
    path: '/clock',
    refused: 'refused',
    accept: isClockState,
    answer: "the mock's clock",
  });
}

/** The journal's deliveries of one webhook (and event), fetched once per query. */
function deliveryLister(target: MockTarget): (query: string) => Promise<DeliveryView[]> {
  const lists = new Map<string, Promise<DeliveryView[]>>();
  return (query) => {
    let list = lists.get(query);
    if (list === undefined) {
      list = callAdmin(target, {
        method: 'GET',
        path: `/deliveries?${query}`,
        refused: 'refused',
        accept: isDeliveryList,
        answer: 'a list of deliveries',
      }).then((answer) => answer.deliveries);
      lists.set(query, list);
    }
    return list;
  };
}

/** The delivery each fired retry made (named by the move's answer), from the journal; null when none was made. */
async function withDeliveries(fired: FiredAttempt[], target: MockTarget): Promise<FiredRetry[]> {
  const list = deliveryLister(target);
  const result: FiredRetry[] = [];
  for (const retry of fired) {
    const query = new URLSearchParams({
      vendor: retry.vendor,
      webhookId: retry.webhookId,
      ...(retry.eventId === undefined ? {} : { eventId: retry.eventId }),
    }).toString();
    const made =
      retry.deliveryId === undefined
        ? undefined
        : (await list(query)).find((view) => view.id === retry.deliveryId);
    result.push({ ...retry, delivery: made ?? null });
  }
  return result;
}

/** Reads the clock and the waiting retries; with a move, moves the clock first and reads what fired. */
export async function clockRemote(target: MockTarget, move?: ClockMove): Promise<ClockReport> {
  let state: ClockState;
  let fired: FiredRetry[] = [];
  let movedFrom: string | undefined;
  if (move === undefined) state = await readClock(target);
  else {
    movedFrom = (await readClock(target)).now;
    const moved = await callAdmin(target, {
      method: 'PUT',
      path: '/clock',
      body: 'set' in move ? { now: move.set } : { advanceMs: move.advanceMs },
      refused: 'the clock was not moved',
      accept: isMoved,
      answer: "the moved clock's state",
    });
    state = moved;
    fired = await withDeliveries(moved.fired, target);
  }
  const { retries } = await callAdmin(target, {
    method: 'GET',
    path: '/schedule',
    refused: 'refused',
    accept: isSchedule,
    answer: "the mock's retry schedule",
  });
  return {
    now: state.now,
    frozen: state.frozen,
    ...(movedFrom === undefined ? {} : { movedFrom }),
    fired,
    retries,
  };
}
