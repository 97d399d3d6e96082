/**
 * One regression test per finding of the outside attack on the mock (issue "No request may take the mock down
 * or poison it"). Each ran against the mock before its fix and failed; each names the behaviour it guards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MockServer } from '../../src/server/index.js';
import { deliver } from '../../src/core/delivery.js';
import { sameSecret } from '../../src/core/secrets.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';
import { assertConformsToSpec } from '../support/http.js';
import { startMockProcess } from '../support/process.js';

const SO_AUTH = { authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` };
const JSON_TYPE = { 'content-type': 'application/json' };

async function call(
  base: string,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Headers; text: string; json: unknown }> {
  const res = await fetch(`${base}${path}`, { method, headers: init.headers, body: init.body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A request to each vendor that must answer as it did before anything hostile happened. */
async function canaries(server: MockServer): Promise<number[]> {
  const c1 = await call(server.urls.c1, 'GET', '/api/v1/webhooks', {
    headers: { authorization: 'Bearer demo-c1-token' },
  });
  const shodai = await call(server.urls.shodai, 'GET', '/v0/webhooks', {
    headers: { 'x-api-key': 'cns_pk_demo_free' },
  });
  const so = await call(server.urls.superoffice, 'GET', '/api/v1/Webhook', { headers: SO_AUTH });
  const created = await call(server.urls.c1, 'POST', '/api/v1/webhooks', {
    headers: { authorization: 'Bearer demo-c1-token', ...JSON_TYPE },
    body: JSON.stringify({ displayName: 'canary', url: `${server.url}/__sink/canary` }),
  });
  return [c1.status, shodai.status, so.status, created.status];
}

describe('a SuperOffice webhook whose Headers cannot be sent', () => {
  let server: MockServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  const badHeaders: [string, Record<string, string>][] = [
    ['a CR/LF in a value', { 'X-Bad': 'a\r\nInjected: yes' }],
    ['a non-Latin-1 character', { 'X-Bad': 'snow ☃' }],
    ['a space in the name', { 'X Bad': 'x' }],
    ['an empty name', { '': 'x' }],
    ['Transfer-Encoding', { 'Transfer-Encoding': 'chunked' }],
    ['Host', { Host: 'elsewhere.example' }],
    ['Connection', { Connection: 'close' }],
    ['Upgrade', { Upgrade: 'websocket' }],
    ['a Proxy- header', { 'Proxy-Authorization': 'Basic eA==' }],
    ['the vendor signature header', { 'X-SuperOffice-Signature': 'forged' }],
  ];

  for (const [what, headers] of badHeaders) {
    test(`is refused with 400 in SuperOffice's format when Headers has ${what} (REST, agent, test calls)`, async () => {
      const base = server.urls.superoffice;
      const webhook = {
        Name: 'bad headers',
        Events: ['contact.created'],
        TargetUrl: `${server.url}/__sink/bad-headers`,
        Headers: headers,
      };
      const calls: [string, string, unknown][] = [
        ['POST', '/api/v1/Webhook', webhook],
        ['POST', '/api/v1/Webhook/Test', webhook],
        ['POST', '/api/v1/Agents/Webhook/TestWebhook', { Webhook: webhook }],
        ['POST', '/api/v1/Agents/Webhook/SaveWebhook', webhook],
        ['PUT', '/api/v1/Webhook/1', webhook],
      ];
      for (const [method, path, body] of calls) {
        const answer = await call(base, method, path, {
          headers: { ...SO_AUTH, ...JSON_TYPE },
          body: JSON.stringify(body),
        });
        assert.equal(answer.status, 400, `${method} ${path}: ${answer.text}`);
        assert.equal((answer.json as { ErrorType?: string }).ErrorType, 'ArgumentException');
        assertConformsToSpec('superoffice', method, path, {
          status: answer.status,
          headers: Object.fromEntries(answer.headers),
          body: answer.json,
          text: answer.text,
        });
      }
      assert.deepEqual(await canaries(server), [200, 200, 200, 200]);
    });
  }

  test('refuses a PATCH that stores such a header, so no later signal can use it', async () => {
    const answer = await call(server.urls.superoffice, 'PATCH', '/api/v1/Webhook/1', {
      headers: { ...SO_AUTH, 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'add', path: '/Headers/X-Bad', value: 'a\r\nb' }]),
    });
    assert.equal(answer.status, 400, answer.text);
    const signal = await call(server.urls.superoffice, 'POST', '/api/v1/Webhook/contact.created/7', {
      headers: SO_AUTH,
    });
    assert.equal(signal.status, 204);
    const delivered = server.deliveries.list({ vendor: 'superoffice', webhookId: '1' }).at(-1);
    assert.equal(delivered?.outcome.result.kind, 'response');
  });

  test('refuses a fixture file whose webhook Headers could not be sent, naming the path', async () => {
    await assert.rejects(
      startTestServer({
        webhooks: {
          superoffice: [
            {
              webhookId: 9,
              name: 'bad',
              events: ['contact.created'],
              targetUrl: 'http://127.0.0.1:9/x',
              headers: { 'Bad Name': 'x' },
            },
          ],
        },
      }),
      /\/webhooks\/1\/headers\/Bad Name: is not a valid header name/,
    );
  });
});

