/**
 * Property-based robustness of *stored* data (fast-check, seeded): webhook Headers, Properties, names, URLs,
 * JSON Patch and merge patch documents, XML bodies, scenario and fixture documents are generated, saved through
 * every vendor's create/update/patch, and then everything that later uses them runs — test calls, signals,
 * lists, gets, the delivery journal and the inspector's views. After every case: the process is alive, nothing
 * answered 5xx, every answer is in the vendor's declared format, no promise was left unhandled, Object.prototype
 * is as it was, and a canary request to each vendor answers as before.
 *
 * Reproduce a failure with the seed and path fast-check prints: FC_SEED=<seed> FC_PATH=<path>.
 */
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { startMockServer } from '../../src/server/index.js';
import type { MockServer } from '../../src/server/index.js';
import { FixtureError } from '../../src/core/fixtures.js';
import { OperationCatalog } from '../../src/core/operation-catalog.js';
import { ScenarioEngine } from '../../src/core/scenario-engine.js';
import { ScenarioError, parseScenario } from '../../src/core/scenario-file.js';
import type { VendorName } from '../../src/core/journal.js';
import { readSpec } from '../../src/core/spec-document.js';
import { vendors } from '../../src/vendors/index.js';
import { assertConformsToSpec } from '../support/http.js';
import { startTestServer } from '../support/server.js';
import type { Vendor } from '../support/spec-check.js';

const SEED = Number(process.env.FC_SEED ?? 20_261_202);
const RUNS = Number(process.env.FC_RUNS ?? 120);
const PATH = process.env.FC_PATH;
const params = (numRuns: number): fc.Parameters<unknown> => ({
  seed: SEED,
  numRuns,
  ...(PATH === undefined ? {} : { path: PATH }),
  endOnFailure: true,
});

