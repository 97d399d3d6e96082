import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { requestIds } from './listener.js';

/** What the express app keeps about a request besides express's own: the id the listener gave it. */
export interface RequestLocals {
  requestId: string;
}

/** Takes the request's id from the listener and logs one line when its answer is sent. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const locals = res.locals as RequestLocals;
    locals.requestId = requestIds.get(req) ?? 'req_unknown';
    res.on('finish', () => {
      logger.info(
        {
          requestId: locals.requestId,
          method: req.method,
          url: req.originalUrl,
          status: res.statusCode,
          durationMs: Math.round((performance.now() - started) * 100) / 100,
        },
        'request',
      );
    });
    next();
  };
}
