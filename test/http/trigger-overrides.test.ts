/**
 * What a trigger may change (issue 13): `set` at dot paths and list indexes, `data` in place of the generated
 * part, a change that breaks the schema refused with 400 naming the path (and nothing delivered) unless
 * `allowInvalid` sends it, paths into `__proto__`/`constructor`/`prototype` refused, unknown vendors, events,
 * variants and negative kinds refused naming the field — through both doors, at real receivers.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { TriggerRequest } from '../../src/core/event-catalogue.js';
import { startMockServer } from '../../src/server/index.js';
import type { MockServer } from '../../src/server/index.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { makeFixtures } from '../support/server.js';
import {
  bodyOf,
  deliveryTo,
  receivedFor,
  recordOf,
  refusedOverHttp,
  refusedProgrammatically,
  specProblems,
  triggerOverHttp,
} from '../support/trigger.js';
import type { FieldProblem } from '../support/trigger.js';

const C1_HOOK = '2bWkJ8Qv3nYc5hT0dLx9ZfOVR01';
const SHODAI_HOOK = 'wh_overrides_1';
const SHODAI_SECRET = `whsec_${'ab'.repeat(32)}`;
const SO_HOOK = 301;
const PROVISION = 'c1.webhooks.v1.PayloadProvisionStep';

let server: MockServer;
let receiver: Receiver;
let fixturesDir: string;

before(async () => {
  receiver = await startReceiver();
  fixturesDir = await makeFixtures({
    webhooks: {
      c1: [{ id: C1_HOOK, displayName: 'Overrides', url: `${receiver.url}/c1` }],
      shodai: [
        {
          id: SHODAI_HOOK,
          principalId: 'prn_demo_alice',
          url: `${receiver.url}/shodai`,
          secret: SHODAI_SECRET,
          eventTypes: ['agreement.transitioned', 'agreement.notification.triggered'],
        },
      ],
      superoffice: [
        {
          webhookId: SO_HOOK,
          name: 'Overrides',
          events: ['sale.sold'],
          targetUrl: `${receiver.url}/superoffice`,
          secret: 'overrides',
          state: 'Active',
        },
      ],
    },
  });
  server = await startMockServer({ port: 0, fixturesDir });
});

after(async () => {
  await server.close();
  await receiver.close();
  await rm(fixturesDir, { recursive: true, force: true });
});

/** Asserts a trigger is refused through both doors, naming `field`, and that nothing went out. */
async function assertRefused(request: TriggerRequest, field: string, message?: RegExp): Promise<void> {
  const receivedBefore = receiver.received.length;
  const journalBefore = server.deliveries.all().length;
  const triggersBefore = server.triggers().length;
  const overHttp = await refusedOverHttp(server, request);
  const programmatic = await refusedProgrammatically(server, request);
  for (const errors of [overHttp.errors, programmatic]) {
    const named = errors.find((problem: FieldProblem) => problem.field === field);
    assert.ok(named, `${JSON.stringify(errors)} names ${field}`);
    if (message !== undefined) assert.match(named.message, message);
  }
  assert.equal(receiver.received.length, receivedBefore, 'nothing was delivered');
  assert.equal(server.deliveries.all().length, journalBefore, 'nothing was journalled');
  assert.equal(server.triggers().length, triggersBefore, 'a refused trigger is not listed');
}

describe('set and data change the delivered event', () => {
  it('sets fields at dot paths and list indexes (both index spellings) in the delivered C1 payload', async () => {
    const result = await triggerOverHttp(server, {
      vendor: 'c1',
      event: PROVISION,
      webhookId: C1_HOOK,
      set: {
        'taskView.task.displayName': 'Grant Owner role in GitHub to Ada Lovelace',
        'expanded.0.displayName': 'GitHub Enterprise',
        'expanded[3].email': 'ada@example.com',
      },
    });
    const received = receivedFor(receiver, recordOf(server, deliveryTo(result, C1_HOOK)));
    const payload = bodyOf(received).payload as {
      taskView: { task: { displayName: string } };
      expanded: { displayName?: string; email?: string }[];
    };
    assert.equal(payload.taskView.task.displayName, 'Grant Owner role in GitHub to Ada Lovelace');
    assert.equal(payload.expanded[0]?.displayName, 'GitHub Enterprise');
    assert.equal(payload.expanded[3]?.email, 'ada@example.com');
    assert.deepEqual(bodyOf(received).payload, result.part);
    assert.deepEqual(specProblems('c1', PROVISION, received), []);
  });

  it('sets a nested Shodai field and a SuperOffice list item', async () => {
    const shodai = await server.trigger({
      vendor: 'shodai',
      event: 'agreement.notification.triggered',
      webhookId: SHODAI_HOOK,
      set: { 'notification.subject': 'Countersigned', 'transition.toState': 'COUNTERSIGNED' },
    });
    const shodaiBody = bodyOf(receivedFor(receiver, recordOf(server, deliveryTo(shodai, SHODAI_HOOK))));
    const data = shodaiBody.data as { notification: { subject: string }; transition: { toState: string } };
    assert.equal(data.notification.subject, 'Countersigned');
    assert.equal(data.transition.toState, 'COUNTERSIGNED');

    const so = await server.trigger({
      vendor: 'superoffice',
      event: 'sale.sold',
      set: { PrimaryKey: 4711, 'Changes.0': 'status' },
    });
    const soBody = bodyOf(receivedFor(receiver, recordOf(server, deliveryTo(so, String(SO_HOOK)))));
    assert.equal(soBody.PrimaryKey, 4711);
    assert.equal((soBody.Changes as string[])[0], 'status');
  });

  it('sends `data` in place of the generated part, with `set` applied on top', async () => {
    const data = {
      agreementId: 'agr_data_1',
      templateId: 'did:template:mutual-nda-v2-0',
      fromState: 'PENDING_SIGNATURE',
      toState: 'ACTIVE',
      inputId: 'partyASignature',
    };
    const result = await triggerOverHttp(server, {
      vendor: 'shodai',
      event: 'agreement.transitioned',
      webhookId: SHODAI_HOOK,
      data,
      set: { agreementName: 'Mutual NDA — Hooli' },
    });
    const received = receivedFor(receiver, recordOf(server, deliveryTo(result, SHODAI_HOOK)));
    assert.deepEqual(bodyOf(received).data, { ...data, agreementName: 'Mutual NDA — Hooli' });
    assert.deepEqual(specProblems('shodai', 'agreement.transitioned', received), []);
  });
});

