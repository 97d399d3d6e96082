/**
 * The admin endpoints the web inspector (/__inspector) needs besides the journals and scenarios: a live stream
 * of journal entries, the stored webhooks, a test call per webhook and one delivery by id.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Socket } from 'node:net';
import type { DeliveryJournal, RequestJournal, VendorName } from '../core/journal.js';
import type { DeliveryViews, InspectableVendor } from './delivery-verification.js';
import { ProblemError } from './problem.js';

export interface InspectorRouteOptions {
  vendors: readonly InspectableVendor[];
  requests: RequestJournal;
  deliveries: DeliveryJournal;
  views: DeliveryViews;
  /** Validates `?vendor=` (400 for an unknown one). */
  vendorParam(req: Request): VendorName | undefined;
  /** Wraps a handler so that what it throws reaches the router's problem+json error handler. */
  handle(fn: (req: Request, res: Response) => Promise<void> | void): RequestHandler;
}

/** Tells open event streams about a reset (their lists are stale). */
export interface EventStreams {
  broadcastReset(): void;
}

const HEARTBEAT_MS = 15_000;
/** How long a new delivery's event waits for its causing request to be journalled (its check may need it). */
const CAUSE_WAIT_MS = 2000;
const CLOSE_CHECK_MS = 500;
/** Longest a test call may take: the vendor's delivery timeout, scenario latency and a C1 callback wait. */
const TEST_CALL_TIMEOUT_MS = 120_000;

/** The origin this request came in on, to call the mock's own vendor routes from inside it. */
function ownOrigin(req: Request): string {
  const address = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${req.socket.localPort ?? 80}`;
}

/** The http.Server a request's socket belongs to (node sets `socket.server`), to notice it closing. */
function serverOf(req: Request): { listening: boolean } | undefined {
  return (req.socket as Socket & { server?: { listening: boolean } }).server;
}

export function addInspectorRoutes(router: Router, options: InspectorRouteOptions): EventStreams {
  const { vendors, requests, deliveries, views, vendorParam, handle } = options;
  const resetListeners = new Set<() => void>();

  /**
   * GET /events: server-sent events `request` and `delivery` (the same views as GET /requests and GET
   * /deliveries) for each new journal entry, `reset` after POST /reset; `?vendor=` filters. It takes the admin
   * token only as `Authorization: Bearer`, like every admin endpoint: the inspector reads the stream with
   * fetch, so no token has to go into a URL.
   */
  router.get(
    '/events',
    handle((req, res) => {
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
      const stopDeliveries = deliveries.subscribe((entry) => {
        if (vendor === undefined || entry.vendor === vendor)
          send('delivery', entry.id, () => views.one(entry, CAUSE_WAIT_MS));
      });
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
        resetListeners.delete(onReset);
      };
      res.on('close', stop);
    }),
  );

  const runtimeOf = (name: string): InspectableVendor => {
    const found = vendors.find(({ vendor }) => vendor.name === name);
    if (found === undefined)
      throw new ProblemError(
        404,
        'Unknown vendor',
        `vendor must be one of ${vendors.map(({ vendor }) => vendor.name).join(', ')}; got "${name}"`,
      );
    return found;
  };

  /** GET /webhooks: each vendor's stored webhooks (id, name, url, status), for "send test" buttons. */
  router.get(
    '/webhooks',
    handle((req, res) => {
      const only = vendorParam(req);
      const webhooks = vendors
        .filter(({ vendor }) => only === undefined || vendor.name === only)
        .flatMap(({ vendor, runtime }) =>
          (runtime.listWebhooks?.() ?? []).map((webhook) => ({ vendor: vendor.name, ...webhook })),
        );
      res.json({ webhooks });
    }),
  );

  /**
   * POST /webhooks/{vendor}/{id}/test: makes the vendor's test call for a stored webhook the way a client
   * does — an HTTP request to the mock's own vendor route with a credential from the fixtures — so spec
   * validation, authentication, scenarios and the request journal all apply. Answers with the vendor's answer.
   */
  router.post(
    '/webhooks/:vendor/:id/test',
    handle(async (req, res) => {
      const { vendor, runtime } = runtimeOf(String(req.params.vendor));
      const id = String(req.params.id);
      const call = runtime.testCall?.(id);
      if (call === undefined)
        throw new ProblemError(404, 'Unknown webhook', `${vendor.name} has no webhook "${id}"`);
      const url = `${ownOrigin(req)}${vendor.basePath}${call.path}`;
      let answer: globalThis.Response;
      try {
        answer = await fetch(url, {
          method: call.method,
          headers: call.headers,
          ...(call.body === undefined ? {} : { body: call.body }),
          redirect: 'manual',
          signal: AbortSignal.timeout(TEST_CALL_TIMEOUT_MS),
        });
      } catch (error) {
        throw new ProblemError(502, 'Test call failed', `${call.method} ${url}: ${(error as Error).message}`);
      }
      const text = await answer.text();
      let json: unknown;
      try {
        json = JSON.parse(text) as unknown;
      } catch {
        json = undefined;
      }
      res.json({
        vendor: vendor.name,
        webhookId: id,
        request: {
          method: call.method,
          path: `${vendor.basePath}${call.path}`,
          requestId: answer.headers.get('x-request-id'),
        },
        response: {
          status: answer.status,
          headers: Object.fromEntries(answer.headers.entries()),
          body: text,
          ...(json === undefined ? {} : { json }),
        },
      });
    }),
  );

  /** GET /deliveries/{id}: one delivery, its verification checked again now. */
  router.get(
    '/deliveries/:id',
    handle(async (req, res) => {
      const record = deliveries.all().find((entry) => entry.id === req.params.id);
      if (record === undefined)
        throw new ProblemError(
          404,
          'Unknown delivery',
          `no delivery "${String(req.params.id)}" in the journal`,
        );
      res.json({ delivery: await views.one(record) });
    }),
  );

  return {
    broadcastReset() {
      for (const listener of resetListeners) listener();
    },
  };
}
