/** The admin API's control routes: reset, the clock and its retry schedule, and the scenario switches. */
import { ProblemError } from '../core/problem.js';
import type { FiredAttempt } from '../core/retry-scheduler.js';
import type { AdminRoutes } from './admin-router.js';

function names(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new ProblemError(400, 'Bad scenario list', `${field} must be a list of scenario names`);
  return value as string[];
}

/** The longest single move: about 100 years. */
const MAX_ADVANCE_MS = 100 * 366 * 24 * 3600 * 1000;

function clockMoment(value: unknown): Date {
  const moment = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(moment.getTime()))
    throw new ProblemError(400, 'Bad clock value', 'now must be an ISO 8601 date-time');
  return moment;
}

function advanceOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > MAX_ADVANCE_MS)
    throw new ProblemError(
      400,
      'Bad clock value',
      'advanceMs must be a number of milliseconds (at most ~100 years)',
    );
  return value;
}

export function addControlRoutes({ router, control, handle, broadcastReset }: AdminRoutes): void {
  router.post(
    '/reset',
    handle(async (_req, res) => {
      await control.reset();
      broadcastReset();
      res.json({ status: 'reset' });
    }),
  );

  router.get('/clock', (_req, res) => {
    res.json({ now: control.clock.now().toISOString(), frozen: control.clock.frozen });
  });

  /** Moves the clock; the retries due on the way fire, in order, before the answer (`fired` lists them). */
  router.put(
    '/clock',
    handle(async (req, res) => {
      const body = (req.body ?? {}) as { now?: unknown; advanceMs?: unknown };
      if (body.now === undefined && body.advanceMs === undefined)
        throw new ProblemError(
          400,
          'Nothing to change',
          'send {"now": "<ISO date-time>"} or {"advanceMs": <ms>}',
        );
      // both checked before either is applied
      const moment = body.now === undefined ? undefined : clockMoment(body.now);
      const advanceMs = body.advanceMs === undefined ? undefined : advanceOf(body.advanceMs);
      const fired: FiredAttempt[] = [];
      if (moment !== undefined) fired.push(...(await control.clock.set(moment)));
      if (advanceMs !== undefined) fired.push(...(await control.clock.advance(advanceMs)));
      res.json({ now: control.clock.now().toISOString(), frozen: control.clock.frozen, fired });
    }),
  );

  /** The retries waiting for their time, soonest first. */
  router.get('/schedule', (_req, res) => {
    res.json({ now: control.clock.now().toISOString(), retries: control.clock.schedule() });
  });

  router.get('/scenarios', (_req, res) => {
    res.json({ scenarios: control.scenarios.list() });
  });

  router.put(
    '/scenarios',
    handle((req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const active = names(body.active, 'active');
      const activate = names(body.activate, 'activate');
      const deactivate = names(body.deactivate, 'deactivate');
      if (active === undefined && activate === undefined && deactivate === undefined)
        throw new ProblemError(
          400,
          'Nothing to change',
          'send {"active": [names]} to set the active scenarios, or {"activate": [...], "deactivate": [...]}',
        );
      if (active !== undefined) control.scenarios.setActive(active);
      if (activate !== undefined) control.scenarios.activate(activate);
      if (deactivate !== undefined) control.scenarios.deactivate(deactivate);
      res.json({ scenarios: control.scenarios.list() });
    }),
  );
}
