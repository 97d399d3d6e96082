import type { RequestHandler } from 'express';
import { sameSecret } from '../core/secrets.js';
import { ProblemError, writeProblem } from './problem.js';

/**
 * `Authorization: Bearer <admin token>` when a token is set (`--admin-token`): the admin API, its event stream
 * and the sink's reads. Compared in constant time.
 */
export function requireAdminToken(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (token === undefined) return next();
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (match !== null && sameSecret(match[1]!, token)) return next();
    res.setHeader('www-authenticate', 'Bearer realm="vendor-webhook-mock admin"');
    writeProblem(res, new ProblemError(401, 'Unauthorized', 'send Authorization: Bearer <admin token>'));
  };
}
