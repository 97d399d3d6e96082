/**
 * The http adapter of the vendors' routes: a Node request becomes a pipeline request, the pipeline's answer is
 * written back. No express on this path: routing, parsing and validation are the pipeline's.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { flattenHeaders } from '../core/delivery.js';
import { handleRequest } from '../pipeline/handle-request.js';
import type { MountedVendor, PipelineServices } from '../pipeline/types.js';
import { readBody } from './read-body.js';

const EMPTY = Buffer.alloc(0);

export interface VendorRouteOptions {
  services: PipelineServices;
  logger: Logger;
  bodyLimitBytes: number;
  /** CORS for any origin on the vendors' routes (browser apps under development call them directly). */
  cors: boolean;
}

/**
 * CORS as `cors({ exposedHeaders: ['x-request-id'], maxAge: 600 })` answers it: every answer allows any origin
 * and exposes `x-request-id`; a preflight (`OPTIONS`) gets the methods, the requested headers echoed, a max
 * age of 600 s and an empty 204. Returns true when it answered the preflight.
 */
function applyCors(req: IncomingMessage, res: ServerResponse): boolean {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'x-request-id');
  if (req.method !== 'OPTIONS') return false;
  res.setHeader('Access-Control-Allow-Methods', 'GET,HEAD,PUT,PATCH,POST,DELETE');
  res.setHeader('Vary', 'Access-Control-Request-Headers');
  const requested = req.headers['access-control-request-headers'];
  if (requested !== undefined && requested.length > 0)
    res.setHeader('Access-Control-Allow-Headers', requested);
  res.setHeader('Access-Control-Max-Age', '600');
  res.writeHead(204, { 'Content-Length': '0' });
  res.end();
  return true;
}

/** Serves one request to a vendor's route (`url` starts with the vendor's base path). */
export async function serveVendorRoute(
  mounted: MountedVendor,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  options: VendorRouteOptions,
): Promise<void> {
  const started = performance.now();
  const url = req.url ?? '/';
  const routed: { operationId?: string } = {};
  res.on('finish', () => {
    options.logger.info(
      {
        requestId,
        method: req.method,
        url,
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        vendor: mounted.module.name,
        operationId: routed.operationId,
      },
      'request',
    );
  });
  if (options.cors && applyCors(req, res)) return;
  // no Content-Length and no Transfer-Encoding: the request has no body (RFC 9112 §6.3), nothing to read
  const hasBody =
    req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  const { body, error } = hasBody
    ? await readBody(req, options.bodyLimitBytes)
    : { body: EMPTY, error: undefined };
  const queryAt = url.indexOf('?');
  const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
  const answer = await handleRequest(
    mounted,
    {
      requestId,
      method: req.method ?? 'GET',
      url,
      path: rawPath.slice(mounted.module.basePath.length) || '/',
      query: queryAt === -1 ? '' : url.slice(queryAt + 1),
      headers: flattenHeaders(req.headers),
      body,
      ...(error === undefined ? {} : { bodyError: error }),
    },
    options.services,
  );
  if (answer.operationId !== undefined) routed.operationId = answer.operationId;
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
