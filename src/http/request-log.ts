import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { IdSource } from '../core/ids.js';
import { prefixedId } from '../core/ids.js';
import { requestContext } from '../core/request-context.js';
import type { RoutedLocals } from './vendor-router.js';

/** Gives each request an id and logs one line when its answer is sent. */
export function requestLog(logger: Logger, ids: IdSource): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const locals = res.locals as RoutedLocals;
    locals.requestId = prefixedId(ids, 'req_');
    res.on('finish', () => {
      logger.info(
        {
          requestId: locals.requestId,
          method: req.method,
          url: req.originalUrl,
          status: res.statusCode,
          durationMs: Math.round((performance.now() - started) * 100) / 100,
          vendor: locals.vendor,
          operationId: locals.operationId,
        },
        'request',
      );
    });
    // the rest of the request's work, awaited or not, runs with its id (see core/last-resort.ts)
    requestContext.run({ requestId: locals.requestId }, next);
  };
}
