import express from 'express';
import type { ErrorRequestHandler, Router } from 'express';
import { flattenHeaders } from '../core/delivery.js';
import type { Sink } from '../core/sink.js';
import { requireAdminToken } from './admin-auth.js';
import { ProblemError, writeProblem } from './problem.js';

export interface SinkRouterOptions {
  sink: Sink;
  /** The body a well-behaved receiver answers this delivery with, if a vendor knows it. */
  answerFor(body: Buffer, answer: string | undefined): unknown;
  clock: { now(): Date };
  /** Largest body accepted (the mock's body limit). */
  bodyLimitBytes: number;
  /** `--admin-token`: reading the sink needs it too (what arrived there is signed deliveries). */
  adminToken?: string;
}

/** Body-reading and path-decoding failures as problem+json, never express's HTML error page. */
const sinkErrors: ErrorRequestHandler = (error: { status?: number; message?: string }, _req, res, _next) => {
  const status =
    typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 400;
  writeProblem(
    res,
    new ProblemError(status, 'Bad sink request', error.message ?? 'the request could not be read'),
    res.locals.requestId as string | undefined,
  );
};

/**
 * The built-in receiver: `POST /__sink/{name}` takes any delivery and answers 200 (or `?status=NNN`);
 * `GET /__sink/{name}` lists what arrived (with `--admin-token`, only for `Authorization: Bearer <token>`).
 */
export function createSinkRouter(options: SinkRouterOptions): Router {
  const { sink, clock } = options;
  const router = express.Router();
  router.param('name', (_req, res, next, name: string) => {
    const problem = sink.nameProblem(name);
    if (problem === undefined) return next();
    writeProblem(
      res,
      new ProblemError(400, 'Bad sink name', problem),
      res.locals.requestId as string | undefined,
    );
  });
  router.get('/:name', requireAdminToken(options.adminToken), (req, res) => {
    const name = req.params.name as string;
    res.json({ name, deliveries: sink.list(name) });
  });
  router.post('/:name', express.raw({ type: () => true, limit: options.bodyLimitBytes }), (req, res) => {
    sink.receive(req.params.name as string, {
      receivedAt: clock.now().toISOString(),
      method: req.method,
      path: req.originalUrl,
      headers: flattenHeaders(req.headers),
      body: Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '',
    });
    const requested = Number(req.query.status);
    const status = Number.isInteger(requested) && requested >= 200 && requested <= 599 ? requested : 200;
    const answer = typeof req.query.answer === 'string' ? req.query.answer : undefined;
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // the answer a well-behaved receiver gives the vendor whose delivery this is (C1: a response document)
    res.status(status).json(options.answerFor(body, answer) ?? { version: 'v1' });
  });
  router.use(sinkErrors);
  return router;
}
