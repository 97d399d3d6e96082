/**
 * The admin API's journal routes: inbound requests, outbound deliveries (by journal id or the vendor's event
 * id), waiting for one, and sending one again.
 */
import { ProblemError } from '../core/problem.js';
import type { AdminRoutes } from './admin-router.js';
import { integerParam, newest, queryString } from './admin-params.js';

const MAX_WAIT_MS = 60_000;

export function addJournalRoutes({ router, control, views, vendorParam, handle }: AdminRoutes): void {
  router.get(
    '/requests',
    handle((req, res) => {
      const vendor = vendorParam(req);
      const operationId = queryString(req, 'operation');
      const limit = integerParam(req, 'limit', 0, 100_000);
      const requests = control.requests.list({
        ...(vendor === undefined ? {} : { vendor }),
        ...(operationId === undefined ? {} : { operationId }),
      });
      res.json({ requests: newest(requests, limit) });
    }),
  );

  router.get(
    '/deliveries',
    handle(async (req, res) => {
      const vendor = vendorParam(req);
      const webhookId = queryString(req, 'webhookId');
      const eventId = queryString(req, 'eventId');
      const limit = integerParam(req, 'limit', 0, 100_000);
      const deliveries = control.deliveries.list({
        ...(vendor === undefined ? {} : { vendor }),
        ...(webhookId === undefined ? {} : { webhookId }),
        ...(eventId === undefined ? {} : { eventId }),
      });
      res.json({ deliveries: await views.many(newest(deliveries, limit)) });
    }),
  );

  router.get(
    '/deliveries/wait',
    handle(async (req, res) => {
      const vendor = vendorParam(req);
      const webhookId = queryString(req, 'webhookId');
      const eventId = queryString(req, 'eventId');
      const after = queryString(req, 'after');
      const timeoutMs = integerParam(req, 'timeoutMs', 10_000, MAX_WAIT_MS);
      const found = await control.deliveries.waitFor(
        {
          ...(vendor === undefined ? {} : { vendor }),
          ...(webhookId === undefined ? {} : { webhookId }),
          ...(eventId === undefined ? {} : { eventId }),
          ...(after === undefined ? {} : { after }),
        },
        timeoutMs,
      );
      if (found === undefined)
        throw new ProblemError(408, 'No delivery yet', `no matching delivery arrived within ${timeoutMs} ms`);
      res.json({ delivery: await views.one(found) });
    }),
  );

  /** Sends a delivery's event again (same event and ids, signed afresh), as the vendors' resend buttons do. */
  router.post(
    '/deliveries/:id/redeliver',
    handle(async (req, res) => {
      const id = String(req.params.id);
      const sending = control.redeliver(id);
      if (sending === undefined)
        throw new ProblemError(
          404,
          'Unknown delivery',
          `no delivery with id "${id}" can be sent again (the journal keeps the last ones only)`,
        );
      const outcome = await sending;
      const [record] = control.deliveries.find(outcome.deliveryId);
      res.json({ delivery: record === undefined ? null : await views.one(record) });
    }),
  );
}
