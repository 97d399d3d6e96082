/**
 * The admin endpoints the web inspector (/__inspector) needs besides the journals and scenarios: a live stream
 * of journal entries, the mounted vendors, the stored webhooks, a test call per webhook and one delivery by id.
 */
import type { Request, Response } from 'express';
import type { Socket } from 'node:net';
import type { DeliveryRecord } from '../core/journal.js';
import { vendorSummary } from '../core/vendor-runtime.js';
import type { MountedVendor } from '../pipeline/types.js';
import type { AdminRoutes } from './admin-router.js';
import { ProblemError } from './problem.js';

const HEARTBEAT_MS = 15_000;
/** How long a new delivery's event waits for its causing request to be journalled (its check may need it). */
const CAUSE_WAIT_MS = 2000;
const CLOSE_CHECK_MS = 500;

/** The http.Server a request's socket belongs to (node sets `socket.server`), to notice it closing. */
function serverOf(req: Request): { listening: boolean } | undefined {
  return (req.socket as Socket & { server?: { listening: boolean } }).server;
}

/**
 * GET /events: server-sent events `request` and `delivery` (the same views as GET /requests and GET
 * /deliveries) for each new journal entry, `delivery` again when a journalled delivery changes (a later verdict,
 * its retry note), `reset` after POST /reset; `?vendor=` filters. It takes the admin
 * token only as `Authorization: Bearer`, like every admin endpoint: the inspector reads the stream with
 * fetch, so no token has to go into a URL.
 */
function eventStream(
  routes: AdminRoutes,
  resetListeners: Set<() => void>,
): (req: Request, res: Response) => void {
  const { control, views, vendorParam } = routes;
  const { requests, deliveries } = control;
  return (req, res) => {
    const vendor = vendorParam(req);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      // once the stream ends, the socket goes too: server.close() is not left waiting for it
      connection: 'close',
    });
    res.write('retry: 1000\n\n: connected\n\n');
    let queue = Promise.resolve();
    const send = (event: string, id: string, data: () => Promise<object> | object): void => {
      queue = queue
        .then(async () => {
          const payload = JSON.stringify(await data());
          if (!res.writableEnded) res.write(`event: ${event}\nid: ${id}\ndata: ${payload}\n\n`);
        })
        .catch(() => undefined);
    };
    const stopRequests = requests.subscribe((entry) => {
      if (vendor === undefined || entry.vendor === vendor) send('request', entry.id, () => entry);
    });
    const onDelivery = (entry: DeliveryRecord): void => {
      if (vendor === undefined || entry.vendor === vendor)
        send('delivery', entry.id, () => views.one(entry, CAUSE_WAIT_MS));
    };
    const stopDeliveries = deliveries.subscribe(onDelivery);
    // a delivery's later news (C1's verdict on a callback, what follows a failed attempt) is sent again whole
    const stopChanges = deliveries.subscribeChanges(onDelivery);
    const onReset = (): void => send('reset', `reset-${Date.now()}`, () => ({ status: 'reset' }));
    resetListeners.add(onReset);
    let ticks = 0;
    const timer = setInterval(() => {
      // an SSE stream would hold server.close() open forever: end it once the server stops listening
      if (serverOf(req)?.listening === false) {
        res.end();
        return;
      }
      ticks += 1;
      if (ticks * CLOSE_CHECK_MS >= HEARTBEAT_MS) {
        ticks = 0;
        res.write(': ping\n\n');
      }
    }, CLOSE_CHECK_MS);
    const stop = (): void => {
      clearInterval(timer);
      stopRequests();
      stopDeliveries();
      stopChanges();
      resetListeners.delete(onReset);
    };
    res.on('close', stop);
  };
}

function mountedVendor(vendors: readonly MountedVendor[], name: string): MountedVendor {
  const found = vendors.find(({ module }) => module.name === name);
  if (found === undefined)
    throw new ProblemError(
      404,
      'Unknown vendor',
      `vendor must be one of ${vendors.map(({ module }) => module.name).join(', ')}; got "${name}"`,
    );
  return found;
}

function addWebhookRoutes(routes: AdminRoutes): void {
  const { router, vendors, vendorParam, handle } = routes;
  const dispatch = routes.control.dispatch;
  const runtimeOf = (name: string): MountedVendor => mountedVendor(vendors, name);
  /** GET /vendors: the mounted vendors, for the inspector (names, titles, base paths, negative kinds). */
  router.get('/vendors', (_req, res) => {
    res.json({
      vendors: vendors.map(({ module }) => ({
        ...vendorSummary(module),
        negativeKinds: module.negativeKinds,
      })),
    });
  });

  /** GET /webhooks: each vendor's stored webhooks (id, name, url, status), for "send test" buttons. */
  router.get(
    '/webhooks',
    handle((req, res) => {
      const only = vendorParam(req);
      const webhooks = vendors
        .filter(({ module }) => only === undefined || module.name === only)
        .flatMap(({ module, runtime }) =>
          runtime.listWebhooks().map((webhook) => ({ vendor: module.name, ...webhook })),
        );
      res.json({ webhooks });
    }),
  );

  /**
   * POST /webhooks/{vendor}/{id}/test: makes the vendor's test call for a stored webhook the way a client
   * does — with a credential from the fixtures, through the pipeline in process — so spec validation,
   * authentication, scenarios and the request journal all apply. Answers with the vendor's answer.
   */
  router.post(
    '/webhooks/:vendor/:id/test',
    handle(async (req, res) => {
      const { module, runtime } = runtimeOf(String(req.params.vendor));
      const id = String(req.params.id);
      const call = runtime.testCall(id);
      if (call === undefined)
        throw new ProblemError(404, 'Unknown webhook', `${module.name} has no webhook "${id}"`);
      const answer = await dispatch(module.name, call);
      const text = answer.body.toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text) as unknown;
      } catch {
        json = undefined;
      }
      const reading = module.readTestAnswer(answer.status, json);
      res.json({
        vendor: module.name,
        webhookId: id,
        ok: reading.ok,
        summary: `HTTP ${answer.status}${reading.outcome === '' ? '' : ` · ${reading.outcome}`}`,
        request: { method: call.method, path: `${module.basePath}${call.path}`, requestId: answer.requestId },
        response: {
          status: answer.status,
          headers: answer.headers,
          body: text,
          ...(json === undefined ? {} : { json }),
        },
      });
    }),
  );
}

export function addInspectorRoutes(routes: AdminRoutes, resetListeners: Set<() => void>): void {
  const { router, control, views, handle } = routes;
  const { deliveries } = control;
  router.get('/events', handle(eventStream(routes, resetListeners)));
  addWebhookRoutes(routes);

  /**
   * GET /deliveries/{id}: a delivery by its journal id, or the last attempt of the event with this vendor-visible
   * id (C1 instance id, SuperOffice EventId, Shodai event or delivery id) — its verification checked again now —
   * with every attempt of that event in `deliveries` (oldest first).
   */
  router.get(
    '/deliveries/:id',
    handle(async (req, res) => {
      const id = String(req.params.id);
      const found = deliveries.find(id);
      const record = found.at(-1);
      if (record === undefined)
        throw new ProblemError(404, 'Unknown delivery', `no delivery or event "${id}" in the journal`);
      const eventId = record.eventIds[0];
      const attempts = eventId === undefined ? found : deliveries.list({ eventId });
      res.json({ delivery: await views.one(record), deliveries: await views.many(attempts) });
    }),
  );
}