const SO_AUTH = { authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` };
const C1_AUTH = { authorization: 'Bearer demo-c1-token' };
const SHODAI_AUTH = { 'x-api-key': 'cns_pk_demo_free' };

let server: MockServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
const counts = { cases: 0, requests: 0 };
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = await startTestServer(
    {},
    { deliveryTimeoutMs: 2000, allowTargets: ['127.0.0.1:*', 'localhost:*'] },
  );
  loopDelay.enable();
});

after(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server?.close();
});

interface Answer {
  status: number;
  text: string;
  json: unknown;
}

/** One request; the answer must not be a 5xx and, on a vendor route, must match the vendor's spec. */
async function send(
  vendor: Vendor | 'admin',
  method: string,
  pathBelow: string,
  init: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const base = vendor === 'admin' ? server.url : server.urls[vendor];
  const res = await fetch(`${base}${pathBelow}`, { method, headers: init.headers, body: init.body });
  const text = await res.text();
  counts.requests += 1;
  let json: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') json = JSON.parse(text);
  assert.ok(res.status < 500, `${method} ${pathBelow} answered ${res.status}: ${text.slice(0, 300)}`);
  if (vendor !== 'admin') {
    assertConformsToSpec(vendor, method, pathBelow, {
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: json,
      text,
    });
  }
  return { status: res.status, text, json };
}

/** After each case: nothing leaked into Object.prototype and each vendor still answers its canary. */
async function assertUnharmed(): Promise<void> {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeNames);
  const probe: Record<string, unknown> = {};
  for (const name of ['polluted', 'description', 'x', 'a', 'Name', 'toJSON'])
    assert.equal(probe[name], undefined);
  assert.deepEqual(unhandled, []);
  assert.equal((await send('c1', 'GET', '/api/v1/webhooks', { headers: C1_AUTH })).status, 200);
  assert.equal((await send('shodai', 'GET', '/v0/webhooks', { headers: SHODAI_AUTH })).status, 200);
  assert.equal((await send('superoffice', 'GET', '/api/v1/Webhook', { headers: SO_AUTH })).status, 200);
  assert.equal((await send('admin', 'GET', '/__admin/health')).status, 200);
}

/** A trigger through the admin API: refused (4xx) or sent, never a 5xx. */
async function trigger(body: Record<string, unknown>): Promise<Answer> {
  return send('admin', 'POST', '/__admin/trigger', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** What the inspector reads after anything was stored: its journals and webhook list. */
async function inspectorViews(): Promise<void> {
  await send('admin', 'GET', '/__admin/deliveries?limit=5');
  await send('admin', 'GET', '/__admin/requests?limit=5');
  await send('admin', 'GET', '/__admin/webhooks');
}

// --------------------------------------------------------------------------------------------- arbitraries

/** Keys that have tripped object handling before, and anything else. */
const trickyKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'Event',
    'event',
    'EVENTID',
    'PrimaryKey',
    'WebhookName',
    '',
    ' ',
    'X-Custom',
    'Content-Type',
    'Content-Length',
    'Transfer-Encoding',
    'Host',
    'Connection',
    'Upgrade',
    'TE',
    'Proxy-Foo',
    'X-SuperOffice-Signature',
    'a\r\nb',
  ),
  fc.string({ maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
);
const headerValue = fc.oneof(
  fc.constantFrom('ok', '', 'a\r\nInjected: 1', 'x\u0000y', 'snow ☃', 'é'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const headers = fc.dictionary(trickyKey, headerValue, { maxKeys: 4 });
const properties = fc.dictionary(trickyKey, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }));
const eventName = fc.oneof(
  fc.constantFrom('contact.created', 'sale.sold', 'webhook1.stopped', 'a.b.c'),
  fc.string({ maxLength: 20 }),
);

function targetUrl(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant('{{sink}}/fuzz'),
    fc.constant('{{sink}}/fuzz?status=500'),
    fc.constant('{{sink}}/fuzz?status=410'),
    fc.webUrl(),
    text,
  );
}

/** `{{sink}}` → the mock's own sink, so saves that ping their target can succeed. */
function withSink<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('{{sink}}', `${server.url}/__sink`)) as T;
}

const soWebhook = fc.record(
  {
    Name: fc.oneof(text, fc.constant(null)),
    Events: fc.oneof(fc.array(eventName, { maxLength: 3 }), fc.constant(null)),
    TargetUrl: targetUrl(),
    Secret: fc.oneof(text, fc.constant(null)),
    Headers: fc.oneof(headers, fc.constant(null)),
    Properties: fc.oneof(properties, fc.constant(null)),
    State: fc.constantFrom('Active', 'Stopped', 'TooManyErrors', 'Unknown', 'active', 'bogus'),
    Type: fc.constantFrom('webhook', 'crmscript', 'WebHook', 'other'),
    ErrorsEmail: text,
  },
  { requiredKeys: ['TargetUrl'] },
);

const pathSegment = fc.oneof(
  fc.constantFrom(
    'Name',
    'Headers',
    'Properties',
    'Events',
    'TargetUrl',
    'State',
    'Type',
    'WebhookId',
    'Registered',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    '0',
    '1',
    '-',
    '~1',
    '~0',
    '',
  ),
  fc.string({ maxLength: 8 }),
);
const patchOperation = fc.record(
  {
    op: fc.constantFrom('add', 'replace', 'remove', 'test', 'move', 'copy', 'ADD', 'bogus'),
    path: fc.oneof(
      fc.array(pathSegment, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`),
      text,
    ),
    value: fc.jsonValue({ maxDepth: 3 }),
    from: fc.string({ maxLength: 10 }),
  },
  { requiredKeys: ['op', 'path'] },
);
const jsonPatch = fc.array(patchOperation, { minLength: 1, maxLength: 4 });
const mergePatch = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'Name',
      'Headers',
      'Properties',
      'Events',
      'TargetUrl',
      'State',
      'Type',
      '__proto__',
      '_Links',
    ),
    fc.string({ maxLength: 8 }),
  ),
  fc.oneof(fc.jsonValue({ maxDepth: 3 }), headers, properties),
  { maxKeys: 4 },
);

