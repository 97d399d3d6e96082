/** The admin API's control routes: reset, the clock and the scenario switches. */
import { ProblemError } from '../core/problem.js';
import type { AdminRoutes } from './admin-router.js';

function names(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new ProblemError(400, 'Bad scenario list', `${field} must be a list of scenario names`);
  return value as string[];
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

  router.put(
    '/clock',
    handle((req, res) => {
      const body = (req.body ?? {}) as { now?: unknown; advanceMs?: unknown };
      if (body.now !== undefined) {
        const moment = typeof body.now === 'string' ? new Date(body.now) : new Date(Number.NaN);
        if (Number.isNaN(moment.getTime()))
          throw new ProblemError(400, 'Bad clock value', 'now must be an ISO 8601 date-time');
        control.clock.set(moment);
      }
      if (body.advanceMs !== undefined) {
        if (typeof body.advanceMs !== 'number' || !Number.isFinite(body.advanceMs))
          throw new ProblemError(400, 'Bad clock value', 'advanceMs must be a number of milliseconds');
        control.clock.advance(body.advanceMs);
      }
      if (body.now === undefined && body.advanceMs === undefined)
        throw new ProblemError(
          400,
          'Nothing to change',
          'send {"now": "<ISO date-time>"} or {"advanceMs": <ms>}',
        );
      res.json({ now: control.clock.now().toISOString(), frozen: control.clock.frozen });
    }),
  );

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
