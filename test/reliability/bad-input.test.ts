/**
 * Bad input: ≥ 10 000 requests generated from the specs and mutated, across every operation of the three
 * vendors. No 5xx, no crash, and every answer (errors above all) in the vendor's declared format.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import type { MockServer } from '../../src/server/index.js';
import { MUTATIONS, fuzzOperations, fuzzRequest, send } from '../support/fuzz.js';
import type { FuzzOperation, FuzzRequest, RawAnswer } from '../support/fuzz.js';
import { startTestServer } from '../support/server.js';
import { specFor, vendorPath } from '../support/spec-check.js';
import type { Vendor } from '../support/spec-check.js';

const TOTAL = 10_200;
const CONCURRENCY = 8;
const BODY_LIMIT = 128 * 1024;

let server: MockServer;
let operations: FuzzOperation[];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  operations = await fuzzOperations();
  server = await startTestServer(
    {},
    {
      bodyLimitBytes: BODY_LIMIT,
      deliveryTimeoutMs: 1000,
      // deliveries to whatever URLs the generator makes up never leave the machine
      allowTargets: ['127.0.0.1:*', 'localhost:*'],
    },
  );
});

after(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server?.close();
});

function parsed(answer: RawAnswer): unknown {
  if (!String(answer.headers['content-type'] ?? '').includes('json')) return answer.text;
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    return answer.text;
  }
}

/** Operations whose error answers show each vendor's error format (they declare the most statuses). */
const ERROR_REFERENCE: Record<Vendor, { method: string; path: string }> = {
  c1: { method: 'POST', path: '/api/v1/webhooks' },
  shodai: { method: 'POST', path: '/v0/webhooks' },
  superoffice: { method: 'PATCH', path: '/api/v1/Webhook/1' },
};

/** What is wrong with one answer; empty when it is fine. */
function problemsWith(request: FuzzRequest, answer: RawAnswer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  // C1's OAuth token endpoint answers every read error as OAuth's invalid_request (400): its spec has no 413
  const overLimitStatus = request.operationId === 'c1.api.auth.v1.Token' ? 400 : 413;
  if (request.mutation === 'over-limit' && answer.status !== overLimitStatus)
    problems.push(`a body over the limit got ${answer.status}, not ${overLimitStatus}`);
  const contentType = answer.headers['content-type'];
  const type = Array.isArray(contentType) ? contentType[0] : contentType;
  const spec = specFor(request.vendor);
  const found = spec.checkResponse(
    request.method,
    vendorPath(request.vendor, request.path),
    answer.status,
    type,
    parsed(answer),
    answer.text,
  );
  // A status the spec does not declare for this operation (e.g. 413, which the vendors' specs rarely list) must
  // still be an error in the vendor's own format: the one the spec declares for that status, or for 400,
  // on the vendor's richest operation.
  const undeclared = found.length === 1 && / is not declared in the spec$/.test(found[0]!);
  if (undeclared && answer.status >= 400) {
    const reference = ERROR_REFERENCE[request.vendor];
    const asDeclared = spec.checkResponse(
      reference.method,
      reference.path,
      answer.status,
      type,
      parsed(answer),
      answer.text,
    );
    const asError = / is not declared in the spec$/.test(asDeclared[0] ?? '')
      ? spec.checkResponse(reference.method, reference.path, 400, type, parsed(answer), answer.text)
      : asDeclared;
    problems.push(...asError.map((problem) => `not in the vendor's error format: ${problem}`));
  } else problems.push(...found);
  return problems;
}

test(`${TOTAL} generated and mutated requests across every operation: no 5xx, every answer in the vendor's format`, async () => {
  assert.ok(operations.length >= 30, `only ${operations.length} operations found in the specs`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  const covered = new Set<string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      if (index >= TOTAL) return;
      const operation = operations[index % operations.length]!;
      const mutation = MUTATIONS[Math.floor(index / operations.length) % MUTATIONS.length]!;
      const request = fuzzRequest(operation, mutation, index + 1, BODY_LIMIT);
      const origin = `${server.localUrl}${operation.basePath}`;
      let answer: RawAnswer;
      try {
        answer = await send(agent, origin, request);
      } catch (error) {
        // the mock may cut a connection whose body it refused (over the limit); anything else is a failure
        if (mutation === 'over-limit') continue;
        failures.push(
          `${request.vendor} ${request.method} ${request.path.slice(0, 120)} [${mutation}]: ${String(error)}`,
        );
        continue;
      }
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      covered.add(`${request.vendor} ${request.operationId} ${mutation}`);
      const problems = problemsWith(request, answer);
      if (problems.length > 0 && failures.length < 50)
        failures.push(
          `${request.vendor} ${request.method} ${request.path.slice(0, 120)} [${mutation}] → ${answer.status}: ${problems.join('; ')}`,
        );
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  assert.deepEqual(failures, [], `${failures.length} bad answers:\n${failures.join('\n')}`);
  assert.deepEqual(unhandled, [], 'unhandled rejections');
  assert.ok(
    covered.size >= operations.length * (MUTATIONS.length - 1),
    `only ${covered.size} (operation, mutation) pairs answered`,
  );
  // the mock is still up and well
  const health = await fetch(`${server.localUrl}/__admin/health`);
  assert.equal(health.status, 200);
  process.stderr.write(
    `# statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}\n`,
  );
});

test('the default body limit is 1 MiB, and a body over it gets 413 in the vendor format', async () => {
  const defaults = await startTestServer();
  try {
    const agent = new http.Agent({ keepAlive: false });
    const cases: {
      vendor: 'c1' | 'shodai' | 'superoffice';
      base: string;
      path: string;
      headers: Record<string, string>;
    }[] = [
      {
        vendor: 'c1',
        base: '/c1',
        path: '/api/v1/webhooks',
        headers: { authorization: 'Bearer demo-c1-token' },
      },
      {
        vendor: 'shodai',
        base: '/shodai',
        path: '/v0/webhooks',
        headers: { 'x-api-key': 'cns_pk_demo_free' },
      },
      {
        vendor: 'superoffice',
        base: '/superoffice',
        path: '/api/v1/Webhook',
        headers: { authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` },
      },
    ];
    for (const { vendor, base, path, headers } of cases) {
      for (const size of [1024 * 1024 - 200, 1024 * 1024 + 1]) {
        const body = Buffer.from(`{"displayName":"${'x'.repeat(size - 20)}"}`);
        const answer = await send(agent, `${defaults.localUrl}${base}`, {
          method: 'POST',
          path,
          headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
          body,
        });
        if (body.length > 1024 * 1024) assert.equal(answer.status, 413, `${vendor} ${body.length} bytes`);
        else assert.notEqual(answer.status, 413, `${vendor}: ${body.length} bytes is under the limit`);
        assert.ok(answer.status < 500);
        assert.deepEqual(
          specFor(vendor).checkResponse(
            'POST',
            path,
            answer.status,
            String(answer.headers['content-type']),
            parsed(answer),
            answer.text,
          ),
          [],
          `${vendor} ${answer.status}: ${answer.text.slice(0, 200)}`,
        );
      }
    }
  } finally {
    await defaults.close();
  }
});
