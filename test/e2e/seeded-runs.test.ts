/**
 * Deterministic runs: two processes started with the same --seed and making the same calls deliver
 * byte-identical bodies and signatures (ids, timestamps, secrets and keys all derive from the seed).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixturesCopy, startMockProcess } from '../support/process.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';

const PUBLIC_URL = 'http://mock.test:4010';

interface Captured {
  answers: string[];
  deliveries: { path: string; headers: Record<string, string>; body: string }[];
}

/** Starts the CLI with these flags, makes one call of each kind, and returns the answers and deliveries. */
async function oneRun(receiver: Receiver, fixtures: string, seedArgs: string[]): Promise<Captured> {
  const mock = await startMockProcess(
    ['--port', '0', '--fixtures', fixtures, '--log-level', 'silent', ...seedArgs],
    {
      PUBLIC_URL,
    },
  );
  const seen = receiver.received.length;
  const answers: string[] = [];
  const call = async (path: string, init: RequestInit): Promise<void> => {
    const res = await fetch(`${mock.url}${path}`, init);
    const text = await res.text();
    // the mock's own origin differs from run to run (a free port), and the receiver stamps its own Date header
    answers.push(
      `${res.status} ${text.replaceAll(mock.url, PUBLIC_URL).replace(/Date: [^\\]+\\r/g, 'Date: *')}`,
    );
  };
  try {
    const json = { 'Content-Type': 'application/json' };
    await call('/shodai/v0/webhooks/wh_seeded/test', {
      method: 'POST',
      headers: { 'X-API-Key': 'cns_pk_demo_free' },
    });
    await call('/shodai/v0/webhooks', {
      method: 'POST',
      headers: { 'X-API-Key': 'cns_pk_demo_free', ...json },
      body: JSON.stringify({ url: `${receiver.url}/created`, filters: {} }),
    });
    await call('/c1/api/v1/webhooks/2bWkJ8Qv3nYc5hT0dLx9ZfSEED1/test', {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-c1-token', ...json },
      body: '{}',
    });
    await call('/c1/auth/v1/jwks', {});
    await call('/superoffice/api/v1/Webhook/Test', {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}`, ...json },
      body: JSON.stringify({ Name: 'seeded', TargetUrl: `${receiver.url}/so`, Secret: 'so-secret' }),
    });
  } finally {
    await mock.stop();
  }
  return {
    answers,
    deliveries: receiver.received.slice(seen).map((request) => ({
      path: request.path,
      headers: Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'date'].includes(name)),
      ),
      body: request.rawBody.toString('utf8'),
    })),
  };
}

describe('seeded runs', () => {
  let receiver: Receiver;
  let fixtures: string;
  before(async () => {
    receiver = await startReceiver();
    fixtures = await fixturesCopy({
      c1: (text) =>
        `${text}  - id: 2bWkJ8Qv3nYc5hT0dLx9ZfSEED1\n    displayName: seeded\n    url: '${receiver.url}/c1'\n`,
      shodai: (text) =>
        `${text}  - id: wh_seeded\n    principalId: prn_demo_alice\n    url: '${receiver.url}/shodai'\n    secret: whsec_${'5'.repeat(64)}\n`,
    });
  });
  after(() => receiver.close());

  it('delivers byte-identical bodies and signatures, and answers alike, with the same seed', async () => {
    const first = await oneRun(receiver, fixtures, ['--seed', '42']);
    const second = await oneRun(receiver, fixtures, ['--seed', '42']);
    assert.equal(first.deliveries.length, 3);
    assert.deepEqual(second.deliveries, first.deliveries);
    assert.deepEqual(second.answers, first.answers);
    assert.match(first.deliveries[0]!.body, /"createdAt":"2026-01-01T00:00:00.000Z"/);
  });

  it('differs with another seed, and starts the clock where told', async () => {
    const first = await oneRun(receiver, fixtures, ['--seed', '42']);
    const other = await oneRun(receiver, fixtures, ['--seed', '43', '--clock-start', '2027-03-04T05:06:07Z']);
    assert.notDeepEqual(other.deliveries, first.deliveries);
    assert.match(other.deliveries[0]!.body, /"createdAt":"2027-03-04T05:06:07.000Z"/);
  });

  it('differs from run to run without a seed', async () => {
    const first = await oneRun(receiver, fixtures, []);
    const second = await oneRun(receiver, fixtures, []);
    assert.notEqual(second.deliveries[0]!.body, first.deliveries[0]!.body);
  });
});
