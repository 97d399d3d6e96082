/**
 * The server's request listener: the one place a request enters. It gives the request its id, refuses names
 * the mock does not serve (DNS rebinding), answers the health probe, hands the vendors' routes to the pipeline
 * adapter, and everything else (admin API, inspector, sink, home page) to the express app — loaded on the
 * first such request, so start-up does not pay for it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { prefixedId } from '../core/ids.js';
import type { IdSource } from '../core/ids.js';
import { ProblemError } from '../core/problem.js';
import { requestContext } from '../core/request-context.js';
import type { MountedVendor } from '../pipeline/types.js';
import { hostNameOf } from './host-guard.js';
import { writeProblem } from './problem.js';
import { serveVendorRoute } from './vendor-route.js';
import type { VendorRouteOptions } from './vendor-route.js';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The id the listener gave each request, for the express app's log line and error answers. */
export const requestIds = new WeakMap<IncomingMessage, string>();

export interface ListenerOptions extends VendorRouteOptions {
  vendors: readonly MountedVendor[];
  ids: IdSource;
  logger: Logger;
  isServedHost(hostHeader: string | undefined): boolean;
  /** The express app for the mock's own routes, made on first use. */
  app(): Promise<NodeHandler>;
}

/** The vendor whose base path starts this path (case-insensitively, as express matched mount points). */
function vendorFor(vendors: readonly MountedVendor[], path: string): MountedVendor | undefined {
  const lower = path.toLowerCase();
  return vendors.find(({ module }) => {
    const base = module.basePath.toLowerCase();
    return lower === base || lower.startsWith(`${base}/`);
  });
}

function health(res: ServerResponse, requestId: string): void {
  const body = '{"status":"ok"}';
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body.length),
    'x-request-id': requestId,
  });
  res.end(body);
}

/** One log line when the answer is sent, as the vendor routes and the express app log theirs. */
function logWhenSent(req: IncomingMessage, res: ServerResponse, requestId: string, logger: Logger): void {
  const started = performance.now();
  res.on('finish', () => {
    logger.info(
      {
        requestId,
        method: req.method,
        url: req.url,
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      },
      'request',
    );
  });
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  options: ListenerOptions,
): Promise<void> {
  if (!options.isServedHost(req.headers.host)) {
    logWhenSent(req, res, requestId, options.logger);
    writeProblem(
      res,
      new ProblemError(
        403,
        'Unknown host',
        `this mock does not serve the name "${req.headers.host ?? ''}" (a DNS rebinding guard); start it with --allow-hosts ${hostNameOf(req.headers.host ?? '')} to allow it`,
      ),
      requestId,
    );
    return;
  }
  const url = req.url ?? '/';
  const path = url.split('?', 1)[0] ?? '/';
  if (path === '/__admin/health' && req.method === 'GET' && req.headers.origin === undefined) {
    logWhenSent(req, res, requestId, options.logger);
    health(res, requestId);
    return;
  }
  const mounted = vendorFor(options.vendors, path);
  if (mounted !== undefined) {
    await serveVendorRoute(mounted, req, res, requestId, options);
    return;
  }
  (await options.app())(req, res);
}

export function createListener(options: ListenerOptions): NodeHandler {
  return (req, res) => {
    const requestId = prefixedId(options.ids, 'req_');
    requestIds.set(req, requestId);
    requestContext.run({ requestId }, () => {
      route(req, res, requestId, options).catch((error: unknown) => {
        options.logger.error({ err: error, requestId }, 'request failed');
        if (!res.headersSent)
          writeProblem(
            res,
            new ProblemError(500, 'Internal error', 'the mock failed; see its log'),
            requestId,
          );
        else res.destroy();
      });
    });
  };
}
