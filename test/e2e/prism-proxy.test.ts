/**
 * A second opinion on spec conformance: a sample of the suite's calls goes through Prism's validation proxy
 * (`prism proxy <spec> <mock> --errors`), which reports every response that breaks the vendored spec.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startMockServer } from '../../src/server/index.js';
import type { MockServer } from '../../src/server/index.js';
import { repoRoot } from '../support/process.js';
import { freePort } from '../support/receiver.js';

interface Prism {
  url: string;
  stop(): Promise<void>;
}

async function startPrism(spec: string, upstream: string): Promise<Prism> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    path.join(repoRoot, 'node_modules', '.bin', 'prism'),
    [
      'proxy',
      path.join(repoRoot, 'specs', spec),
      upstream,
      '--errors',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM'); // never left running when the test gives up on it
      reject(new Error(`Prism did not start: ${output}`));
    }, 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`Prism exited with ${code}: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Call {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  expectStatus: number;
}

/** Sends a call through Prism and returns the violations it reports (none when the answer conforms). */
async function violationsOf(prism: Prism, call: Call): Promise<string[]> {
  const res = await fetch(`${prism.url}${call.path}`, {
    method: call.method,
    headers: call.headers,
    body: call.body,
  });
  const text = await res.text();
  const problems: string[] = [];
  const header = res.headers.get('sl-violations');
  if (header !== null) problems.push(`sl-violations: ${header}`);
  if ((res.headers.get('content-type') ?? '').includes('problem+json') && text.includes('VIOLATIONS'))
    problems.push(text);
  if (res.status !== call.expectStatus)
    problems.push(`status ${res.status}, expected ${call.expectStatus}: ${text}`);
  return problems;
}

