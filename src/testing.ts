/**
 * `vendor-webhook-mock/testing`: helpers for test runners (node:test, vitest, Jest, ...). One mock per test
 * file, a reset between tests, and expectations about the deliveries the code under test caused:
 *
 *   const mock = setupMock();
 *   before(() => mock.start());       // beforeAll in vitest and Jest
 *   afterEach(() => mock.reset());
 *   after(() => mock.close());        // afterAll
 *   ...
 *   const delivery = await mock.expectDelivery({ vendor: 'shodai', webhookId: 'wh_demo_alice_1' });
 *
 * `connectMock(url)` gives the same reset and expectations for a mock started elsewhere (Jest's globalSetup, a
 * container), through its admin API.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeliveryRecord, VendorName } from './core/journal.js';
import { deliveryView } from './http/admin-views.js';
import type { MockServer, MockServerOptions } from './server/index.js';
import { DeliveryExpectations } from './testing/expectations.js';
import type {
  DeliveryMatch,
  DeliverySource,
  DeliveryView,
  ExpectOptions,
  ExpectedDelivery,
} from './testing/expectations.js';

export { DeliveryExpectationError } from './testing/expectations.js';
export type { DeliveryMatch, ExpectOptions, ExpectedDelivery } from './testing/expectations.js';
export type { DeliveryVerification } from './core/vendor-module.js';
export type { MockServer, MockServerOptions } from './server/index.js';

/** What a test needs of a mock, wherever it runs. */
export interface MockHandle {
  /** The mock's origin, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** Each vendor's base URL: give it to the client under test. */
  readonly urls: Record<VendorName, string>;
  /** Store, journals, sink and scenarios back to the start; expectations start afresh. */
  reset(): Promise<void>;
  /**
   * Resolves with the next delivery matching `match` (one made before the call counts; each is handed out
   * once), waiting up to `within` ms (default 2000); rejects with a DeliveryExpectationError listing what was
   * delivered otherwise. `Body` types the parsed body.
   */
  expectDelivery<Body = unknown>(
    match?: DeliveryMatch,
    options?: ExpectOptions,
  ): Promise<ExpectedDelivery<Body>>;
  /** Rejects when a delivery matching `match` (not handed out yet) comes within `within` ms (default 500). */
  expectNoDelivery(match?: DeliveryMatch, options?: ExpectOptions): Promise<void>;
}

/** A mock in this process, for one test file. */
export interface TestMock extends MockHandle {
  /** Starts the mock (on a free port unless `port` says otherwise): in `before` / `beforeAll`. */
  start(): Promise<MockServer>;
  /** The running mock: journals, scenarios, clock, ... (see the programmatic API). */
  readonly server: MockServer;
  /** Stops the mock: in `after` / `afterAll`. */
  close(): Promise<void>;
}

const DEFAULT_WITHIN_MS = 2000;

function journalSource(server: () => MockServer): DeliverySource {
  const find = (id: string): DeliveryRecord => {
    const record = server()
      .deliveries.all()
      .find((entry) => entry.id === id);
    if (record === undefined) throw new Error(`delivery ${id} is no longer in the journal`);
    return record;
  };
  return {
    list: (match) =>
      Promise.resolve(
        server().deliveries.list({
          ...(match.vendor === undefined ? {} : { vendor: match.vendor }),
          ...(match.webhookId === undefined ? {} : { webhookId: match.webhookId }),
        }),
      ),
    load: async (id) => {
      const record = find(id);
      const verification = await server().verifyDelivery(record);
      const header = server().vendors.find((vendor) => vendor.name === record.vendor)?.signatureHeader;
      return { ...deliveryView(record, header ?? 'authorization'), verification };
    },
    changed: async (ms) => {
      await server().deliveries.next(() => true, ms);
    },
  };
}

/**
 * A mock for one test file: `start()` it before the tests, `reset()` it after each, `close()` it at the end.
 * `options` are startMockServer's; the port defaults to 0 (a free one).
 */
export function setupMock(options: MockServerOptions = {}): TestMock {
  let running: MockServer | undefined;
  const server = (): MockServer => {
    if (running === undefined)
      throw new Error('the mock is not running: call mock.start() in a before/beforeAll hook first');
    return running;
  };
  const expectations = new DeliveryExpectations(journalSource(server));
  return {
    async start() {
      // imported here, so that connectMock's users do not load the whole server
      const { startMockServer } = await import('./server/index.js');
      running ??= await startMockServer({ port: 0, ...options });
      return running;
    },
    get server() {
      return server();
    },
    get url() {
      return server().url;
    },
    get urls() {
      return server().urls;
    },
    async reset() {
      await server().reset();
      expectations.reset();
    },
    async close() {
      await running?.close();
      running = undefined;
    },
    expectDelivery: (match = {}, expectOptions = {}) =>
      expectations.expectDelivery(match, { within: DEFAULT_WITHIN_MS, ...expectOptions }),
    expectNoDelivery: (match = {}, expectOptions = {}) => expectations.expectNoDelivery(match, expectOptions),
  };
}

/** Each vendor's mount point on the mock (its base URL below the origin). */
const BASE_PATHS: Record<VendorName, string> = { c1: '/c1', shodai: '/shodai', superoffice: '/superoffice' };

async function adminCall<T>(
  url: string,
  token: string | undefined,
  path: string,
  method = 'GET',
): Promise<T> {
  const res = await fetch(`${url}/__admin${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
  });
  if (!res.ok) throw new Error(`${method} /__admin${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * The same reset and expectations for a mock that runs elsewhere — started in Jest's globalSetup, by the CLI,
 * in a container — through its admin API (`adminToken` when it has one).
 */
export function connectMock(url: string, options: { adminToken?: string } = {}): MockHandle {
  const origin = url.replace(/\/+$/, '');
  const token = options.adminToken;
  const seen = new Map<string, DeliveryView>();
  const expectations = new DeliveryExpectations({
    list: async (match) => {
      const query = new URLSearchParams({
        ...(match.vendor === undefined ? {} : { vendor: match.vendor }),
        ...(match.webhookId === undefined ? {} : { webhookId: match.webhookId }),
      });
      const { deliveries } = await adminCall<{ deliveries: DeliveryView[] }>(
        origin,
        token,
        `/deliveries?${query}`,
      );
      for (const delivery of deliveries) seen.set(delivery.id, delivery);
      return deliveries;
    },
    load: (id) => Promise.resolve(seen.get(id)!),
    // the admin API is polled: at most every 50 ms
    changed: async (ms) => {
      await sleep(Math.min(ms, 50));
    },
  });
  return {
    url: origin,
    urls: Object.fromEntries(
      Object.entries(BASE_PATHS).map(([vendor, base]) => [vendor, `${origin}${base}`]),
    ) as Record<VendorName, string>,
    async reset() {
      await adminCall(origin, token, '/reset', 'POST');
      seen.clear();
      expectations.reset();
    },
    expectDelivery: (match = {}, expectOptions = {}) =>
      expectations.expectDelivery(match, { within: DEFAULT_WITHIN_MS, ...expectOptions }),
    expectNoDelivery: (match = {}, expectOptions = {}) => expectations.expectNoDelivery(match, expectOptions),
  };
}
