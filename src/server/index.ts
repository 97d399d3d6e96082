/**
 * `startMockServer`: options → the vendors' specs, fixtures and scenarios (a bad file stops start-up before
 * anything listens) → listen (answering 503 until ready) → journals, sink, delivery engine → the vendors
 * started → the request listener in place → the programmatic facade.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { http } from '../core/node-http.js';
import type { AddressInfo } from 'node:net';
import { causeOf, verifyRecordedDelivery } from '../core/delivery-verification.js';
import { fillPlaceholders } from '../core/fixtures.js';
import { createActionDesk } from '../pipeline/action-desk.js';
import { createEventDesk } from '../pipeline/event-desk.js';
import { isTriggerId } from '../core/event-catalogue.js';
import { adminAppLoader } from './admin-app.js';
import { createServices } from './services.js';
import type { DeliveryEngine } from '../core/delivery-engine.js';
import { prefixedId } from '../core/ids.js';
import { ScenarioEngine } from '../core/scenario-engine.js';
import { servedHostCheck } from '../http/host-guard.js';
import { createListener } from '../http/listener.js';
import { handleRequest } from '../pipeline/handle-request.js';
import type { MountedVendor, PipelineServices } from '../pipeline/types.js';
import { vendorSummary } from '../core/vendor-runtime.js';
import { createFacade } from './facade.js';
import type { MockServer, VendorAnswer, VendorCall, VendorUrls } from './facade.js';
import { createLifecycle } from './lifecycle.js';
import { compileVendor, loadFixtures, loadScenarios, startVendors } from './mount.js';
import { resolveOptions } from './options.js';
import type { MockServerOptions, ResolvedOptions } from './options.js';

export { builtInScenariosDir, defaultFixturesDir } from './options.js';
export type { MockServerOptions } from './options.js';
export type {
  MockServer,
  ReloadStatus,
  VendorAnswer,
  VendorCall,
  VendorSummary,
  VendorUrls,
} from './facade.js';

/** The answer to a request that arrives while the mock is still starting. */
function answerStarting(_req: IncomingMessage, res: ServerResponse): void {
  const body = JSON.stringify({ status: 'starting' });
  res.writeHead(503, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'retry-after': '1',
    connection: 'close',
  });
  res.end(body);
}

function formatOrigin(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

async function listen(server: Server, options: ResolvedOptions): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return formatOrigin(options.host, (server.address() as AddressInfo).port);
}

/** A client's call through the pipeline in process: what the admin API's "send test" and check-receiver use. */
function inProcessCaller(
  vendors: readonly MountedVendor[],
  services: PipelineServices,
  options: ResolvedOptions,
): (vendor: string, call: VendorCall) => Promise<VendorAnswer> {
  return async (name, call) => {
    const mounted = vendors.find(({ module }) => module.name === name);
    if (mounted === undefined) throw new RangeError(`no vendor "${name}" is mounted`);
    const requestId = prefixedId(options.ids, 'req_');
    const [path = '/', query = ''] = call.path.split(/\?(.*)/s, 2);
    const headers = Object.fromEntries(
      Object.entries(call.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
    );
    const body = call.body === undefined ? Buffer.alloc(0) : Buffer.from(call.body);
    const answer = await handleRequest(
      mounted,
      {
        requestId,
        method: call.method,
        url: `${mounted.module.basePath}${call.path}`,
        path,
        query,
        headers,
        body,
      },
      services,
    );
    return { status: answer.status, headers: answer.headers, body: answer.body, requestId };
  };
}

/**
 * Stops accepting, lets in-flight calls finish (a keep-alive connection closes once it is idle), then waits for
 * deliveries still on their way (a client that hung up does not stop its test call's delivery).
 */
function closer(server: Server, beforeClose: () => void, engine: DeliveryEngine): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    beforeClose();
    closing ??= new Promise<void>((resolve, reject) => {
      const sweep = setInterval(() => server.closeIdleConnections(), 25);
      server.close((error) => {
        clearInterval(sweep);
        if (error) reject(error);
        else resolve();
      });
      server.closeIdleConnections();
    }).then(() => engine.drain());
    return closing;
  };
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const resolved = resolveOptions(options);
  const signingSeed = resolved.ids.bytes(32);

  // Bad specs, fixture or scenario files stop start-up before anything listens.
  const compiled = resolved.vendors.map(compileVendor);
  const rawFixtures = await loadFixtures(resolved.vendors, resolved.fixturesDir);
  const scenarios = new ScenarioEngine(
    await loadScenarios(compiled, resolved.fixturesDir),
    resolved.scenarios,
  );

  // Until the vendors are mounted, every request gets a 503 rather than an open connection with no answer.
  const server = http.createServer({ keepAliveTimeout: 5000 }, answerStarting);
  const url = await listen(server, resolved);
  try {
    return await mount(server, url, { resolved, compiled, rawFixtures, scenarios, signingSeed });
  } catch (error) {
    server.close();
    throw error;
  }
}

