/** The admin API's journal routes: inbound requests, outbound deliveries, and waiting for one. */
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
      const limit = integerParam(req, 'limit', 0, 100_000);
      const deliveries = control.deliveries.list({
        ...(vendor === undefined ? {} : { vendor }),
        ...(webhookId === undefined ? {} : { webhookId }),
      });
      res.json({ deliveries: await views.many(newest(deliveries, limit)) });
    }),
  );

  router.get(
    '/deliveries/wait',
    handle(async (req, res) => {
      const vendor = vendorParam(req);
      const webhookId = queryString(req, 'webhookId');
      const after = queryString(req, 'after');
      const timeoutMs = integerParam(req, 'timeoutMs', 10_000, MAX_WAIT_MS);
      const found = await control.deliveries.waitFor(
        {
          ...(vendor === undefined ? {} : { vendor }),
          ...(webhookId === undefined ? {} : { webhookId }),
          ...(after === undefined ? {} : { after }),
        },
        timeoutMs,
      );
      if (found === undefined)
        throw new ProblemError(408, 'No delivery yet', `no matching delivery arrived within ${timeoutMs} ms`);
      res.json({ delivery: await views.one(found) });
    }),
  );
}
