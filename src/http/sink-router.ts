import express from 'express';
import type { Router } from 'express';
import { flattenHeaders } from '../core/delivery.js';
import type { Sink } from '../core/sink.js';

/**
 * The built-in receiver: `POST /__sink/{name}` takes any delivery and answers 200 (or `?status=NNN`);
 * `GET /__sink/{name}` lists what arrived.
 */
export function createSinkRouter(sink: Sink, clock: { now(): Date }): Router {
  const router = express.Router();
  router.get('/:name', (req, res) => {
    const name = req.params.name;
    res.json({ name, deliveries: sink.list(name) });
  });
  router.post('/:name', (req, res) => {
    sink.receive(req.params.name, {
      receivedAt: clock.now().toISOString(),
      method: req.method,
      path: req.originalUrl,
      headers: flattenHeaders(req.headers),
      body: Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '',
    });
    const requested = Number(req.query.status);
    const status = Number.isInteger(requested) && requested >= 200 && requested <= 599 ? requested : 200;
    // `{"version":"v1"}` is the smallest answer C1 accepts for a test event; the others ignore the body.
    res.status(status).json({ version: 'v1' });
  });
  return router;
}
