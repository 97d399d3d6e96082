import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { DeliveryJournal, RequestJournal, VendorName } from '../core/journal.js';
import type { ScenarioSummary } from '../core/scenario-engine.js';
import { UnknownScenarioError } from '../core/scenario-engine.js';
import { requireAdminToken } from './admin-auth.js';
import { addInspectorRoutes } from './admin-inspector.js';
import { createDeliveryViews } from './delivery-verification.js';
import type { InspectableVendor } from './delivery-verification.js';
import { ProblemError, writeProblem } from './problem.js';

/** What the admin API can see and change; the programmatic API offers the same. */
export interface AdminControl {
  reset(): Promise<void>;
  scenarios: {
    list(): ScenarioSummary[];
    activate(names: string[]): void;
    deactivate(names: string[]): void;
    setActive(names: string[]): void;
  };
  requests: RequestJournal;
  deliveries: DeliveryJournal;
  clock: { now(): Date; set(moment: Date): void; advance(ms: number): void; readonly frozen: boolean };
}

export interface AdminOptions {
  control: AdminControl;
  /** Bearer token the admin API requires; without one, `loopbackOnly` decides. */
  token?: string;
  /** True when the server listens on a non-loopback address and no token is set: the admin API is refused. */
  refused: boolean;
  /** The mounted vendors: their webhooks, test calls and signature checks (GET /webhooks, verification). */
  vendors?: readonly InspectableVendor[];
}

const VENDORS = new Set<string>(['c1', 'shodai', 'superoffice']);
const MAX_WAIT_MS = 60_000;

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function vendorParam(req: Request): VendorName | undefined {
  const vendor = queryString(req, 'vendor');
  if (vendor !== undefined && !VENDORS.has(vendor))
    throw new ProblemError(
      400,
      'Unknown vendor',
      `vendor must be one of c1, shodai, superoffice; got "${vendor}"`,
    );
  return vendor as VendorName | undefined;
}

function integerParam(req: Request, name: string, fallback: number, max: number): number {
  const raw = queryString(req, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new ProblemError(400, 'Bad query parameter', `${name} must be an integer from 0 to ${max}`);
  return value;
}

function newest<T>(items: T[], limit: number): T[] {
  return limit === 0 ? items : items.slice(-limit);
}

function names(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new ProblemError(400, 'Bad scenario list', `${field} must be a list of scenario names`);
  return value as string[];
}

type AsyncHandler = (req: Request, res: Response) => Promise<void> | void;

/** The admin API under `/__admin`: health, reset, scenarios, journals. Errors are problem+json. */
export function createAdminRouter(options: AdminOptions): Router {
  const { control } = options;
  const router = express.Router();
  const views = createDeliveryViews(options.vendors ?? [], control.requests);
  const handle =
    (fn: AsyncHandler) =>
    async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      try {
        await fn(req, res);
      } catch (error) {
        next(error);
      }
    };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.use((req, res, next) => {
    if (options.refused) {
      writeProblem(
        res,
        new ProblemError(
          403,
          'Admin API disabled',
          'the mock listens on a non-loopback address without --admin-token, so its admin API is switched off; start it with --admin-token <secret> (or ADMIN_TOKEN) and send Authorization: Bearer <secret>',
        ),
      );
      return;
    }
    next();
  });

  router.use(requireAdminToken(options.token));
  router.use(express.json({ limit: '64kb' }));

  router.post(
    '/reset',
    handle(async (_req, res) => {
      await control.reset();
      streams.broadcastReset();
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

  router.get(
    '/requests',
    handle((req, res) => {
      const vendor = vendorParam(req);
      const operationId = queryString(req, 'operation');
      const limit = integerParam(req, 'limit', 0, 100_000);
      const requests = control.requests.list({
        ...(vendor === undefined ? {} : { vendor }),
        ...(operationId === undefined ? {} : { operationId }),
      });
      res.json({ requests: newest(requests, limit) });
    }),
  );

  router.get(
    '/deliveries',
    handle(async (req, res) => {
      const vendor = vendorParam(req);
      const webhookId = queryString(req, 'webhookId');
      const limit = integerParam(req, 'limit', 0, 100_000);
      const deliveries = control.deliveries.list({
        ...(vendor === undefined ? {} : { vendor }),
        ...(webhookId === undefined ? {} : { webhookId }),
      });
      res.json({ deliveries: await views.many(newest(deliveries, limit)) });
    }),
  );

  router.get(
    '/deliveries/wait',
    handle(async (req, res) => {
      const vendor = vendorParam(req);
      const webhookId = queryString(req, 'webhookId');
      const after = queryString(req, 'after');
      const timeoutMs = integerParam(req, 'timeoutMs', 10_000, MAX_WAIT_MS);
      const found = await control.deliveries.waitFor(
        {
          ...(vendor === undefined ? {} : { vendor }),
          ...(webhookId === undefined ? {} : { webhookId }),
          ...(after === undefined ? {} : { after }),
        },
        timeoutMs,
      );
      if (found === undefined)
        throw new ProblemError(408, 'No delivery yet', `no matching delivery arrived within ${timeoutMs} ms`);
      res.json({ delivery: await views.one(found) });
    }),
  );

  const streams = addInspectorRoutes(router, {
    vendors: options.vendors ?? [],
    requests: control.requests,
    deliveries: control.deliveries,
    views,
    vendorParam,
    handle,
  });

  router.use((req, res) => {
    writeProblem(
      res,
      new ProblemError(404, 'Not Found', `no admin endpoint ${req.method} ${req.baseUrl}${req.path}`),
    );
  });

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof ProblemError) return writeProblem(res, error);
    if (error instanceof UnknownScenarioError)
      return writeProblem(res, new ProblemError(400, 'Unknown scenario', error.message));
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return writeProblem(res, new ProblemError(status, 'Bad request', (error as Error).message));
    writeProblem(res, new ProblemError(500, 'Internal error', 'the admin API failed; see the log'));
  });

  return router;
}