/** A Webhook as XML, sometimes with odd names, attributes, nil markers or no escaping at all. */
const xmlWebhook = fc
  .tuple(soWebhook, fc.boolean(), fc.array(fc.tuple(fc.string({ maxLength: 6 }), text), { maxLength: 3 }))
  .map(([webhook, escape, attributes]) => {
    const esc = (value: string): string =>
      escape ? value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : value;
    const attrs = attributes.map(([name, value]) => ` ${name}="${esc(value)}"`).join('');
    const element = (name: string, value: unknown): string => {
      if (value === null || value === undefined) return `<${name} i:nil="true"/>`;
      if (Array.isArray(value))
        return `<${name}>${value.map((item) => element('string', item)).join('')}</${name}>`;
      if (typeof value === 'object') {
        const pairs = Object.entries(value as Record<string, unknown>).map(
          ([key, item]) =>
            `<KeyValueOfstringstring>${element('Key', key)}${element('Value', String(item))}</KeyValueOfstringstring>`,
        );
        return `<${name}>${pairs.join('')}</${name}>`;
      }
      return `<${name}>${esc(String(value))}</${name}>`;
    };
    return `<Webhook xmlns:i="http://www.w3.org/2001/XMLSchema-instance"${attrs}>${Object.entries(webhook)
      .map(([key, value]) => element(key, value))
      .join('')}</Webhook>`;
  });

// ------------------------------------------------------------------------------------------------- SuperOffice

type SoSave =
  | { kind: 'post-json' | 'agent-save' | 'put'; webhook: Record<string, unknown> }
  | { kind: 'post-xml'; xml: string }
  | { kind: 'json-patch'; patch: unknown[] }
  | { kind: 'merge-patch'; patch: Record<string, unknown> };

const soSave: fc.Arbitrary<SoSave> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('post-json', 'agent-save', 'put'),
    webhook: soWebhook,
  }) as fc.Arbitrary<SoSave>,
  fc.record({ kind: fc.constant('post-xml'), xml: xmlWebhook }) as fc.Arbitrary<SoSave>,
  fc.record({ kind: fc.constant('json-patch'), patch: jsonPatch }) as fc.Arbitrary<SoSave>,
  fc.record({ kind: fc.constant('merge-patch'), patch: mergePatch }) as fc.Arbitrary<SoSave>,
);

