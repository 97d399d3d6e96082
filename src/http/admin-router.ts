import express from 'express';
import type { ErrorRequestHandler, Request, RequestHandler, Response, Router } from 'express';
import type { DeliveryJournal, RequestJournal, VendorName } from '../core/journal.js';
import type { ScenarioSummary } from '../core/scenario-engine.js';
import type { EngineOutcome } from '../core/delivery-engine.js';
import { MockError } from '../core/errors.js';
import type { ScheduledAttempt } from '../core/retry-scheduler.js';
import { UnknownScenarioError } from '../core/scenario-engine.js';
import { addActionRoutes } from './admin-actions.js';
import { requireAdminToken } from './admin-auth.js';
import { addInspectorRoutes } from './admin-inspector.js';
import { addControlRoutes } from './admin-control.js';
import { addEventRoutes } from './admin-events.js';
import { addJournalRoutes } from './admin-journals.js';
import { vendorParamOf } from './admin-params.js';
import { createDeliveryViews } from './delivery-verification.js';
import type { DeliveryViews } from './delivery-verification.js';
import type { ClientCall } from '../core/vendor-module.js';
import type { ActionDesk } from '../pipeline/action-desk.js';
import type { EventDesk } from '../pipeline/event-desk.js';
import type { MountedVendor, PipelineResponse } from '../pipeline/types.js';
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
  /** The mock's clock; a move fires the retries due on the way before it resolves. */
  clock: {
    now(): Date;
    set(moment: Date): Promise<ScheduledAttempt[]>;
    advance(ms: number): Promise<ScheduledAttempt[]>;
    schedule(): ScheduledAttempt[];
    readonly frozen: boolean;
  };
  /** Sends a journalled delivery's event again; undefined when the delivery is no longer known. */
  redeliver(deliveryId: string): Promise<EngineOutcome> | undefined;
  /** The vendors' event catalogues and the trigger. */
  events: EventDesk;
  /** The vendors' own actions (C1's `rotate-key`). */
  actions: ActionDesk;
  /** A client's call of a vendor's operation, through the pipeline in process (journalled like any other). */
  dispatch(vendor: string, call: ClientCall): Promise<PipelineResponse & { requestId: string }>;
}

export interface AdminOptions {
  control: AdminControl;
  /** Bearer token the admin API requires; without one, `loopbackOnly` decides. */
  token?: string;
  /** True when the server listens on a non-loopback address and no token is set: the admin API is refused. */
  refused: boolean;
  /** The mounted vendors: their webhooks, test calls and signature checks (GET /webhooks, verification). */
  vendors: readonly MountedVendor[];
}

type AsyncHandler = (req: Request, res: Response) => Promise<void> | void;

/** What each group of admin routes is given: the router, the control, the views and the shared helpers. */
export interface AdminRoutes {
  router: Router;
  control: AdminControl;
  views: DeliveryViews;
  vendors: readonly MountedVendor[];
  /** Validates `?vendor=` (400 for a vendor that is not mounted). */
  vendorParam(req: Request): VendorName | undefined;
  /** Wraps a handler so that what it throws reaches the router's problem+json error handler. */
  handle(fn: AsyncHandler): RequestHandler;
  /** Tells open event streams about a reset. */
  broadcastReset(): void;
}

/** 403 for everything but health when the admin API is switched off (non-loopback without a token). */
function refuseWhenOff(refused: boolean): RequestHandler {
  return (_req, res, next) => {
    if (!refused) return next();
    writeProblem(
      res,
      new ProblemError(
        403,
        'Admin API disabled',
        'the mock listens on a non-loopback address without --admin-token, so its admin API is switched off; start it with --admin-token <secret> (or ADMIN_TOKEN) and send Authorization: Bearer <secret>',
      ),
    );
  };
}

const adminErrors: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  if (error instanceof ProblemError) return writeProblem(res, error);
  if (error instanceof MockError)
    return writeProblem(
      res,
      new ProblemError(error.kind === 'not-found' ? 404 : 400, 'Not sent', error.message, {
        errors: error.fields,
      }),
    );
  if (error instanceof UnknownScenarioError)
    return writeProblem(res, new ProblemError(400, 'Unknown scenario', error.message));
  const status = (error as { status?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return writeProblem(res, new ProblemError(status, 'Bad request', (error as Error).message));
  writeProblem(res, new ProblemError(500, 'Internal error', 'the admin API failed; see the log'));
};

/** The admin API under `/__admin`: health, reset, clock, scenarios, journals, the inspector's endpoints. */
export function createAdminRouter(options: AdminOptions): Router {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.use(refuseWhenOff(options.refused));
  router.use(requireAdminToken(options.token));
  router.use(express.json({ limit: '64kb' }));
  const resetListeners = new Set<() => void>();
  const routes: AdminRoutes = {
    router,
    control: options.control,
    views: createDeliveryViews(options.vendors, options.control.requests),
    vendors: options.vendors,
    vendorParam: vendorParamOf(options.vendors.map((vendor) => vendor.module.name)),
    handle: (fn) => async (req, res, next) => {
      try {
        await fn(req, res);
      } catch (error) {
        next(error);
      }
    },
    broadcastReset: () => {
      for (const listener of resetListeners) listener();
    },
  };
  addControlRoutes(routes);
  addJournalRoutes(routes);
  addEventRoutes(routes);
  addInspectorRoutes(routes, resetListeners);
  // last: its short forms (`POST /c1/rotate-key`) must not take a path another group answers
  addActionRoutes(routes);
  router.use((req, res) => {
    writeProblem(
      res,
      new ProblemError(404, 'Not Found', `no admin endpoint ${req.method} ${req.baseUrl}${req.path}`),
    );
  });
  router.use(adminErrors);
  return router;
}
