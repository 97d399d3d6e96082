import express from 'express';
import type { ErrorRequestHandler, Express } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { MockError } from '../core/errors.js';
import type { IdSource } from '../core/ids.js';
import type { Sink } from '../core/sink.js';
import type { Vendor, VendorRuntime } from '../core/vendor-runtime.js';
import type { OpenAPIBackend } from 'openapi-backend';
import type { AdminOptions } from './admin-router.js';
import { createAdminRouter } from './admin-router.js';
import { corsForAnyOrigin } from './cors.js';
import { createHomePage } from './home-page.js';
import { createInspectorRouter } from './inspector-page.js';
import { ProblemError, writeProblem } from './problem.js';
import { requestLog } from './request-log.js';
import { createSinkRouter } from './sink-router.js';
import { hostGuard, sameOriginOnly } from './host-guard.js';
import type { RoutedLocals, VendorRouterSupport } from './vendor-router.js';
import { createVendorHandler, writeVendorResponse } from './vendor-router.js';

export interface MountedVendor {
  vendor: Vendor;
  api: OpenAPIBackend;
  runtime: VendorRuntime;
  support: VendorRouterSupport;
}

export interface AppOptions {
  vendors: MountedVendor[];
  /** Whether a Host header names the mock (the DNS rebinding guard). */
  isServedHost(hostHeader: string | undefined): boolean;
  sink: Sink;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  bodyLimitBytes: number;
  cors: boolean;
  admin: AdminOptions;
}

/** Maps body-reading failures (too large, bad encoding, aborted) to a vendor's error format. */
function bodyErrors(vendor: Vendor): ErrorRequestHandler {
  return (error: { type?: string; message?: string }, _req, res, _next) => {
    const locals = res.locals as RoutedLocals;
    const context = { requestId: locals.requestId, headers: {} };
    const mockError =
      error.type === 'entity.too.large'
        ? new MockError('payload-too-large', 'the request body is larger than the mock accepts')
        : error.type === 'encoding.unsupported' || error.type === 'charset.unsupported'
          ? new MockError('unsupported-media-type', error.message ?? 'unsupported content encoding')
          : new MockError(
              'malformed-body',
              `the request body could not be read: ${error.message ?? 'unknown error'}`,
            );
    writeVendorResponse(res, vendor, vendor.formatError(mockError, context), context);
  };
}

/** The express app: the only place that knows express. */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(options.logger, options.ids));
  app.use(hostGuard(options.isServedHost));

  const readBody = express.raw({ type: () => true, limit: options.bodyLimitBytes });

  // the mock's own pages and APIs: same-origin only, no CORS (they hold credentials and signed deliveries)
  app.use('/__admin', sameOriginOnly(), createAdminRouter({ ...options.admin, vendors: options.vendors }));
  app.use('/__inspector', sameOriginOnly(), createInspectorRouter());
  app.get('/', createHomePage(options.vendors, options.admin));
  app.use(
    '/__sink',
    sameOriginOnly(),
    createSinkRouter({
      sink: options.sink,
      clock: options.clock,
      bodyLimitBytes: options.bodyLimitBytes,
      ...(options.admin.token === undefined ? {} : { adminToken: options.admin.token }),
    }),
  );

  // the vendors' APIs: CORS for any origin, so browser apps under development can call them directly
  const cors = options.cors ? [corsForAnyOrigin()] : [];
  for (const { vendor, api, runtime, support } of options.vendors) {
    app.use(
      vendor.basePath,
      ...cors,
      readBody,
      createVendorHandler(vendor, api, runtime, support),
      bodyErrors(vendor),
    );
  }

  app.use((req, res) => {
    writeProblem(
      res,
      new ProblemError(
        404,
        'Not Found',
        `nothing is mounted at ${req.path}; the vendors live under ${options.vendors
          .map(({ vendor }) => vendor.basePath)
          .join(', ')}`,
      ),
      (res.locals as RoutedLocals).requestId,
    );
  });
  app.use(lastErrors(options.logger));
  return app;
}

/** Whatever reaches express's error handler is answered as problem+json, never its HTML page with a stack. */
function lastErrors(logger: Logger): ErrorRequestHandler {
  return (error: { status?: number; message?: string }, _req, res, _next) => {
    const requestId = (res.locals as RoutedLocals).requestId;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status =
      typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error, requestId }, 'request failed');
    writeProblem(
      res,
      new ProblemError(
        status,
        status === 500 ? 'Internal error' : 'Bad request',
        status === 500 ? 'the mock failed; see its log' : (error.message ?? 'bad request'),
      ),
      requestId,
    );
  };
}