async function saveSuperOffice(save: SoSave): Promise<Answer> {
  const json = { ...SO_AUTH, 'content-type': 'application/json', accept: 'application/json' };
  switch (save.kind) {
    case 'post-json':
      return send('superoffice', 'POST', '/api/v1/Webhook', {
        headers: json,
        body: JSON.stringify(withSink(save.webhook)),
      });
    case 'agent-save':
      return send('superoffice', 'POST', '/api/v1/Agents/Webhook/SaveWebhook', {
        headers: json,
        body: JSON.stringify(withSink(save.webhook)),
      });
    case 'put':
      return send('superoffice', 'PUT', '/api/v1/Webhook/1', {
        headers: json,
        body: JSON.stringify(withSink(save.webhook)),
      });
    case 'post-xml':
      return send('superoffice', 'POST', '/api/v1/Webhook', {
        headers: { ...SO_AUTH, 'content-type': 'application/xml', accept: 'application/json' },
        body: save.xml.replaceAll('{{sink}}', `${server.url}/__sink`),
      });
    case 'json-patch':
      return send('superoffice', 'PATCH', '/api/v1/Webhook/1', {
        headers: { ...json, 'content-type': 'application/json-patch+json' },
        body: JSON.stringify(withSink(save.patch)),
      });
    case 'merge-patch':
      return send('superoffice', 'PATCH', '/api/v1/Webhook/1', {
        headers: { ...json, 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify(withSink(save.patch)),
      });
  }
}

/** Everything that later reads or uses a stored SuperOffice webhook. */
async function useSuperOffice(id: number): Promise<void> {
  const json = { ...SO_AUTH, accept: 'application/json' };
  await send('superoffice', 'GET', '/api/v1/Webhook', { headers: json });
  await send('superoffice', 'GET', '/api/v1/Webhook', { headers: { ...SO_AUTH, accept: 'application/xml' } });
  const got = await send('superoffice', 'GET', `/api/v1/Webhook/${id}`, { headers: json });
  await send('superoffice', 'GET', `/api/v1/Webhook/${id}/LastError`, { headers: json });
  if (got.status === 200) {
    const webhook = got.json as { Events?: string[] };
    for (const event of (webhook.Events ?? []).slice(0, 2)) {
      if (event.includes('/') || event.trim() === '') continue;
      await send('superoffice', 'POST', `/api/v1/Webhook/${encodeURIComponent(event)}/7`, {
        headers: { ...json, 'content-type': 'application/json' },
        body: '{"name":"Acme"}',
      });
    }
    await send('admin', 'POST', `/__admin/webhooks/superoffice/${id}/test`);
  }
  await send('superoffice', 'POST', '/api/v1/Webhook/contact.created/1', { headers: json });
  // the stored webhook used later by triggered events: an entity event and its own state event
  await trigger({ vendor: 'superoffice', event: 'contact.created' });
  await trigger({ vendor: 'superoffice', event: 'webhook.stopped', set: { PrimaryKey: id } });
  await inspectorViews();
}

describe('stored SuperOffice webhooks', () => {
  test('never break the mock, whatever Headers, Properties, names, URLs, patches or XML were saved', async (t) => {
    await fc.assert(
      fc.asyncProperty(soSave, async (save) => {
        counts.cases += 1;
        await server.reset();
        const saved = await saveSuperOffice(save);
        const id = saved.status === 200 ? ((saved.json as { WebhookId?: number }).WebhookId ?? 1) : 1;
        await useSuperOffice(id);
        await assertUnharmed();
      }),
      params(RUNS * 2),
    );
    t.diagnostic(`cases ${counts.cases}, requests ${counts.requests}`);
  });
});

// -------------------------------------------------------------------------------------------------------- C1

const c1Webhook = fc.record(
  {
    displayName: text,
    description: text,
    url: targetUrl(),
    callbackTimeout: fc.oneof(fc.constantFrom('86400s', '0s', '-5s', '1.5s', 'forever'), text),
  },
  { requiredKeys: [] },
);
const c1Update = fc.record(
  {
    webhook: fc.oneof(c1Webhook, fc.constant(null)),
    updateMask: fc.oneof(
      fc.constantFrom('displayName', 'url,description', 'callbackTimeout', 'id', '', '__proto__'),
      text,
    ),
  },
  { requiredKeys: [] },
);

describe('stored C1 webhooks', () => {
  test('never break the mock, whatever names, URLs and timeouts were created or updated', async () => {
    await fc.assert(
      fc.asyncProperty(c1Webhook, c1Update, async (created, update) => {
        counts.cases += 1;
        await server.reset();
        const json = { ...C1_AUTH, 'content-type': 'application/json' };
        const made = await send('c1', 'POST', '/api/v1/webhooks', {
          headers: json,
          body: JSON.stringify(withSink(created)),
        });
        const id =
          made.status === 200
            ? (made.json as { webhook: { id: string } }).webhook.id
            : '2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1';
        await send('c1', 'POST', `/api/v1/webhooks/${id}`, {
          headers: json,
          body: JSON.stringify(withSink(update)),
        });
        await send('c1', 'GET', `/api/v1/webhooks/${id}`, { headers: C1_AUTH });
        await send('c1', 'POST', `/api/v1/webhooks/${id}/test`, { headers: json, body: '{}' });
        await send('c1', 'POST', '/api/v1/search/webhooks', {
          headers: json,
          body: JSON.stringify({ query: created.displayName ?? '' }),
        });
        await send('admin', 'POST', `/__admin/webhooks/c1/${encodeURIComponent(id)}/test`);
        await trigger({ vendor: 'c1', event: 'c1.webhooks.v1.PayloadProvisionStep', webhookId: id });
        await inspectorViews();
        await assertUnharmed();
      }),
      params(RUNS),
    );
  });
});

// ---------------------------------------------------------------------------------------------------- Shodai

const shodaiFilters = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'agreementIds',
      'templateIds',
      'inputIds',
      'fromStates',
      'toStates',
      'ruleIds',
      '__proto__',
    ),
    fc.string({ maxLength: 8 }),
  ),
  fc.oneof(fc.array(text, { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 })),
  { maxKeys: 3 },
);
const shodaiSubscription = fc.record(
  {
    url: targetUrl(),
    eventTypes: fc.oneof(
      fc.array(
        fc.oneof(fc.constantFrom('agreement.transitioned', 'agreement.notification.triggered'), text),
        {
          maxLength: 3,
        },
      ),
      fc.constant(null),
    ),
    filters: fc.oneof(shodaiFilters, fc.constant(null)),
    status: fc.constantFrom('active', 'disabled', 'paused'),
  },
  { requiredKeys: [] },
);

