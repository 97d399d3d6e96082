/**
 * `vendor-webhook-mock events` and `vendor-webhook-mock trigger` as real processes (the built CLI): the catalogue
 * without a mock; triggers through a running mock's admin API to real receivers, each delivery's signature
 * checked as a receiver checks it (jose against the mock's JWKS for C1, the HMACs recomputed) and its body
 * against the spec's `webhooks:` entry; C1's verdict on a valid and an invalid response document; and `--url`,
 * which needs no running mock.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TriggerResult } from '../../src/core/event-catalogue.js';
import { cataloguesOf } from '../../src/pipeline/event-desk.js';
import { vendors } from '../../src/vendors/index.js';
import { fixturesCopy, runCli, startMockProcess } from '../support/process.js';
import type { MockProcess } from '../support/process.js';
import { freePort, refusedUrl, startReceiver } from '../support/receiver.js';
import type { ReceivedRequest, Receiver } from '../support/receiver.js';
import { shodaiSignatureValid, superOfficeSignatureValid, verifyC1Delivery } from '../support/signatures.js';
import { specFor } from '../support/spec-check.js';
import type { Vendor } from '../support/spec-check.js';

const SHODAI_SECRET = `whsec_${'cd'.repeat(32)}`;
const SO_SECRET = 'trigger e2e secret';
const C1_HOOK = '2bWkJ8Qv3nYc5hT0dLx9ZfTRG01';
const SHODAI_HOOK = 'wh_e2e_trigger';
const SO_HOOK = '7';

const PROVISIONED = '{"version":"v1","complete":{"comment":"granted"}}';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The body's problems against the spec's `webhooks:` entry: none for a proper delivery. */
function specProblems(vendor: Vendor, webhook: string, request: ReceivedRequest): string[] {
  return specFor(vendor).checkDelivery(webhook, request.headers, request.rawBody.toString());
}

const json = (request: ReceivedRequest): Record<string, unknown> =>
  JSON.parse(request.rawBody.toString()) as Record<string, unknown>;

describe('the events command', () => {
  it('lists every event of every vendor without a running mock', async () => {
    const run = await runCli(['events']);
    assert.equal(run.code, 0, run.stderr);
    for (const catalogue of cataloguesOf(vendors)) {
      assert.match(
        run.stdout,
        new RegExp(`^${catalogue.title} \\(${catalogue.vendor}\\): \\d+ events$`, 'm'),
      );
      for (const event of catalogue.events) assert.ok(run.stdout.includes(`\n  ${event.name}\n`), event.name);
    }
    assert.match(run.stdout, /^ {6}variant temporal +A temporal rule fired/m);
  });

  it('prints the catalogue as JSON with --json, and only one vendor with --vendor', async () => {
    const all = await runCli(['events', '--json']);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(JSON.parse(all.stdout), { vendors: cataloguesOf(vendors) });
    const one = await runCli(['events', '--vendor', 'superoffice', '--json']);
    const parsed = JSON.parse(one.stdout) as { vendors: { vendor: string; events: unknown[] }[] };
    assert.deepEqual(
      parsed.vendors.map((catalogue) => catalogue.vendor),
      ['superoffice'],
    );
    assert.ok(parsed.vendors[0]!.events.length > 50);
  });

  it('refuses an unknown vendor with exit code 2 and one line', async () => {
    const run = await runCli(['events', '--vendor', 'acme']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^vendor-webhook-mock: option '--vendor <vendor>' argument 'acme' is invalid\./);
    assert.equal(run.stderr.split('\n').length, 2, run.stderr);
  });
});