test('deliver() reports a header it cannot send as an outcome and never rejects', async () => {
  const receiver = await startReceiver();
  try {
    const cases: Record<string, string>[] = [
      { 'X-Bad': 'a\r\nb' },
      { 'Bad Name': 'x' },
      { 'X-Snow': '☃' },
      { '': 'x' },
    ];
    for (const headers of cases) {
      const outcome = await deliver(
        { url: receiver.url, headers, body: Buffer.from('{}') },
        { timeoutMs: 1000, maxResponseBytes: 1024 },
      );
      assert.equal(outcome.result.kind, 'invalid-request', JSON.stringify(headers));
    }
    assert.equal(receiver.received.length, 0);
  } finally {
    await receiver.close();
  }
});

test('a CLI process keeps serving after each hostile SuperOffice call that used to end it', async () => {
  const mock = await startMockProcess(['--port', '0', '--log-level', 'warn']);
  try {
    const base = `${mock.url}/superoffice`;
    const webhook = { TargetUrl: `${mock.url}/__sink/x`, Headers: { 'X-Bad': 'a\r\nb' } };
    for (const [path, body] of [
      ['/api/v1/Webhook/Test', webhook],
      ['/api/v1/Agents/Webhook/TestWebhook', { Webhook: webhook }],
      ['/api/v1/Webhook', { ...webhook, Name: 'x', Events: ['contact.created'] }],
    ] as const) {
      const answer = await call(base, 'POST', path, {
        headers: { ...SO_AUTH, ...JSON_TYPE },
        body: JSON.stringify(body),
      });
      assert.equal(answer.status, 400, answer.text);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(mock.child.exitCode, null, 'the process is still running');
    assert.equal((await call(mock.url, 'GET', '/__admin/health')).status, 200);
  } finally {
    assert.equal(await mock.stop(), 0);
  }
});

describe('prototype pollution through stored data', () => {
  let server: MockServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  const patches: [string, unknown][] = [
    ['add into __proto__', [{ op: 'add', path: '/Headers/__proto__/description', value: 'x' }]],
    [
      'replace through constructor',
      [{ op: 'add', path: '/Headers/constructor/prototype/polluted', value: 'x' }],
    ],
    ['remove an Object.prototype member', [{ op: 'remove', path: '/Properties/__proto__/toString' }]],
    ['a merge patch with __proto__', { Properties: { __proto__: { polluted: 'yes' } } }],
  ];

  for (const [what, patch] of patches) {
    test(`is refused or kept inside the webhook: ${what}`, async () => {
      const text = JSON.stringify(patch).replace('"__proto__"', '"__proto__"');
      const answer = await call(server.urls.superoffice, 'PATCH', '/api/v1/Webhook/1', {
        headers: {
          ...SO_AUTH,
          'content-type': Array.isArray(patch)
            ? 'application/json-patch+json'
            : 'application/merge-patch+json',
        },
        body: text,
      });
      assert.ok(answer.status === 400 || answer.status === 200, answer.text);
      const probe: Record<string, unknown> = {};
      assert.equal(probe.description, undefined);
      assert.equal(probe.polluted, undefined);
      assert.equal(typeof Object.prototype.toString, 'function');
      assert.deepEqual(await canaries(server), [200, 200, 200, 200]);
      await server.reset();
      assert.deepEqual(await canaries(server), [200, 200, 200, 200]);
    });
  }

  test('delivers a Property named constructor, toString or __proto__ as data, beside the event fields', async () => {
    const receiver = await startReceiver();
    try {
      const answer = await call(server.urls.superoffice, 'POST', '/api/v1/Webhook/Test', {
        headers: { ...SO_AUTH, ...JSON_TYPE },
        body: `{"TargetUrl":"${receiver.url}","Properties":{"constructor":1,"toString":"t","__proto__":{"a":1},"event":"not the event","PRIMARYKEY":5,"extra":true}}`,
      });
      assert.equal(answer.status, 200, answer.text);
      const body = receiver.received[0]!.rawBody.toString();
      const parsed = JSON.parse(body) as Record<string, unknown>;
      assert.equal(parsed.Event, 'test');
      assert.equal(parsed.PrimaryKey, 0);
      assert.equal(Object.hasOwn(parsed, 'event'), false, 'a Property differing only in case is left out');
      assert.equal(Object.hasOwn(parsed, 'PRIMARYKEY'), false);
      assert.equal(parsed.constructor, 1);
      assert.equal(parsed.toString, 't');
      assert.equal(parsed.extra, true);
      assert.match(body, /"__proto__":\{"a":1\}/);
    } finally {
      await receiver.close();
    }
  });
});

describe('the admin API, inspector and sink are same-origin only, and only for names the mock serves', () => {
  let server: MockServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  test('gives no CORS headers to another origin on the admin API and refuses its requests with 403', async () => {
    for (const [method, path] of [
      ['GET', '/__admin/requests'],
      ['POST', '/__admin/reset'],
      ['GET', '/__sink/c1-demo'],
      ['GET', '/__inspector/'],
    ] as const) {
      const answer = await call(server.url, method, path, { headers: { origin: 'http://evil.example' } });
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.equal(answer.headers.get('access-control-allow-origin'), null);
    }
    const preflight = await fetch(`${server.url}/__admin/reset`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    assert.notEqual(preflight.status, 204);
  });

  test('still answers the vendors routes with CORS for any origin', async () => {
    const answer = await call(server.urls.shodai, 'GET', '/v0/webhooks', {
      headers: { 'x-api-key': 'cns_pk_demo_free', origin: 'http://app.example' },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
  });

  test('refuses every route with 403 when the Host header names another host (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const url = new URL(server.url);
    for (const path of ['/__admin/health', '/__admin/requests', '/c1/api/v1/webhooks', '/__sink/x', '/']) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          { host: url.hostname, port: url.port, path, headers: { host: 'attacker.example' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 403, path);
    }
    assert.equal(
      (await call(server.url.replace('127.0.0.1', 'localhost'), 'GET', '/__admin/health')).status,
      200,
    );
  });
});

describe('the sink', () => {
  let server: MockServer;
  before(async () => {
    server = await startTestServer({}, { adminToken: 'sekret' });
  });
  after(async () => server.close());

  test('needs the admin token to be read when one is set', async () => {
    await call(server.url, 'POST', '/__sink/guarded', { body: '{}' });
    assert.equal((await call(server.url, 'GET', '/__sink/guarded')).status, 401);
    const read = await call(server.url, 'GET', '/__sink/guarded', {
      headers: { authorization: 'Bearer sekret' },
    });
    assert.equal(read.status, 200);
    assert.equal((read.json as { deliveries: unknown[] }).deliveries.length, 1);
  });

  test('keeps at most 100 boxes, dropping the oldest, and refuses odd or long names with 400', async () => {
    for (let index = 0; index < 150; index += 1) {
      assert.equal((await call(server.url, 'POST', `/__sink/box-${index}`, { body: 'x' })).status, 200);
    }
    assert.equal(server.sink.size, 100);
    assert.equal(server.sink.list('box-0').length, 0);
    assert.equal(server.sink.list('box-149').length, 1);
    assert.equal((await call(server.url, 'POST', `/__sink/${'n'.repeat(65)}`, { body: 'x' })).status, 400);
    assert.equal((await call(server.url, 'POST', '/__sink/a%20b', { body: 'x' })).status, 400);
  });

  test('answers a bad escape and a body over the limit as problem+json, never an HTML page', async () => {
    const escape = await call(server.url, 'POST', '/__sink/%E0%A4%A', { body: 'x' });
    assert.equal(escape.status, 400);
    assert.match(escape.headers.get('content-type') ?? '', /problem\+json/);
    const big = await call(server.url, 'POST', '/__sink/big', { body: 'x'.repeat(1024 * 1024 + 1) });
    assert.equal(big.status, 413);
    assert.match(big.headers.get('content-type') ?? '', /problem\+json/);
    assert.doesNotMatch(big.text, /<html|at \//i);
  });
});

describe('limits on work and storage', () => {
  let server: MockServer;
  before(async () => {
    server = await startTestServer({}, { storeLimit: 3 });
  });
  after(async () => server.close());

  test('refuses an XML body beyond the limits before parsing it (the 90 000-attribute body)', async () => {
    const attributes = Array.from({ length: 90_000 }, (_, index) => `a${index}="1"`).join(' ');
    const big = `<Webhook ${attributes}><Name>x</Name></Webhook>`;
    const answer = await call(server.urls.superoffice, 'POST', '/api/v1/Webhook', {
      headers: { ...SO_AUTH, 'content-type': 'application/xml' },
      body: big,
    });
    assert.equal(answer.status, 413, answer.text);
    const small = `<Webhook ${Array.from({ length: 250 }, (_, i) => `a${i}="1"`).join(' ')}><Name>x</Name></Webhook>`;
    const refused = await call(server.urls.superoffice, 'POST', '/api/v1/Webhook', {
      headers: { ...SO_AUTH, 'content-type': 'application/xml' },
      body: small,
    });
    assert.equal(refused.status, 400, refused.text);
    assert.match(refused.text, /more than 200 attributes/);
    const deep = `${'<a>'.repeat(40)}${'</a>'.repeat(40)}`;
    const nested = await call(server.urls.superoffice, 'POST', '/api/v1/Webhook', {
      headers: { ...SO_AUTH, 'content-type': 'application/xml' },
      body: deep,
    });
    assert.equal(nested.status, 400);
    assert.match(nested.text, /nest more than 32/);
  });

  test('refuses JSON nested deeper than 64 levels with a 400 in the vendor format, not a 500', async () => {
    const body = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    for (const [base, path, headers] of [
      [server.urls.c1, '/api/v1/webhooks', { authorization: 'Bearer demo-c1-token' }],
      [server.urls.shodai, '/v0/webhooks', { 'x-api-key': 'cns_pk_demo_free' }],
      [server.urls.superoffice, '/api/v1/Webhook', SO_AUTH],
    ] as const) {
      const answer = await call(base, 'POST', path, { headers: { ...headers, ...JSON_TYPE }, body });
      assert.equal(answer.status, 400, `${path}: ${answer.text}`);
    }
  });

  test('refuses creating webhooks beyond --store-limit in each vendor’s way', async () => {
    const c1 = [];
    for (let index = 0; index < 2; index += 1) {
      c1.push(
        await call(server.urls.c1, 'POST', '/api/v1/webhooks', {
          headers: { authorization: 'Bearer demo-c1-token', ...JSON_TYPE },
          body: JSON.stringify({ displayName: `w${index}`, url: `${server.url}/__sink/w` }),
        }),
      );
    }
    assert.deepEqual(
      c1.map((answer) => answer.status),
      [200, 429],
    );
    assert.equal((c1[1]!.json as { code: number }).code, 8);
    assertConformsToSpec('c1', 'POST', '/api/v1/webhooks', {
      status: 429,
      headers: Object.fromEntries(c1[1]!.headers),
      body: c1[1]!.json,
    });
    const shodai = [];
    for (let index = 0; index < 2; index += 1) {
      shodai.push(
        await call(server.urls.shodai, 'POST', '/v0/webhooks', {
          headers: { 'x-api-key': 'cns_pk_demo_free', ...JSON_TYPE },
          body: JSON.stringify({ url: `${server.url}/__sink/s` }),
        }),
      );
    }
    assert.deepEqual(
      shodai.map((answer) => answer.status),
      [201, 429],
    );
    assert.equal((shodai[1]!.json as { error: { code: string } }).error.code, 'limit_exceeded');
    const so = [];
    for (let index = 0; index < 3; index += 1) {
      so.push(
        await call(server.urls.superoffice, 'POST', '/api/v1/Webhook', {
          headers: { ...SO_AUTH, ...JSON_TYPE },
          body: JSON.stringify({ Name: `w${index}`, Events: ['x.y'], TargetUrl: `${server.url}/__sink/so` }),
        }),
      );
    }
    assert.deepEqual(
      so.map((answer) => answer.status),
      [200, 200, 400],
    );
    assert.equal((so[2]!.json as { ErrorType: string }).ErrorType, 'LimitExceededException');
  });
});

describe('SuperOffice saves', () => {
  let server: MockServer;
  let slow: Receiver;
  before(async () => {
    slow = await startReceiver();
    server = await startTestServer({}, { allowTargets: ['127.0.0.1:*'] });
  });
  after(async () => {
    await server.close();
    await slow.close();
  });

  test('keep a change that landed while another save waited for its test POST (no lost update)', async () => {
    const patch = (ops: unknown): Promise<{ status: number; text: string }> =>
      call(server.urls.superoffice, 'PATCH', '/api/v1/Webhook/1', {
        headers: { ...SO_AUTH, 'content-type': 'application/json-patch+json' },
        body: JSON.stringify(ops),
      });
    // the first PATCH moves the target to a receiver that answers its test POST 200, but only after 500 ms
    slow.behave({ kind: 'answer', status: 200, body: '', delayMs: 500 });
    const moving = patch([{ op: 'replace', path: '/TargetUrl', value: `${slow.url}/slow` }]);
    await slow.waitFor(1);
    // meanwhile a second PATCH renames it (same target: no test POST, saved at once)
    const renamed = await patch([{ op: 'replace', path: '/Name', value: 'renamed meanwhile' }]);
    assert.equal(renamed.status, 200, renamed.text);
    const moved = await moving;
    assert.equal(moved.status, 200, moved.text);
    const stored = await call(server.urls.superoffice, 'GET', '/api/v1/Webhook/1', { headers: SO_AUTH });
    const webhook = stored.json as { Name: string; TargetUrl: string };
    assert.equal(webhook.Name, 'renamed meanwhile');
    assert.equal(webhook.TargetUrl, `${slow.url}/slow`);
  });

  test('refuse switching a crmscript webhook to an HTTP webhook whose URL --allow-targets forbids', async () => {
    const created = await call(server.urls.superoffice, 'POST', '/api/v1/Webhook', {
      headers: { ...SO_AUTH, ...JSON_TYPE },
      body: JSON.stringify({
        Name: 'script',
        Events: ['contact.created'],
        TargetUrl: 'http://169.254.169.254/latest/meta-data',
        Type: 'crmscript',
      }),
    });
    assert.equal(created.status, 200, created.text);
    const id = (created.json as { WebhookId: number }).WebhookId;
    const switched = await call(server.urls.superoffice, 'PATCH', `/api/v1/Webhook/${id}`, {
      headers: { ...SO_AUTH, 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'replace', path: '/Type', value: 'webhook' }]),
    });
    assert.equal(switched.status, 400, switched.text);
    assert.match(switched.text, /not allowed/);
  });
});

test('answers a bad Prefer or X-Mock-Negative on an unauthenticated request with 401, not 400', async () => {
  const server = await startTestServer();
  try {
    const misuses: Record<string, string>[] = [
      { prefer: 'code=abc' },
      { 'x-mock-negative': 'nonsense' },
      { 'x-mock-scenario': 'nope' },
    ];
    for (const header of misuses) {
      const answer = await call(server.urls.shodai, 'POST', '/v0/webhooks/wh_demo_alice_1/test', {
        headers: header,
      });
      assert.equal(answer.status, 401, JSON.stringify(header));
    }
  } finally {
    await server.close();
  }
});

test('compares secrets in constant time and still tells equal from different ones', () => {
  assert.equal(sameSecret('demo-client-secret', 'demo-client-secret'), true);
  assert.equal(sameSecret('demo-client-secreT', 'demo-client-secret'), false);
  assert.equal(sameSecret('', 'x'), false);
  assert.equal(sameSecret('a much longer presented value', 'x'), false);
});

test('answers requests that arrive during start-up (503 or the real answer), never leaving them open', async () => {
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address() as { port: number };
      probe.close(() => resolve(address.port));
    });
  });
  const starting = startTestServer({}, { port });
  const statuses: number[] = [];
  const deadline = Date.now() + 10_000;
  let server: MockServer | undefined;
  void starting.then((started) => (server = started));
  while (server === undefined && Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/__admin/health`, {
        signal: AbortSignal.timeout(2000),
      });
      statuses.push(res.status);
      await res.arrayBuffer();
    } catch (error) {
      if ((error as Error).name === 'TimeoutError')
        throw new Error('a request during start-up got no answer', { cause: error });
    }
  }
  await (server ?? (await starting)).close();
  assert.ok(
    statuses.every((status) => status === 503 || status === 200),
    statuses.join(','),
  );
});

/** XML bodies that cost the parser most among those the limits let through (64 KiB, 2000 elements, 200 attributes). */
function worstAcceptedXml(): { name: string; body: string }[] {
  const pairs = (count: number, valueLength: number): string =>
    Array.from(
      { length: count },
      (_, index) =>
        `<KeyValueOfstringstring><Key>k${index}</Key><Value>${'v'.repeat(valueLength)}</Value></KeyValueOfstringstring>`,
    ).join('');
  const attributes = Array.from({ length: 195 }, (_, index) => ` a${index}="1"`).join('');
  return [
    {
      name: 'many elements',
      body: `<Webhook><Events>${'<string>e</string>'.repeat(1990)}</Events></Webhook>`,
    },
    { name: 'many pairs', body: `<Webhook><Headers>${pairs(300, 120)}</Headers></Webhook>` },
    { name: 'one long text', body: `<Webhook${attributes}><Name>${'n'.repeat(58_000)}</Name></Webhook>` },
  ].filter((entry) => Buffer.byteLength(entry.body) <= 64 * 1024);
}

test('parses the largest XML bodies it accepts in milliseconds, keeping the server responsive', async (t) => {
  const { parseSuperOfficeBody } = await import('../../src/vendors/superoffice/content.js');
  const bodies = worstAcceptedXml();
  assert.equal(bodies.length, 3, 'each worst case fits the 64 KiB XML limit');
  for (const { name, body } of bodies) {
    const started = performance.now();
    parseSuperOfficeBody('application/xml', Buffer.from(body));
    t.diagnostic(
      `${name} (${Buffer.byteLength(body)} bytes): parsed in ${(performance.now() - started).toFixed(1)} ms`,
    );
  }
  // from outside: a health probe's latency while those bodies are posted again and again to a real process
  const mock = await startMockProcess(['--port', '0', '--log-level', 'warn']);
  try {
    const stop = Date.now() + 2000;
    const posting = (async () => {
      while (Date.now() < stop) {
        for (const { body } of bodies) {
          await call(`${mock.url}/superoffice`, 'POST', '/api/v1/Webhook/Test', {
            headers: { ...SO_AUTH, 'content-type': 'application/xml' },
            body,
          });
        }
      }
    })();
    const latencies: number[] = [];
    while (Date.now() < stop) {
      const started = performance.now();
      await call(mock.url, 'GET', '/__admin/health');
      latencies.push(performance.now() - started);
    }
    await posting;
    latencies.sort((a, b) => a - b);
    const worst = latencies.at(-1) ?? 0;
    t.diagnostic(
      `health while parsing: ${latencies.length} probes, median ${latencies[latencies.length >> 1]?.toFixed(1)} ms, worst ${worst.toFixed(1)} ms`,
    );
    // the 979 KB body held every request for 5 s before the limits; a second is far beyond any parse now
    assert.ok(worst < 1000, `a health probe waited ${worst.toFixed(0)} ms`);
  } finally {
    await mock.stop();
  }
});
