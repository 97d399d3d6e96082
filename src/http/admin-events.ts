/**
 * The admin API's event routes: the vendors' catalogues, triggering an event, the last triggers, and the
 * vendors' own records of their deliveries (C1's WebhookInstances, which C1's public API does not list).
 */
import type { TriggerRequest } from '../core/event-catalogue.js';
import type { AdminRoutes } from './admin-router.js';

export function addEventRoutes({ router, control, vendors, vendorParam, handle }: AdminRoutes): void {
  router.get(
    '/catalogue',
    handle((req, res) => {
      res.json({ vendors: control.events.catalogue(vendorParam(req)) });
    }),
  );

  router.post(
    '/trigger',
    handle(async (req, res) => {
      res.json(await control.events.trigger(req.body as TriggerRequest));
    }),
  );

  router.get(
    '/instances',
    handle((req, res) => {
      const only = vendorParam(req);
      res.json({
        instances: vendors
          .filter(({ module }) => only === undefined || module.name === only)
          .flatMap(({ module, runtime }) =>
            runtime.instances().map((instance) => ({ vendor: module.name, instance })),
          ),
      });
    }),
  );

  router.get('/triggers', (_req, res) => {
    res.json({ triggers: control.events.recent() });
  });
}
