/**
 * The `events` and `trigger` commands' own logic: reading `--set` and `--data`, naming refused fields by their
 * flags, judging a trigger's result (the exit code) and printing it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import type { TriggeredDelivery, TriggerResult } from '../../src/core/event-catalogue.js';
import { EVENT_VENDORS, formatCatalogue } from '../../src/events-cli/events-command.js';
import { TriggerNotSent, flagOf, formatNotSent } from '../../src/events-cli/not-sent.js';
import {
  collectSetPair,
  parseSetPair,
  readDataFile,
  setRecord,
  triggerRequestOf,
} from '../../src/events-cli/trigger-options.js';
import { mockOrigin } from '../../src/events-cli/mock-remote.js';
import {
  deliveryProblem,
  expectationOf,
  formatTriggerReport,
  judgeTrigger,
} from '../../src/events-cli/trigger-report.js';
import { cataloguesOf } from '../../src/pipeline/event-desk.js';
import type { VendorCatalogue } from '../../src/pipeline/event-desk.js';
import { vendors } from '../../src/vendors/index.js';

describe('--set path=value', () => {
  it('reads the value as JSON when it is JSON and as text otherwise', () => {
    assert.deepEqual(parseSetPair('PrimaryKey=42'), { path: 'PrimaryKey', value: 42 });
    assert.deepEqual(parseSetPair('flags.urgent=true'), { path: 'flags.urgent', value: true });
    assert.deepEqual(parseSetPair('toState="42"'), { path: 'toState', value: '42' });
    assert.deepEqual(parseSetPair('tags=["a","b"]'), { path: 'tags', value: ['a', 'b'] });
    assert.deepEqual(parseSetPair('agreementName=MSA — Acme'), {
      path: 'agreementName',
      value: 'MSA — Acme',
    });
  });

  it('splits at the first "=" only, so a value may contain more', () => {
    assert.deepEqual(parseSetPair('query=a=b'), { path: 'query', value: 'a=b' });
    assert.deepEqual(parseSetPair('comment='), { path: 'comment', value: '' });
  });

  it('refuses a pair without a path or without "=", and a path into the prototype', () => {
    assert.throws(() => parseSetPair('agreementName'), InvalidArgumentError);
    assert.throws(() => parseSetPair('=5'), /--set takes path=value/);
    assert.throws(() => parseSetPair('__proto__.polluted=1'), /"__proto__" cannot be a path segment/);
    assert.throws(() => parseSetPair('a.constructor=1'), /"constructor" cannot be a path segment/);
  });

  it('collects repeated flags, and a later pair for the same path wins', () => {
    const pairs = ['a=1', 'b.c=x', 'a=2'].reduce<ReturnType<typeof collectSetPair>>(
      (previous, text) => collectSetPair(text, previous),
      [],
    );
    assert.equal(pairs.length, 3);
    assert.deepEqual(setRecord(pairs), { a: 2, 'b.c': 'x' });
  });
});

describe('--data FILE.json', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vwm-trigger-data-'));
    await writeFile(path.join(dir, 'good.json'), '{"agreementId":"agr_1"}');
    await writeFile(path.join(dir, 'bad.json'), '{"agreementId":');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("reads the event's part from the file", async () => {
    assert.deepEqual(await readDataFile(path.join(dir, 'good.json')), { agreementId: 'agr_1' });
  });

  it('says when the file is missing, a folder, or not JSON', async () => {
    await assert.rejects(
      readDataFile(path.join(dir, 'none.json')),
      /cannot read --data .*none\.json: no such file/,
    );
    await assert.rejects(readDataFile(dir), /cannot read --data .*: it is a folder/);
    await assert.rejects(readDataFile(path.join(dir, 'bad.json')), (error: unknown) => {
      assert.ok(error instanceof TriggerNotSent);
      assert.match(error.message, /--data .*bad\.json is not JSON: /);
      return true;
    });
  });

  it('makes the trigger request from the flags, leaving out what was not given', async () => {
    assert.deepEqual(await triggerRequestOf('shodai', 'agreement.transitioned', {}), {
      vendor: 'shodai',
      event: 'agreement.transitioned',
    });
    assert.deepEqual(
      await triggerRequestOf('shodai', 'agreement.transitioned', {
        webhook: 'wh_1',
        variant: 'deploy',
        set: [{ path: 'toState', value: 'ACTIVE' }],
        data: path.join(dir, 'good.json'),
        allowInvalid: true,
        negative: 'tampered-body',
      }),
      {
        vendor: 'shodai',
        event: 'agreement.transitioned',
        webhookId: 'wh_1',
        variant: 'deploy',
        data: { agreementId: 'agr_1' },
        set: { toState: 'ACTIVE' },
        allowInvalid: true,
        negative: 'tampered-body',
      },
    );
  });
});

describe('a refused trigger', () => {
  it('names each field as the command line does', () => {
    assert.equal(flagOf('webhookId'), '--webhook');
    assert.equal(flagOf('event'), '<event>');
    assert.equal(flagOf('allowInvalid'), '--allow-invalid');
    assert.equal(flagOf('set.taskView.task.id'), '--set taskView.task.id');
    // a path inside the event (a schema problem) is the path to --set
    assert.equal(flagOf('fromState'), 'fromState');
    assert.equal(flagOf('constructor'), 'constructor');
  });

  it('prints the reason on one line and each field on a line of its own', () => {
    const text = formatNotSent(
      new TriggerNotSent('not sent: the event would not match the schema', [
        { field: 'fromState', message: 'must be string' },
        { field: 'webhookId', message: 'must be a non-empty string' },
      ]),
    );
    assert.equal(
      text,
      'vendor-webhook-mock: not sent: the event would not match the schema\n' +
        '  fromState: must be string\n' +
        '  --webhook: must be a non-empty string\n',
    );
  });

  it('takes the mock as an http(s) origin only', () => {
    assert.equal(mockOrigin('http://127.0.0.1:4010/'), 'http://127.0.0.1:4010');
    assert.throws(() => mockOrigin('localhost:4010'), /--mock must be an http or https URL, not localhost:/);
    assert.throws(() => mockOrigin('not a url'), /--mock not a url is not an absolute URL/);
  });
});

const delivered = (overrides: Partial<TriggeredDelivery> = {}): TriggeredDelivery => ({
  webhookId: 'wh_1',
  delivered: true,
  reason: 'matches eventTypes and filters',
  deliveryId: 'dlv_1',
  url: 'http://127.0.0.1:3000/hooks',
  result: { kind: 'response', status: 200 },
  ...overrides,
});

const skipped: TriggeredDelivery = {
  webhookId: 'wh_2',
  delivered: false,
  reason: 'eventTypes ["agreement.transitioned"] do not include "agreement.notification.triggered"',
  url: 'http://127.0.0.1:3000/other',
};

const resultOf = (deliveries: TriggeredDelivery[]): TriggerResult => ({
  triggerId: 'trg_1',
  vendor: 'shodai',
  event: 'agreement.transitioned',
  part: {},
  deliveries,
});

const invalidVerdict = {
  valid: false,
  kind: 'invalid-response',
  description: 'invalid response: it has none; the step is recorded as failed and the policy continues',
};

describe('judging a trigger (the exit code)', () => {
  it('is OK when something was delivered and each delivery got a 2xx; a skipped webhook does not count', () => {
    const judged = judgeTrigger(resultOf([delivered(), skipped]));
    assert.deepEqual(judged, { ok: true, summary: 'OK: delivered to 1 webhook; each answered 2xx.' });
  });

  it('fails for a non-2xx answer, a failure on the way and an invalid response document, naming the webhook', () => {
    const judged = judgeTrigger(
      resultOf([
        delivered({ webhookId: 'a', result: { kind: 'response', status: 500 } }),
        delivered({ webhookId: 'b', result: { kind: 'timeout', message: 'no answer within 10000 ms' } }),
        delivered({ webhookId: 'c', verdict: invalidVerdict }),
        delivered({ webhookId: 'd' }),
      ]),
    );
    assert.equal(judged.ok, false);
    assert.equal(
      judged.summary,
      `FAILED: a answered 500; b timeout: no answer within 10000 ms; c ${invalidVerdict.description}.`,
    );
  });

  it('fails when nothing was delivered, and says whether webhooks skipped it or there were none', () => {
    assert.deepEqual(judgeTrigger(resultOf([skipped, { ...skipped, webhookId: 'wh_3' }])), {
      ok: false,
      summary: 'FAILED: nothing was delivered: each of 2 webhooks skipped it.',
    });
    assert.deepEqual(judgeTrigger(resultOf([])), {
      ok: false,
      summary: 'FAILED: nothing was delivered: shodai has no webhook to send it to.',
    });
  });

  it('expects a negative delivery to be refused with a 4xx, but a repeated event id to be accepted', () => {
    assert.equal(expectationOf(undefined), 'accept');
    assert.equal(expectationOf('duplicate-event-id'), 'accept');
    assert.equal(expectationOf('tampered-body'), 'refuse');
    const refused = delivered({ result: { kind: 'response', status: 401 } });
    assert.equal(deliveryProblem(refused, 'refuse'), undefined);
    assert.equal(deliveryProblem(delivered(), 'refuse'), 'accepted it (200)');
    assert.equal(
      deliveryProblem(delivered({ result: { kind: 'response', status: 503 } }), 'refuse'),
      'answered 503; a refusal is a 4xx',
    );
    assert.deepEqual(judgeTrigger(resultOf([refused]), 'wrong-secret'), {
      ok: true,
      summary: 'OK: delivered to 1 webhook; each refused it (4xx).',
    });
    assert.equal(judgeTrigger(resultOf([refused]), 'duplicate-event-id').ok, false);
  });
});

describe('the trigger report', () => {
  it("shows each webhook's delivery, the receiver's answer, the verdict, the state and where the body is", () => {
    const text = formatTriggerReport(
      {
        ...resultOf([
          delivered({
            verdict: invalidVerdict,
            record: { state: 'WEBHOOK_STATE_FATAL_ERROR' },
          }),
          skipped,
        ]),
        variant: 'deploy',
      },
      { mockUrl: 'http://127.0.0.1:4010' },
    );
    assert.equal(
      text,
      [
        'trigger trg_1: shodai agreement.transitioned (variant deploy) → 2 webhooks',
        '',
        'wh_1: delivered to http://127.0.0.1:3000/hooks',
        '  why       matches eventTypes and filters',
        '  receiver  200',
        `  verdict   ${invalidVerdict.description}`,
        '  state     WEBHOOK_STATE_FATAL_ERROR',
        '  delivery  dlv_1',
        '  body      GET http://127.0.0.1:4010/__admin/deliveries/dlv_1 (or the inspector)',
        '',
        `wh_2: skipped: ${skipped.reason}`,
        '  url       http://127.0.0.1:3000/other',
        '',
        `FAILED: wh_1 ${invalidVerdict.description}.`,
        '',
      ].join('\n'),
    );
  });

  it('prints the body sent when the mock that sent it has stopped (--url), and the failure on the way', () => {
    const text = formatTriggerReport(
      resultOf([delivered({ result: { kind: 'connection-refused', message: 'connect ECONNREFUSED' } })]),
      { bodies: new Map([['dlv_1', '{"id":"evt_1"}']]), negative: 'tampered-body' },
    );
    assert.match(
      text,
      /^trigger trg_1: shodai agreement\.transitioned, made wrong: tampered-body → 1 webhook$/m,
    );
    assert.match(text, /^ {2}receiver {2}connection-refused: connect ECONNREFUSED$/m);
    assert.match(text, /^ {2}body {6}\{"id":"evt_1"\}$/m);
    assert.doesNotMatch(text, /__admin/);
    assert.match(text, /^FAILED: wh_1 connection-refused: connect ECONNREFUSED\.$/m);
  });
});

describe('the events listing', () => {
  it('covers every vendor that sends events', () => {
    assert.deepEqual(
      [...EVENT_VENDORS],
      vendors.filter((vendor) => vendor.events.length > 0).map((vendor) => vendor.name),
    );
  });

  it('lists per vendor its events, each with its summary and aligned variants', () => {
    const catalogue: VendorCatalogue = {
      vendor: 'shodai',
      title: 'Shodai Agreements API',
      events: [
        {
          name: 'agreement.transitioned',
          summary: 'An agreement changed state.',
          specWebhook: 'agreement.transitioned',
          variants: [
            { name: 'input', summary: 'A mined input moved it.' },
            { name: 'deploy', summary: 'It was deployed.' },
          ],
        },
      ],
    };
    const lines = formatCatalogue([catalogue]).split('\n');
    assert.deepEqual(lines.slice(0, 5), [
      'Shodai Agreements API (shodai): 1 event',
      '  agreement.transitioned',
      '      An agreement changed state.',
      '      variant input   A mined input moved it.',
      '      variant deploy  It was deployed.',
    ]);
  });

  it('names every event of the catalogue', () => {
    const text = formatCatalogue(cataloguesOf(vendors));
    for (const catalogue of cataloguesOf(vendors))
      for (const event of catalogue.events)
        assert.match(text, new RegExp(`^ {2}${event.name.replaceAll('.', '\\.')}$`, 'm'));
  });
});