interface Prepared {
  resolved: ResolvedOptions;
  compiled: ReturnType<typeof compileVendor>[];
  rawFixtures: unknown[];
  scenarios: ScenarioEngine;
  signingSeed: Buffer;
}

async function mount(server: Server, url: string, prepared: Prepared): Promise<MockServer> {
  const { resolved, compiled, scenarios } = prepared;
  const services = createServices(resolved, url, scenarios, prepared.signingSeed);
  const { publicUrl, placeholders, deliveries, requests, sink } = services;
  const fixtures = prepared.rawFixtures.map((fixture) => fillPlaceholders(fixture, placeholders));
  const vendors = await startVendors(compiled, fixtures, services.contextFor);
  const events = createEventDesk(vendors, { ...services.pipeline, ids: resolved.ids });
  const actions = createActionDesk(vendors, resolved.logger);
  const lifecycle = createLifecycle({
    vendors,
    fixturesDir: resolved.fixturesDir,
    placeholders,
    fixtures,
    deliveries,
    requests,
    sink,
    scenarios,
    restartBodySeeds: services.restartBodySeeds,
    triggers: events,
    retries: services.time,
    clock: resolved.clock,
    logger: resolved.logger,
  });
  const call = inProcessCaller(vendors, services.pipeline, resolved);
  server.off('request', answerStarting);
  server.on(
    'request',
    createListener({
      vendors,
      services: services.pipeline,
      ids: resolved.ids,
      logger: resolved.logger,
      bodyLimitBytes: resolved.bodyLimitBytes,
      cors: resolved.cors,
      isServedHost: servedHostCheck({ bindHost: resolved.host, publicUrl, allowHosts: resolved.allowHosts }),
      app: adminAppLoader({ resolved, services, vendors, lifecycle, call, events, actions }),
    }),
  );
  const watcher = resolved.watch ? lifecycle.watchFiles() : undefined;
  return createFacade({
    url: publicUrl,
    localUrl: url,
    urls: Object.fromEntries(
      vendors.map(({ module }) => [module.name, `${publicUrl}${module.basePath}`]),
    ) as VendorUrls,
    vendors: vendors.map(({ module }) => vendorSummary(module)),
    deliveries,
    requests,
    sink,
    time: services.time,
    engine: services.engine,
    scenarios,
    lifecycle,
    verifyDelivery: async (record, waitForCauseMs = 2000) =>
      verifyRecordedDelivery(
        vendors.find(({ module }) => module.name === record.vendor)?.runtime,
        record,
        // a triggered delivery has no causing request to wait for
        await causeOf(requests, record.requestId, isTriggerId(record.requestId) ? 0 : waitForCauseMs),
      ),
    call,
    events,
    actions,
    close: closer(
      server,
      () => {
        watcher?.close();
        services.time.close();
      },
      services.engine,
    ),
  });
}
