import type { RequestHandler } from 'express';

/**
 * CORS for every origin, as `cors({ exposedHeaders: ['x-request-id'], maxAge: 600 })` answered it, without that
 * package's per-request option merging and callbacks: every answer allows any origin and exposes
 * `x-request-id`; a preflight (`OPTIONS`) gets the methods, the requested headers echoed, a max age of 600 s
 * and an empty 204.
 */
export function corsForAnyOrigin(): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET,HEAD,PUT,PATCH,POST,DELETE');
      res.setHeader('Vary', 'Access-Control-Request-Headers');
      const requested = req.headers['access-control-request-headers'];
      if (requested !== undefined && requested.length > 0)
        res.setHeader('Access-Control-Allow-Headers', requested);
      res.setHeader('Access-Control-Max-Age', '600');
      res.setHeader('Access-Control-Expose-Headers', 'x-request-id');
      res.statusCode = 204;
      res.setHeader('Content-Length', '0');
      res.end();
      return;
    }
    res.setHeader('Access-Control-Expose-Headers', 'x-request-id');
    next();
  };
}