describe('changes that break the schema', () => {
  it('refuses a C1 set that breaks the schema with 400 naming the path, delivering nothing', async () => {
    await assertRefused(
      { vendor: 'c1', event: PROVISION, webhookId: C1_HOOK, set: { 'taskView.task.numericId': { n: 1 } } },
      'taskView.task.numericId',
    );
  });

  it('refuses a Shodai set that breaks the schema, naming the path inside data', async () => {
    await assertRefused(
      { vendor: 'shodai', event: 'agreement.notification.triggered', set: { triggerType: 'whenever' } },
      'triggerType',
      /allowed values/,
    );
  });

  it('refuses SuperOffice data without a PrimaryKey, naming the event', async () => {
    const request = {
      vendor: 'superoffice',
      event: 'sale.sold',
      data: { Event: 'sale.sold', Entity: 'sale', Changes: [] },
    };
    const { errors } = await refusedOverHttp(server, request);
    assert.ok(
      errors.some((problem) => /PrimaryKey/.test(problem.message)),
      JSON.stringify(errors),
    );
  });

  it('sends the broken event with allowInvalid, and the delivered body then fails the spec check at that path', async () => {
    const result = await triggerOverHttp(server, {
      vendor: 'c1',
      event: PROVISION,
      webhookId: C1_HOOK,
      set: { 'taskView.task.numericId': { n: 1 } },
      allowInvalid: true,
    });
    const entry = deliveryTo(result, C1_HOOK);
    const received = receivedFor(receiver, recordOf(server, entry));
    const problems = specProblems('c1', PROVISION, received);
    assert.ok(
      problems.some((problem) => problem.includes('/payload/taskView/task/numericId')),
      JSON.stringify(problems),
    );
    assert.deepEqual((entry.record as { source: object }).source, {
      provisionStep: { ticketId: (result.part as { taskView: { task: { id: string } } }).taskView.task.id },
    });
  });

  it('sends a Shodai event with allowInvalid whose body then fails the spec check', async () => {
    const result = await server.trigger({
      vendor: 'shodai',
      event: 'agreement.transitioned',
      webhookId: SHODAI_HOOK,
      set: { toState: '' },
      allowInvalid: true,
    });
    const received = receivedFor(receiver, recordOf(server, deliveryTo(result, SHODAI_HOOK)));
    assert.ok(
      specProblems('shodai', 'agreement.transitioned', received).some((problem) =>
        problem.includes('/data/toState'),
      ),
    );
  });
});