describe('the trigger command against a running mock', () => {
  let receiver: Receiver;
  let mock: MockProcess;

  const trigger = (...args: string[]): Promise<Run> => runCli(['trigger', ...args, '--mock', mock.url]);

  before(async () => {
    receiver = await startReceiver();
    const fixtures = await fixturesCopy({
      c1: (text) =>
        `${text}  - id: ${C1_HOOK}\n    displayName: e2e trigger\n    url: '${receiver.url}/c1'\n`,
      shodai: (text) =>
        `${text}  - id: ${SHODAI_HOOK}\n    principalId: prn_demo_alice\n    url: '${receiver.url}/shodai'\n` +
        `    secret: ${SHODAI_SECRET}\n    eventTypes: [agreement.transitioned, agreement.notification.triggered]\n`,
      superoffice: (text) =>
        `${text}  - webhookId: ${SO_HOOK}\n    name: e2e trigger\n    events: [sale.sold]\n` +
        `    targetUrl: '${receiver.url}/superoffice'\n    secret: ${SO_SECRET}\n    state: Active\n    type: webhook\n`,
    });
    mock = await startMockProcess(['--port', '0', '--fixtures', fixtures, '--log-level', 'silent']);
  });

  after(async () => {
    await mock.stop();
    await receiver.close();
  });

  /** Runs the trigger and returns the one request it made the receiver get. */
  async function deliveredBy(run: () => Promise<Run>): Promise<{ run: Run; request: ReceivedRequest }> {
    const before = receiver.received.length;
    const result = await run();
    const received = receiver.received.slice(before);
    assert.equal(received.length, 1, `${result.stdout}${result.stderr}`);
    return { run: result, request: received[0]! };
  }

  it("delivers a C1 event with a JWT that verifies, and prints C1's verdict on a valid answer (exit 0)", async () => {
    receiver.behave({ kind: 'answer', status: 200, body: PROVISIONED });
    const event = 'c1.webhooks.v1.PayloadProvisionStep';
    const { run, request } = await deliveredBy(() => trigger('c1', event, '--webhook', C1_HOOK));
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(request.path, '/c1');
    await verifyC1Delivery(`${mock.url}/c1/auth/v1/jwks`, request.headers, request.rawBody, {
      audience: '127.0.0.1',
      issuer: new URL(mock.url).host,
      url: `${receiver.url}/c1`,
    });
    assert.deepEqual(specProblems('c1', event, request), []);
    assert.match(run.stdout, new RegExp(`^${C1_HOOK}: delivered to ${receiver.url}/c1$`, 'm'));
    assert.match(run.stdout, /^ {2}receiver {2}200$/m);
    assert.match(run.stdout, /^ {2}verdict {3}provisioning complete: "granted"$/m);
    assert.match(run.stdout, /^ {2}state {5}WEBHOOK_STATE_SUCCESS$/m);
    assert.match(run.stdout, /^OK: delivered to 1 webhook; each answered 2xx\.$/m);
    // the body line names the admin URL that shows exactly what the receiver got
    const shown = /^ {2}body {6}GET (\S+)/m.exec(run.stdout);
    assert.ok(shown, run.stdout);
    const { delivery: view } = (await (await fetch(shown[1]!)).json()) as {
      delivery: {
        request: { body: string };
        response: { status: number } | null;
        verdict?: { kind: string };
      };
    };
    assert.equal(view.request.body, request.rawBody.toString());
    assert.equal(view.response?.status, 200);
    assert.equal(view.verdict?.kind, 'provisioned');
  });

  it("prints C1's verdict on an invalid response document and its consequence, and exits 1", async () => {
    receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
    const event = 'c1.webhooks.v1.PayloadPolicyApprovalStep';
    const { run, request } = await deliveredBy(() => trigger('c1', event, '--webhook', C1_HOOK));
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.deepEqual(specProblems('c1', event, request), []);
    const why =
      'invalid response: a policy step answer needs exactly one of approve, deny, reassign and replacePolicy; ' +
      'it has none; the step is recorded as failed and the policy continues';
    assert.ok(run.stdout.includes(`\n  verdict   ${why}\n`), run.stdout);
    assert.match(run.stdout, /^ {2}state {5}WEBHOOK_STATE_FATAL_ERROR$/m);
    assert.ok(run.stdout.includes(`\nFAILED: ${C1_HOOK} ${why}.\n`), run.stdout);
  });

  it('changes the delivered Shodai body with --set, signed with the subscription secret', async () => {
    receiver.behave({ kind: 'answer', status: 200, body: '{}' });
    const { run, request } = await deliveredBy(() =>
      trigger(
        'shodai',
        'agreement.transitioned',
        '--webhook',
        SHODAI_HOOK,
        '--set',
        'agreementName=Renewal 2026',
        '--set',
        'toState=ACTIVE',
      ),
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.ok(shodaiSignatureValid(SHODAI_SECRET, request.headers, request.rawBody));
    assert.deepEqual(specProblems('shodai', 'agreement.transitioned', request), []);
    const body = json(request) as { type: string; data: { agreementName: string; toState: string } };
    assert.equal(body.type, 'agreement.transitioned');
    assert.equal(body.data.agreementName, 'Renewal 2026');
    assert.equal(body.data.toState, 'ACTIVE');
  });

  it('routes a Shodai event by eventTypes and says why the other subscriptions skipped it', async () => {
    const event = 'agreement.notification.triggered';
    const { run, request } = await deliveredBy(() => trigger('shodai', event, '--variant', 'temporal'));
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.ok(shodaiSignatureValid(SHODAI_SECRET, request.headers, request.rawBody));
    assert.deepEqual(specProblems('shodai', event, request), []);
    assert.equal((json(request).data as { triggerType: string }).triggerType, 'temporal');
    assert.match(run.stdout, /\(variant temporal\) → 3 webhooks$/m);
    assert.match(
      run.stdout,
      /^wh_demo_alice_1: skipped: eventTypes \["agreement\.transitioned"\] do not include/m,
    );
    assert.match(run.stdout, new RegExp(`^${SHODAI_HOOK}: delivered to ${receiver.url}/shodai$`, 'm'));
  });

  it('refuses a --set that breaks the schema with exit 2, naming the path, and sends nothing', async () => {
    const before = receiver.received.length;
    const run = await trigger(
      'shodai',
      'agreement.transitioned',
      '--webhook',
      SHODAI_HOOK,
      '--set',
      'fromState=5',
    );
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.equal(run.stdout, '');
    const lines = run.stderr.trimEnd().split('\n');
    assert.match(
      lines[0]!,
      /^vendor-webhook-mock: not sent: the event would not match .*agreement\.transitioned/,
    );
    assert.deepEqual(lines.slice(1), ['  fromState: must be string']);
    assert.equal(receiver.received.length, before);
  });

  it('sends the broken event anyway with --allow-invalid', async () => {
    const { run, request } = await deliveredBy(() =>
      trigger(
        'shodai',
        'agreement.transitioned',
        '--webhook',
        SHODAI_HOOK,
        '--set',
        'fromState=5',
        '--allow-invalid',
      ),
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal((json(request).data as { fromState: unknown }).fromState, 5);
    assert.ok(shodaiSignatureValid(SHODAI_SECRET, request.headers, request.rawBody));
    assert.match(specProblems('shodai', 'agreement.transitioned', request).join('\n'), /fromState/);
  });

  it('delivers a SuperOffice event with its HMAC and prints the trigger result as JSON with --json', async () => {
    const { run, request } = await deliveredBy(() =>
      trigger('superoffice', 'sale.sold', '--webhook', SO_HOOK, '--json'),
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.ok(superOfficeSignatureValid(SO_SECRET, request.headers, request.rawBody));
    assert.deepEqual(specProblems('superoffice', 'sale.sold', request), []);
    const result = JSON.parse(run.stdout) as TriggerResult;
    assert.equal(result.vendor, 'superoffice');
    assert.equal((result.part as { Event: string }).Event, 'sale.sold');
    assert.deepEqual(
      result.deliveries.map((delivery) => [delivery.webhookId, delivery.delivered, delivery.result?.status]),
      [[SO_HOOK, true, 200]],
    );
    assert.equal(json(request).EventId, request.headers['x-superoffice-eventid']);
  });

  it('refuses an unknown event, a bad --set and an unknown webhook with exit 2', async () => {
    const unknown = await trigger('shodai', 'agreement.signed');
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /^ {2}<event>: must be one of: agreement\.transitioned, agreement\.notification\.triggered$/m,
    );
    const badSet = await trigger('shodai', 'agreement.transitioned', '--set', 'agreementName');
    assert.equal(badSet.code, 2);
    assert.match(badSet.stderr, /--set takes path=value/);
    const noWebhook = await trigger('shodai', 'agreement.transitioned', '--webhook', 'wh_nope');
    assert.equal(noWebhook.code, 2);
    assert.match(
      noWebhook.stderr,
      /^vendor-webhook-mock: not sent: Webhook subscription not found: wh_nope$/m,
    );
  });

  it('says when no mock answers at --mock (exit 2)', async () => {
    const nowhere = new URL(await refusedUrl()).origin;
    const run = await runCli(['trigger', 'c1', 'c1.webhooks.v1.PayloadTest', '--mock', nowhere]);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      new RegExp(`^vendor-webhook-mock: no mock answers at ${nowhere} \\(ECONNREFUSED\\)`),
    );
  });
});

describe('the trigger command with an admin token', () => {
  let mock: MockProcess;
  before(async () => {
    mock = await startMockProcess(['--port', '0', '--admin-token', 'trigger-token', '--log-level', 'silent']);
  });
  after(() => mock.stop());

  it('needs --admin-token when the mock has one, and delivers with it', async () => {
    const args = ['trigger', 'superoffice', 'contact.created', '--mock', mock.url];
    const without = await runCli(args);
    assert.equal(without.code, 2);
    assert.match(without.stderr, /wants its token: pass --admin-token/);
    const withToken = await runCli([...args, '--admin-token', 'trigger-token']);
    assert.equal(withToken.code, 0, withToken.stdout + withToken.stderr);
    assert.match(withToken.stdout, /^1: delivered to http:\/\/\S+\/__sink\/superoffice-demo$/m);
  });
});

/** A C1 receiver that verifies each delivery's JWT against the JWKS of the mock on `port` while it runs. */
async function startVerifyingC1Receiver(
  port: number,
): Promise<{ url: string; verified: boolean[]; close(): Promise<void> }> {
  const verified: boolean[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
      );
      verifyC1Delivery(`http://127.0.0.1:${port}/c1/auth/v1/jwks`, headers, Buffer.concat(chunks), {
        audience: '127.0.0.1',
        issuer: `127.0.0.1:${port}`,
        url: `${url}/c1`,
      })
        .then(
          () => true,
          () => false,
        )
        .then((ok) => {
          verified.push(ok);
          res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
          res.end(ok ? PROVISIONED : '{"error":"unverified"}');
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    verified,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the trigger command with --url (no running mock)', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());

  it('delivers a Shodai event straight to the receiver, signed with --secret, and prints the body sent', async () => {
    const secret = `whsec_${'0f'.repeat(32)}`;
    const run = await runCli([
      'trigger',
      'shodai',
      'agreement.notification.triggered',
      '--url',
      `${receiver.url}/direct`,
      '--secret',
      secret,
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const [request] = await receiver.waitFor(1);
    assert.equal(request!.path, '/direct');
    assert.ok(shodaiSignatureValid(secret, request!.headers, request!.rawBody));
    assert.deepEqual(specProblems('shodai', 'agreement.notification.triggered', request!), []);
    assert.ok(run.stdout.includes(`\n  body      ${request!.rawBody.toString()}\n`), run.stdout);
    assert.doesNotMatch(run.stdout, /__admin/);
  });

  it("reports a SuperOffice state event about the receiver's own webhook, to which it is subscribed", async () => {
    const before = receiver.received.length;
    const run = await runCli([
      'trigger',
      'superoffice',
      'webhook.stopped',
      '--url',
      `${receiver.url}/so`,
      '--secret',
      SO_SECRET,
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const request = receiver.received[before]!;
    assert.ok(superOfficeSignatureValid(SO_SECRET, request.headers, request.rawBody));
    assert.deepEqual(specProblems('superoffice', 'webhook.stopped', request), []);
    const id = json(request).PrimaryKey;
    assert.equal(request.headers['x-superoffice-event'], `webhook${String(id)}.stopped`);
    assert.match(run.stdout, new RegExp(`^${String(id)}: delivered to ${receiver.url}/so$`, 'm'));
  });

  it("delivers a C1 event whose JWT the receiver verifies against that mock's JWKS while it runs", async () => {
    const port = await freePort();
    const verifying = await startVerifyingC1Receiver(port);
    try {
      const run = await runCli([
        'trigger',
        'c1',
        'c1.webhooks.v1.PayloadProvisionStep',
        '--url',
        `${verifying.url}/c1`,
        '--port',
        String(port),
      ]);
      assert.deepEqual(verifying.verified, [true]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^ {2}verdict {3}provisioning complete: "granted"$/m);
    } finally {
      await verifying.close();
    }
  });

  it('needs the Shodai secret (exit 2)', async () => {
    const run = await runCli(['trigger', 'shodai', 'agreement.transitioned', '--url', `${receiver.url}/x`]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^vendor-webhook-mock: --secret is required for shodai/);
  });
});