const json = { 'Content-Type': 'application/json' };
const c1 = { Authorization: 'Bearer demo-c1-token' };
const shodai = { 'X-API-Key': 'cns_pk_demo_free' };
const so = {
  Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}`,
  Accept: 'application/json',
};

const samples: Record<'c1' | 'shodai' | 'superoffice', Call[]> = {
  c1: [
    { method: 'GET', path: '/api/v1/webhooks?page_size=1', headers: c1, expectStatus: 200 },
    { method: 'GET', path: '/api/v1/webhooks/2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1', headers: c1, expectStatus: 200 },
    { method: 'GET', path: '/api/v1/webhooks/doesnotexist', headers: c1, expectStatus: 404 },
    {
      method: 'GET',
      path: '/api/v1/webhooks',
      headers: { Authorization: 'Bearer wrong' },
      expectStatus: 401,
    },
    {
      method: 'POST',
      path: '/api/v1/webhooks',
      headers: { ...c1, ...json },
      body: JSON.stringify({ displayName: 'via prism', url: 'https://example.com/hook' }),
      expectStatus: 200,
    },
    {
      method: 'POST',
      path: '/api/v1/webhooks/2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1',
      headers: { ...c1, ...json },
      body: JSON.stringify({ webhook: { description: 'changed' }, updateMask: 'description' }),
      expectStatus: 200,
    },
    {
      method: 'POST',
      path: '/api/v1/search/webhooks',
      headers: { ...c1, ...json },
      body: JSON.stringify({ query: 'demo', pageSize: 1 }),
      expectStatus: 200,
    },
    {
      method: 'POST',
      path: '/api/v1/webhooks/2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1/test',
      headers: { ...c1, ...json },
      body: '{}',
      expectStatus: 200,
    },
    {
      method: 'POST',
      path: '/api/v1/webhooks/2bWkJ8Qv3nYc5hT0dLx9ZfRmPa2/test',
      headers: { ...c1, ...json },
      body: '{}',
      expectStatus: 200,
    },
    {
      method: 'POST',
      path: '/auth/v1/token',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=demo-client%40demo.conductor.one%2Fpcc&client_secret=demo-client-secret',
      expectStatus: 200,
    },
    {
      method: 'POST',
      path: '/auth/v1/token',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=demo-client%40demo.conductor.one%2Fpcc&client_secret=wrong',
      expectStatus: 401,
    },
    { method: 'GET', path: '/auth/v1/jwks', expectStatus: 200 },
  ],
  shodai: [
    { method: 'GET', path: '/v0/webhooks', headers: shodai, expectStatus: 200 },
    { method: 'GET', path: '/v0/webhooks/wh_demo_alice_1', headers: shodai, expectStatus: 200 },
    { method: 'GET', path: '/v0/webhooks/wh_demo_bob_1', headers: shodai, expectStatus: 404 },
    { method: 'GET', path: '/v0/webhooks', headers: { 'X-API-Key': 'cns_pk_unknown' }, expectStatus: 401 },
    { method: 'GET', path: '/v0/webhooks', headers: { 'X-API-Key': 'cns_pk_demo_paid' }, expectStatus: 402 },
    {
      method: 'GET',
      path: '/v0/webhooks',
      headers: { 'X-API-Key': 'cns_pk_demo_blocked' },
      expectStatus: 403,
    },
    {
      method: 'POST',
      path: '/v0/webhooks',
      headers: { ...shodai, ...json },
      body: JSON.stringify({ url: 'https://example.com/hook', filters: {} }),
      expectStatus: 201,
    },
    {
      method: 'PATCH',
      path: '/v0/webhooks/wh_demo_alice_1',
      headers: { ...shodai, ...json },
      body: JSON.stringify({ eventTypes: ['agreement.transitioned'] }),
      expectStatus: 200,
    },
    { method: 'POST', path: '/v0/webhooks/wh_demo_alice_1/test', headers: shodai, expectStatus: 201 },
    { method: 'POST', path: '/v0/webhooks/wh_nope/test', headers: shodai, expectStatus: 404 },
  ],
  superoffice: [
    {
      method: 'POST',
      path: '/api/v1/Webhook/Test',
      headers: { ...so, ...json },
      body: JSON.stringify({ Name: 'prism', TargetUrl: '{{sink}}/superoffice-prism', Secret: 's' }),
      expectStatus: 200,
    },
    {
      method: 'POST',
      path: '/api/v1/Webhook/Test',
      headers: { ...so, ...json },
      body: JSON.stringify({ Name: 'prism', TargetUrl: '{{sink}}/superoffice-prism?status=500' }),
      expectStatus: 200,
    },
    { method: 'GET', path: '/api/v1/Webhook', headers: so, expectStatus: 200 },
    { method: 'GET', path: '/api/v1/Webhook?eventFilter=contact.created', headers: so, expectStatus: 200 },
    { method: 'GET', path: '/api/v1/Webhook/default', headers: so, expectStatus: 200 },
    { method: 'GET', path: '/api/v1/Webhook/1', headers: so, expectStatus: 200 },
    { method: 'GET', path: '/api/v1/Webhook/999', headers: so, expectStatus: 404 },
    { method: 'GET', path: '/api/v1/Webhook/1/LastError', headers: so, expectStatus: 200 },
    {
      method: 'POST',
      path: '/api/v1/Webhook',
      headers: { ...so, ...json },
      body: JSON.stringify({
        Name: 'via prism',
        Events: ['contact.created'],
        TargetUrl: '{{sink}}/so-prism-new',
      }),
      expectStatus: 200,
    },
    {
      method: 'PATCH',
      path: '/api/v1/Webhook/1',
      headers: { ...so, 'Content-Type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'replace', path: '/Name', value: 'patched via prism' }]),
      expectStatus: 200,
    },
    {
      method: 'POST',
      path: '/api/v1/Webhook/contact.created/7',
      headers: { ...so, ...json },
      body: '{}',
      expectStatus: 204,
    },
    {
      method: 'POST',
      path: '/api/v1/Agents/Webhook/GetAllWebhooks',
      headers: { ...so, ...json },
      body: '{}',
      expectStatus: 200,
    },
    {
      method: 'POST',
      path: '/api/v1/Webhook/Test',
      headers: { Authorization: 'Basic d3Jvbmc6d3Jvbmc=', Accept: 'application/json', ...json },
      body: JSON.stringify({ Name: 'prism', TargetUrl: '{{sink}}/superoffice-prism' }),
      expectStatus: 401,
    },
  ],
};

describe("Prism's validation proxy in front of the mock", () => {
  let mock: MockServer;
  before(async () => {
    mock = await startMockServer({ port: 0 });
  });
  after(() => mock.close());

  for (const vendor of ['c1', 'shodai', 'superoffice'] as const) {
    it(`reports no violations for a sample of ${vendor} calls`, async () => {
      const prism = await startPrism(`${vendor}.openapi.yaml`, mock.urls[vendor]);
      try {
        const problems: string[] = [];
        for (const call of samples[vendor]) {
          const body = call.body?.replaceAll('{{sink}}', `${mock.url}/__sink`);
          const found = await violationsOf(prism, { ...call, ...(body === undefined ? {} : { body }) });
          problems.push(...found.map((problem) => `${call.method} ${call.path}: ${problem}`));
        }
        assert.deepEqual(problems, []);
      } finally {
        await prism.stop();
      }
    });
  }

  it('is a check that can fail: Prism flags an answer that breaks the spec', async () => {
    const liar = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"list": "not a list", "nextPageToken": 7}');
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    const prism = await startPrism(
      'c1.openapi.yaml',
      `http://127.0.0.1:${(liar.address() as AddressInfo).port}`,
    );
    try {
      const found = await violationsOf(prism, {
        method: 'GET',
        path: '/api/v1/webhooks',
        headers: c1,
        expectStatus: 200,
      });
      assert.ok(found.length > 0, 'Prism reported nothing');
    } finally {
      await prism.stop();
      liar.closeAllConnections();
      await new Promise<void>((resolve) => liar.close(() => resolve()));
    }
  });
});
