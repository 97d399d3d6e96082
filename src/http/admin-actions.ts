/**
 * The admin API's vendor actions (VendorDefinition.actions): `GET /vendors/{vendor}/actions` lists them,
 * `POST /vendors/{vendor}/actions/{name}` runs one, and so does the short form `POST /{vendor}/{name}` (e.g.
 * `POST /__admin/c1/rotate-key`). The short forms are routes of their own, one per mounted vendor and action,
 * added after every other admin route: they cannot take a path another admin route answers, and any other
 * path still gets the admin API's 404.
 */
import type { Request, Response } from 'express';
import { MockError } from '../core/errors.js';
import { ProblemError } from '../core/problem.js';
import type { AdminRoutes } from './admin-router.js';

/** A vendor action's MockError as the admin API's problem: 404 for an unknown vendor or action, else 400. */
function actionProblem(error: unknown): unknown {
  if (!(error instanceof MockError)) return error;
  if (error.kind === 'not-found') return new ProblemError(404, 'Unknown action', error.message);
  return new ProblemError(400, 'Action refused', error.message, { errors: error.fields });
}

export function addActionRoutes({ router, control, vendors, handle }: AdminRoutes): void {
  const run = async (vendor: string, name: string, req: Request, res: Response): Promise<void> => {
    try {
      const result = await control.actions.run(vendor, name, req.body as unknown);
      res.json(result ?? {});
    } catch (error) {
      throw actionProblem(error);
    }
  };

  router.get(
    '/vendors/:vendor/actions',
    handle((req, res) => {
      try {
        res.json(control.actions.list(String(req.params.vendor))[0]);
      } catch (error) {
        throw actionProblem(error);
      }
    }),
  );

  router.post(
    '/vendors/:vendor/actions/:name',
    handle((req, res) => run(String(req.params.vendor), String(req.params.name), req, res)),
  );

  for (const { module } of vendors) {
    for (const { name } of module.actions) {
      router.post(
        `/${module.name}/${name}`,
        handle((req, res) => run(module.name, name, req, res)),
      );
    }
  }
}
