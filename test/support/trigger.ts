/**
 * Triggering events in HTTP tests: through either door (`POST /__admin/trigger` or `mock.trigger()`), and
 * finding what a real receiver got for each delivery of the answer.
 */
import assert from 'node:assert/strict';
import type { TriggerRequest, TriggerResult, TriggeredDelivery } from '../../src/core/event-catalogue.js';
import type { DeliveryRecord } from '../../src/core/journal.js';
import type { MockServer } from '../../src/server/index.js';
import type { ReceivedRequest, Receiver } from './receiver.js';
import { specFor } from './spec-check.js';
import type { Vendor } from './spec-check.js';

/** The two ways in: the admin API over HTTP, and the programmatic facade. */
export type Door = 'admin' | 'programmatic';

/** The door the index-th case of a catalogue goes through: both are used, in turn. */
export function doorFor(index: number): Door {
  return index % 2 === 0 ? 'admin' : 'programmatic';
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** `POST /__admin/trigger` (with the admin token, if the mock has one); asserts 200 and answers the result. */
export async function triggerOverHttp(
  server: MockServer,
  request: TriggerRequest,
  adminToken?: string,
): Promise<TriggerResult> {
  const res = await fetch(`${server.url}/__admin/trigger`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(adminToken === undefined ? {} : { authorization: `Bearer ${adminToken}` }),
    },
    body: JSON.stringify(request),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `POST /__admin/trigger answered ${res.status}: ${text}`);
  return JSON.parse(text) as TriggerResult;
}

/** Triggers through the door asked for. */
export function triggerThrough(
  door: Door,
  server: MockServer,
  request: TriggerRequest,
): Promise<TriggerResult> {
  return door === 'admin' ? triggerOverHttp(server, request) : server.trigger(request);
}

/** `POST /__admin/trigger` with a body that must be refused: the status and the problem's `errors`. */
export async function refusedOverHttp(
  server: MockServer,
  body: unknown,
  status = 400,
): Promise<{ detail: string; errors: FieldProblem[] }> {
  const res = await fetch(`${server.url}/__admin/trigger`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const problem = JSON.parse(text) as { detail: string; errors: FieldProblem[] };
  assert.ok(Array.isArray(problem.errors));
  return problem;
}

/** `mock.trigger()` with a request that must be refused: the MockError's fields. */
export async function refusedProgrammatically(
  server: MockServer,
  request: TriggerRequest,
): Promise<FieldProblem[]> {
  try {
    await server.trigger(request);
  } catch (error) {
    const fields = (error as { fields?: FieldProblem[] }).fields;
    assert.ok(Array.isArray(fields), `the error carries fields: ${String(error)}`);
    return fields;
  }
  assert.fail('mock.trigger() resolved; it should have been refused');
}

/**
 * A trigger naming a webhook the vendor does not have: 404 over HTTP and a refusal from `mock.trigger()`, both
 * naming the `webhookId` field (the detail names the id), and nothing reaches the receiver.
 */
export async function assertUnknownWebhookRefused(
  server: MockServer,
  receiver: Receiver,
  request: TriggerRequest & { webhookId: string },
): Promise<void> {
  const before = receiver.received.length;
  const { detail, errors } = await refusedOverHttp(server, request, 404);
  assert.ok(detail.includes(request.webhookId), detail);
  assert.deepEqual(
    errors.map((problem) => problem.field),
    ['webhookId'],
  );
  assert.deepEqual(
    (await refusedProgrammatically(server, request)).map((problem) => problem.field),
    ['webhookId'],
  );
  assert.equal(receiver.received.length, before);
}

/** The one delivery of a result to `webhookId`. */
export function deliveryTo(result: TriggerResult, webhookId: string): TriggeredDelivery {
  const found = result.deliveries.filter((delivery) => delivery.webhookId === webhookId);
  assert.equal(found.length, 1, `one entry for ${webhookId} in ${JSON.stringify(result.deliveries)}`);
  return found[0]!;
}

/** The journal's record of a delivery. */
export function recordOf(server: MockServer, delivery: TriggeredDelivery): DeliveryRecord {
  assert.equal(delivery.delivered, true, `delivered: ${delivery.reason}`);
  assert.ok(delivery.deliveryId, 'a delivered entry names its delivery');
  const record = server.deliveries.all().find((entry) => entry.id === delivery.deliveryId);
  assert.ok(record, `the journal has ${delivery.deliveryId}`);
  return record;
}

/**
 * What the receiver got for a journalled delivery: the request at the delivery's path with the bytes and the
 * headers sent (a deliberate duplicate may be byte-identical to an earlier one: the latest is taken).
 */
export function receivedFor(receiver: Receiver, record: DeliveryRecord): ReceivedRequest {
  const { url, headers, body } = record.outcome.request;
  const target = new URL(url);
  const found = receiver.received.filter(
    (request) =>
      request.path === `${target.pathname}${target.search}` &&
      request.rawBody.equals(body) &&
      Object.entries(headers).every(([name, value]) => request.headers[name.toLowerCase()] === value),
  );
  assert.ok(found.length > 0, `the receiver got ${record.id}`);
  return found.at(-1)!;
}

/** The spec's problems with what the receiver got, against the `webhooks:` entry. */
export function specProblems(vendor: Vendor, specWebhook: string, request: ReceivedRequest): string[] {
  return specFor(vendor).checkDelivery(specWebhook, request.headers, request.rawBody.toString('utf8'));
}

export function bodyOf(request: ReceivedRequest): Record<string, unknown> {
  return JSON.parse(request.rawBody.toString('utf8')) as Record<string, unknown>;
}