describe('paths and fields a trigger may not use', () => {
  for (const path of [
    '__proto__.polluted',
    'constructor.prototype.polluted',
    'taskView.__proto__',
    'expanded.0.prototype',
  ]) {
    it(`refuses a set path through ${path.split('.').find((segment) => /proto|constructor/.test(segment))}, naming set.${path}`, async () => {
      await assertRefused(
        { vendor: 'c1', event: PROVISION, webhookId: C1_HOOK, set: { [path]: true } },
        `set.${path}`,
        /cannot be a path segment/,
      );
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
    });
  }

  it('refuses a set whose JSON key is __proto__ itself', async () => {
    const { errors } = await refusedOverHttp(
      server,
      `{"vendor":"c1","event":"${PROVISION}","webhookId":"${C1_HOOK}","set":{"__proto__":{"polluted":true}}}`,
    );
    assert.deepEqual(
      errors.map((problem) => problem.field),
      ['set.__proto__'],
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses a set index past the end of a list, naming the path', async () => {
    await assertRefused(
      { vendor: 'c1', event: PROVISION, webhookId: C1_HOOK, set: { 'expanded.99.displayName': 'x' } },
      'set.expanded.99.displayName',
    );
  });

  it('refuses an unknown vendor, naming vendor', async () => {
    await assertRefused({ vendor: 'salesforce', event: 'lead.created' }, 'vendor', /c1, shodai, superoffice/);
  });

  it('refuses an unknown event, naming event and the events there are', async () => {
    await assertRefused({ vendor: 'shodai', event: 'webhook.test' }, 'event', /agreement\.transitioned/);
  });

  it('refuses an unknown variant, naming variant and the variants there are', async () => {
    await assertRefused(
      { vendor: 'shodai', event: 'agreement.transitioned', variant: 'temporal' },
      'variant',
      /input, deploy/,
    );
  });

  it('refuses a variant of an event that has none, naming variant', async () => {
    await assertRefused({ vendor: 'c1', event: PROVISION, variant: 'deploy' }, 'variant', /\(none\)/);
  });

  it('refuses a negative kind the vendor does not make, naming negative', async () => {
    await assertRefused(
      { vendor: 'superoffice', event: 'sale.sold', negative: 'expired-jwt' },
      'negative',
      /tampered-body/,
    );
    await assertRefused({ vendor: 'c1', event: PROVISION, negative: 'stale-timestamp' }, 'negative');
  });

  it('refuses a body without vendor or event, a set that is no object and an allowInvalid that is no boolean', async () => {
    const cases: [unknown, string][] = [
      [{ event: PROVISION }, 'vendor'],
      [{ vendor: 'c1' }, 'event'],
      [{ vendor: 'c1', event: PROVISION, set: ['taskView'] }, 'set'],
      [{ vendor: 'c1', event: PROVISION, allowInvalid: 'yes' }, 'allowInvalid'],
      ['[1, 2]', 'body'],
    ];
    const before = receiver.received.length;
    for (const [body, field] of cases) {
      const { errors } = await refusedOverHttp(server, body);
      assert.deepEqual(
        errors.map((problem) => problem.field),
        [field],
      );
    }
    assert.equal(receiver.received.length, before);
  });
});

describe('a webhookId the vendor does not have', () => {
  it('refuses a SuperOffice webhookId that is no stored webhook with 404 naming webhookId', async () => {
    const { errors } = await refusedOverHttp(
      server,
      { vendor: 'superoffice', event: 'sale.sold', webhookId: 'not-a-number' },
      404,
    );
    assert.deepEqual(
      errors.map((problem) => problem.field),
      ['webhookId'],
    );
  });
});

describe('allowInvalid with a part the vendor cannot read', () => {
  it('sends a Shodai notification whose data is no object, naming the filters it could not apply', async () => {
    const filtered = await fetch(`${server.urls.shodai}/v0/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'cns_pk_demo_free' },
      body: JSON.stringify({
        url: `${receiver.url}/shodai-filtered`,
        eventTypes: ['agreement.notification.triggered'],
        filters: { inputIds: ['partyBSignature'], ruleIds: ['notify-active'] },
      }),
    });
    assert.equal(filtered.status, 201);
    const { id, secret } = ((await filtered.json()) as { data: { id: string; secret: string } }).data;
    const result = await triggerOverHttp(server, {
      vendor: 'shodai',
      event: 'agreement.notification.triggered',
      webhookId: id,
      data: 'not an object',
      allowInvalid: true,
    });
    const entry = deliveryTo(result, id);
    assert.equal(entry.delivered, true, entry.reason);
    assert.match(entry.reason, /filters\.inputIds, filters\.ruleIds not applicable/);
    const received = receivedFor(receiver, recordOf(server, entry));
    assert.equal(bodyOf(received).data, 'not an object');
    assert.ok(specProblems('shodai', 'agreement.notification.triggered', received).length > 0);
    assert.equal(received.path, '/shodai-filtered');
    assert.ok(secret.startsWith('whsec_'));
  });

  for (const data of [{}, 'text', [1, 2], { Event: 42, PrimaryKey: 1, Changes: [] }]) {
    it(`refuses SuperOffice data ${JSON.stringify(data)} even with allowInvalid, naming Event, which SuperOffice routes by`, async () => {
      await assertRefused(
        { vendor: 'superoffice', event: 'sale.sold', data, allowInvalid: true },
        'Event',
        /routes/,
      );
    });
  }

  it('sends SuperOffice data with allowInvalid when only its Event is usable, routed by that Event', async () => {
    const result = await server.trigger({
      vendor: 'superoffice',
      event: 'sale.sold',
      data: { Event: 'sale.sold', PrimaryKey: 'not a number' },
      allowInvalid: true,
    });
    const received = receivedFor(receiver, recordOf(server, deliveryTo(result, String(SO_HOOK))));
    assert.equal(bodyOf(received).PrimaryKey, 'not a number');
    assert.ok(specProblems('superoffice', 'sale.sold', received).length > 0);
  });
});