describe('stored Shodai subscriptions', () => {
  test('never break the mock, whatever URLs, event types and filters were created or patched', async () => {
    await fc.assert(
      fc.asyncProperty(shodaiSubscription, shodaiSubscription, async (created, patch) => {
        counts.cases += 1;
        await server.reset();
        const json = { ...SHODAI_AUTH, 'content-type': 'application/json' };
        const { status: _status, ...createBody } = created;
        const made = await send('shodai', 'POST', '/v0/webhooks', {
          headers: json,
          body: JSON.stringify(withSink(createBody)),
        });
        const id = made.status === 201 ? (made.json as { data: { id: string } }).data.id : 'wh_demo_alice_1';
        await send('shodai', 'PATCH', `/v0/webhooks/${id}`, {
          headers: json,
          body: JSON.stringify(withSink(patch)),
        });
        await send('shodai', 'GET', `/v0/webhooks/${id}`, { headers: SHODAI_AUTH });
        await send('shodai', 'POST', `/v0/webhooks/${id}/test`, { headers: SHODAI_AUTH });
        await send('shodai', 'GET', '/v0/webhooks?limit=5', { headers: SHODAI_AUTH });
        await send('admin', 'POST', `/__admin/webhooks/shodai/${id}/test`);
        // the stored filters and event types route triggered events
        await trigger({ vendor: 'shodai', event: 'agreement.transitioned' });
        await trigger({
          vendor: 'shodai',
          event: 'agreement.notification.triggered',
          variant: 'onTransition',
        });
        await inspectorViews();
        await assertUnharmed();
      }),
      params(RUNS),
    );
  });
});

// ---------------------------------------------------------------------------------------- trigger requests

const catalogue = vendors.flatMap((vendor) =>
  vendor.events.map((event) => ({ vendor: vendor.name, event: event.name })),
);
const triggerRequest = fc.record(
  {
    target: fc.oneof(fc.constantFrom(...catalogue), fc.record({ vendor: text, event: text })),
    webhookId: fc.oneof(text, fc.constantFrom('__proto__', '1', 'wh_demo_alice_1')),
    variant: fc.oneof(text, fc.constantFrom('deploy', 'temporal', 'constructor')),
    set: fc.dictionary(
      fc.oneof(
        trickyKey,
        fc.constantFrom('a.b.c', 'x[0]', '0', '__proto__.polluted', 'constructor.prototype.x'),
      ),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 4 },
    ),
    data: fc.jsonValue({ maxDepth: 3 }),
    allowInvalid: fc.oneof(fc.boolean(), text),
    negative: fc.oneof(text, fc.constantFrom('wrong-signature', 'duplicate-event-id')),
    count: fc.oneof(fc.integer({ min: -2, max: 4 }), fc.double(), text),
    concurrency: fc.oneof(fc.integer({ min: -1, max: 3 }), text),
    order: fc.oneof(fc.constantFrom('created', 'shuffled', 'reversed'), text),
    duplicates: fc.oneof(fc.double({ min: -1, max: 2 }), text),
  },
  { requiredKeys: ['target'] },
);

describe('trigger requests', () => {
  test('never break the mock, whatever the request names, sets, sends as data, or asks of a burst', async () => {
    await fc.assert(
      fc.asyncProperty(triggerRequest, async ({ target, ...rest }) => {
        counts.cases += 1;
        await server.reset();
        await trigger({ ...target, ...rest });
        await send('admin', 'GET', '/__admin/triggers');
        await send('admin', 'GET', '/__admin/instances');
        await inspectorViews();
        await assertUnharmed();
      }),
      params(RUNS),
    );
  });
});

