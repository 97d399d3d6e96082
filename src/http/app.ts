/**
 * The express app for the mock's own routes: the admin API, the inspector, the sink and the home page (the
 * vendors' routes never reach it). The listener loads it on the first such request.
 */
import express from 'express';
import type { ErrorRequestHandler, Express } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { Sink } from '../core/sink.js';
import type { AdminOptions } from './admin-router.js';
import { createAdminRouter } from './admin-router.js';
import { createHomePage } from './home-page.js';
import { sameOriginOnly } from './host-guard.js';
import { createInspectorRouter } from './inspector-page.js';
import { ProblemError, writeProblem } from './problem.js';
import { requestLog } from './request-log.js';
import type { RequestLocals } from './request-log.js';
import { createSinkRouter } from './sink-router.js';

export interface AppOptions {
  sink: Sink;
  clock: Clock;
  logger: Logger;
  bodyLimitBytes: number;
  admin: AdminOptions;
}

/** Whatever reaches express's error handler is answered as problem+json, never its HTML page with a stack. */
function lastErrors(logger: Logger): ErrorRequestHandler {
  return (error: { status?: number; message?: string }, _req, res, _next) => {
    const requestId = (res.locals as RequestLocals).requestId;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status =
      typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error, requestId }, 'request failed');
    const detail = status === 500 ? 'the mock failed; see its log' : (error.message ?? 'bad request');
    writeProblem(
      res,
      new ProblemError(status, status === 500 ? 'Internal error' : 'Bad request', detail),
      requestId,
    );
  };
}

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(options.logger));
  // the mock's own pages and APIs: same-origin only, no CORS (they hold credentials and signed deliveries)
  app.use('/__admin', sameOriginOnly(), createAdminRouter(options.admin));
  app.use('/__inspector', sameOriginOnly(), createInspectorRouter());
  app.get('/', createHomePage(options.admin.vendors, options.admin));
  app.use(
    '/__sink',
    sameOriginOnly(),
    createSinkRouter({
      sink: options.sink,
      clock: options.clock,
      bodyLimitBytes: options.bodyLimitBytes,
      answerFor: (body, answer) => {
        for (const { module } of options.admin.vendors) {
          const known = module.sinkAnswer(body, answer);
          if (known !== undefined) return known;
        }
        return undefined;
      },
      ...(options.admin.token === undefined ? {} : { adminToken: options.admin.token }),
    }),
  );
  app.use((req, res) => {
    writeProblem(
      res,
      new ProblemError(
        404,
        'Not Found',
        `nothing is mounted at ${req.path}; the vendors live under ${options.admin.vendors
          .map((vendor) => vendor.module.basePath)
          .join(', ')}`,
      ),
      (res.locals as RequestLocals).requestId,
    );
  });
  app.use(lastErrors(options.logger));
  return app;
}