test('keeps the event loop free while stored data is saved and used (reported)', (t) => {
  t.diagnostic(
    `stored-data runs: ${counts.cases} cases, ${counts.requests} requests, 0 crashes; event-loop delay max ${(
      loopDelay.max / 1e6
    ).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms`,
  );
  loopDelay.disable();
  assert.ok(counts.requests > 0);
});

// ------------------------------------------------------------------------------------- scenario and fixtures

const ruleLike = fc.record(
  {
    vendor: fc.oneof(fc.constantFrom('c1', 'shodai', 'superoffice'), text),
    operation: fc.oneof(
      fc.constantFrom('testWebhook', 'v1Webhook_TestWebhook', 'c1.api.webhooks.v1.WebhooksService.Test'),
      text,
    ),
    match: fc.oneof(
      fc.record(
        {
          webhook: text,
          credential: text,
          headers: fc.dictionary(trickyKey, text),
          body: fc.dictionary(trickyKey, fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    respond: fc.oneof(
      fc.record({ status: fc.integer({ min: 0, max: 700 }), body: fc.jsonValue({ maxDepth: 2 }) }),
      fc.jsonValue(),
    ),
    simulate: fc.oneof(
      fc.constantFrom('timeout', 'connection_refused'),
      fc.record({ status: fc.integer({ min: 100, max: 599 }) }),
      fc.jsonValue(),
    ),
    latency: fc.oneof(fc.integer({ min: -5, max: 50 }), fc.jsonValue()),
    times: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.jsonValue()),
    sequence: fc.array(
      fc.dictionary(
        fc.constantFrom('respond', 'pass', 'negative', 'latency', '__proto__'),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      { maxLength: 3 },
    ),
    negative: fc.oneof(fc.constantFrom('tampered-body', 'wrong-secret', 'nope'), fc.jsonValue()),
  },
  { requiredKeys: [] },
);
/** Rules close to valid ones (so many files load and their rules run), with tricky match data. */
const plausibleRule = fc.record(
  {
    vendor: fc.constant('shodai'),
    operation: fc.constantFrom('testWebhook', 'createWebhook', 'listWebhooks'),
    match: fc.record(
      {
        webhook: text,
        headers: fc.dictionary(trickyKey, text, { maxKeys: 2 }),
        body: fc.dictionary(trickyKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
      },
      { requiredKeys: [] },
    ),
    respond: fc.record({ status: fc.constantFrom(400, 401, 404) }),
    times: fc.integer({ min: 1, max: 3 }),
  },
  { requiredKeys: ['vendor', 'operation'] },
);

const scenarioDocument = fc.oneof(
  fc
    .record({
      name: fc.constant('plausible'),
      rules: fc.array(plausibleRule, { minLength: 1, maxLength: 3 }),
    })
    .map((doc) => stringify(doc)),
  fc
    .record(
      {
        name: fc.oneof(fc.constant('fuzzed'), text),
        description: text,
        rules: fc.array(ruleLike, { maxLength: 3 }),
      },
      { requiredKeys: ['rules'] },
    )
    .map((doc) => stringify(doc)),
  fc.jsonValue({ maxDepth: 3 }).map((value) => stringify(value)),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

describe('scenario and fixture documents', () => {
  test('a scenario file is either loaded or refused with a ScenarioError, and a loaded one decides safely', async () => {
    const catalogs = new Map<VendorName, OperationCatalog>();
    for (const vendor of vendors) {
      catalogs.set(vendor.name, new OperationCatalog(readSpec(vendor.specFile)));
    }
    let loaded = 0;
    fc.assert(
      fc.property(
        scenarioDocument,
        fc.dictionary(trickyKey, fc.jsonValue({ maxDepth: 2 })),
        (document, body) => {
          counts.cases += 1;
          let scenario;
          try {
            scenario = parseScenario('fuzzed.yaml', document, catalogs);
          } catch (error) {
            assert.ok(error instanceof ScenarioError, `not a ScenarioError: ${String(error)}`);
            return;
          }
          loaded += 1;
          const engine = new ScenarioEngine([scenario], [scenario.name]);
          for (const rule of scenario.rules) {
            engine.decide({ vendor: rule.vendor, operationId: rule.operation, headers: {}, body });
          }
          assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeNames);
        },
      ),
      params(RUNS * 3),
    );
    assert.ok(loaded > 0, 'some generated scenarios were valid');
  });

  test('a fixture folder either starts a mock that answers or is refused with a FixtureError', async () => {
    const mutateWebhook = fc.record(
      {
        id: fc.oneof(fc.constant('wh_fuzz_1'), text),
        principalId: fc.constant('prn_demo_alice'),
        url: targetUrl(),
        secret: fc.oneof(fc.constant(`whsec_${'a'.repeat(64)}`), text),
        eventTypes: fc.array(fc.constantFrom('agreement.transitioned', 'bogus'), { maxLength: 2 }),
        filters: shodaiFilters,
      },
      { requiredKeys: ['id', 'principalId', 'url', 'secret'] },
    );
    const soFixtureWebhook = fc.record(
      {
        webhookId: fc.integer({ min: -1, max: 50 }),
        name: text,
        events: fc.array(eventName, { maxLength: 2 }),
        targetUrl: targetUrl(),
        headers: headers,
        properties: properties,
        state: fc.constantFrom('Active', 'Stopped', 'x'),
      },
      { requiredKeys: ['webhookId', 'name', 'events', 'targetUrl'] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutateWebhook, { maxLength: 2 }),
        fc.array(soFixtureWebhook, { maxLength: 2 }),
        fc.array(fc.record({ id: text, displayName: text, url: targetUrl() }), { maxLength: 2 }),
        async (shodaiHooks, soHooks, c1Hooks) => {
          counts.cases += 1;
          const dir = await mkdtemp(path.join(tmpdir(), 'vwm-fuzz-fixtures-'));
          const fill = (value: unknown): unknown =>
            JSON.parse(JSON.stringify(value).replaceAll('{{sink}}', '{{sinkUrl}}'));
          await writeFile(
            path.join(dir, 'c1.yaml'),
            stringify({ accessTokens: [{ token: 'demo-c1-token' }], webhooks: fill(c1Hooks) }),
          );
          await writeFile(
            path.join(dir, 'shodai.yaml'),
            stringify({
              apiKeys: [
                { key: 'cns_pk_demo_free', principalId: 'prn_demo_alice', entitlement: 'free_allowlist' },
              ],
              webhooks: fill(shodaiHooks),
            }),
          );
          await writeFile(
            path.join(dir, 'superoffice.yaml'),
            stringify({
              contextIdentifier: 'Cust12345',
              associates: [{ associateId: 5, name: 'DEMO' }],
              basicUsers: [{ username: 'demo', password: 'demo', associateId: 5 }],
              webhooks: fill(soHooks),
            }),
          );
          let mock: MockServer;
          try {
            mock = await startMockServer({ port: 0, fixturesDir: dir });
          } catch (error) {
            assert.ok(error instanceof FixtureError, `not a FixtureError: ${String(error)}`);
            return;
          }
          try {
            for (const [base, pathBelow, auth] of [
              [mock.urls.c1, '/api/v1/webhooks', C1_AUTH],
              [mock.urls.shodai, '/v0/webhooks', SHODAI_AUTH],
              [mock.urls.superoffice, '/api/v1/Webhook', SO_AUTH],
            ] as const) {
              const res = await fetch(`${base}${pathBelow}`, { headers: auth });
              assert.equal(res.status, 200, `${pathBelow}: ${await res.text()}`);
            }
            const so = await fetch(`${mock.urls.superoffice}/api/v1/Webhook/contact.created/1`, {
              method: 'POST',
              headers: SO_AUTH,
            });
            assert.ok(so.status < 500);
          } finally {
            await mock.close();
          }
        },
      ),
      params(Math.max(10, Math.floor(RUNS / 4))),
    );
  });
});

test('reports the number of cases generated', (t) => {
  t.diagnostic(
    `fast-check seed ${SEED}: ${counts.cases} cases in all, ${counts.requests} requests, 0 crashes`,
  );
  assert.ok(counts.cases > 0);
});
