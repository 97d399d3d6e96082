/**
 * The inspector's "Trigger event" form in a real browser (test/support/browser.ts): events of each vendor's
 * catalogue sent to real receivers, the result per webhook with the vendor's verdict, and refused triggers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page, Response } from 'playwright-core';
import type { MockServer } from '../../src/server/index.js';
import { launchBrowser, openPage } from '../support/browser.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';

const C1_HOOK = '2triggerBrowserHookAAAAAAAA';
const NOTIFY_HOOK = 'wh_trigger_notify';
const PROVISION = 'c1.webhooks.v1.PayloadProvisionStep';
const NOTIFICATION = 'agreement.notification.triggered';

interface TriggerAnswer {
  triggerId: string;
  deliveries: { webhookId: string; delivered: boolean; deliveryId?: string }[];
}

/** The form, filled in: vendor, event, then what it depends on (webhook, negative kind) and the JSON boxes. */
async function fillTrigger(
  page: Page,
  fields: { vendor: string; event: string; webhookId?: string; set?: string; data?: string },
): Promise<void> {
  await page.selectOption('#trigger-vendor', fields.vendor);
  await page.selectOption('#trigger-event', fields.event);
  await page.selectOption('#trigger-webhook', fields.webhookId ?? '');
  await page.fill('#trigger-set', fields.set ?? '');
  await page.fill('#trigger-data', fields.data ?? '');
}

/** Presses "Trigger" and resolves with the admin API's answer once the page has read it. */
async function pressTrigger(page: Page): Promise<{ response: Response; body: unknown }> {
  const answer = page.waitForResponse(
    (response) => response.url().endsWith('/__admin/trigger') && response.request().method() === 'POST',
  );
  await page.getByRole('button', { name: 'Trigger', exact: true }).click();
  const response = await answer;
  const body = (await response.json()) as unknown;
  // the page has shown it once the form leaves "sending"
  await page.locator('#trigger-form:not([data-state="sending"])').waitFor();
  return { response, body };
}

/** Triggers and waits for the result of this very trigger to be on the page. */
async function trigger(page: Page): Promise<TriggerAnswer> {
  const { response, body } = await pressTrigger(page);
  assert.equal(response.status(), 200, JSON.stringify(body));
  const result = body as TriggerAnswer;
  await page.locator(`#trigger-result[data-trigger-id="${result.triggerId}"]`).waitFor();
  return result;
}

const resultFor = (page: Page, webhookId: string) =>
  page.locator(`#trigger-result li.trigger-delivery[data-webhook-id="${webhookId}"]`);

// one browser for both suites (each has its own page)
let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

describe('the inspector’s "Trigger event" form', () => {
  let server: MockServer;
  let receiver: Receiver;
  let page: Page;
  const problems: string[] = [];
  const triggerPosts: string[] = [];

  before(async () => {
    receiver = await startReceiver();
    server = await startTestServer({
      webhooks: {
        c1: [{ id: C1_HOOK, displayName: 'Provisioner', url: `${receiver.url}/c1` }],
        shodai: [
          {
            id: NOTIFY_HOOK,
            principalId: 'prn_demo_alice',
            url: `${receiver.url}/notify`,
            secret: `whsec_${'f'.repeat(64)}`,
            eventTypes: [NOTIFICATION],
          },
        ],
      },
    });
    page = await openPage(browser, problems);
    page.on('request', (request) => {
      if (request.url().endsWith('/__admin/trigger')) triggerPosts.push(request.postData() ?? '');
    });
    await page.goto(`${server.url}/__inspector/`);
    await page.locator('#connection[data-state="live"]').waitFor();
    await page.locator('#trigger-form button[type="submit"]:enabled').waitFor();
  });
  after(async () => {
    await page?.context().close();
    await server?.close();
    await receiver?.close();
  });

  it('offers each vendor’s events with their summaries, and variants only for an event that has them', async () => {
    await page.selectOption('#trigger-vendor', 'c1');
    await page.selectOption('#trigger-event', PROVISION);
    const [c1] = server.catalogue('c1');
    const provision = c1!.events.find((event) => event.name === PROVISION)!;
    assert.equal(await page.locator('#trigger-event-summary').textContent(), provision.summary);
    assert.equal(await page.locator('#trigger-variant-field').isVisible(), false);
    const webhookOptions = await page.locator('#trigger-webhook option').all();
    assert.deepEqual(await Promise.all(webhookOptions.map((option) => option.getAttribute('value'))), [
      '',
      '2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1',
      '2bWkJ8Qv3nYc5hT0dLx9ZfRmPa2',
      C1_HOOK,
    ]);

    await page.selectOption('#trigger-vendor', 'shodai');
    await page.selectOption('#trigger-event', 'agreement.transitioned');
    await page.locator('#trigger-variant-field').waitFor({ state: 'visible' });
    await page.selectOption('#trigger-variant', 'deploy');
    assert.match((await page.locator('#trigger-variant-summary').textContent()) ?? '', /deployed/);
    assert.ok(
      (await page.locator('#trigger-negative option').allTextContents()).includes('duplicate-event-id'),
    );
  });

  it('triggers a C1 provision step whose receiver answers complete: delivered, HTTP 200, "provisioned"', async () => {
    receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1","complete":{}}' });
    const before = receiver.received.length;
    await fillTrigger(page, { vendor: 'c1', event: PROVISION, webhookId: C1_HOOK });
    const result = await trigger(page);

    const item = resultFor(page, C1_HOOK);
    assert.equal(await item.locator('.badge.delivered').textContent(), 'delivered');
    assert.equal(await item.locator('.status.ok').textContent(), 'HTTP 200');
    assert.equal(await item.locator('.badge.verdict.valid').textContent(), 'provisioned');
    assert.equal(await item.locator('.verdict-note').textContent(), 'Accepted: provisioning complete');
    const [received] = (await receiver.waitFor(before + 1)).slice(before);
    assert.equal(received?.path, '/c1');
    assert.match(received!.rawBody.toString('utf8'), /PayloadProvisionStep/);

    // "Show delivery" selects it in the traffic list, where it carries the same verdict
    await item.getByRole('button', { name: 'Show delivery' }).click();
    const deliveryId = result.deliveries[0]!.deliveryId!;
    const row = page.locator(`li.row.delivery.selected[data-id="${deliveryId}"]`);
    await row.waitFor();
    assert.equal(await row.locator('.badge.verdict.valid').textContent(), 'provisioned');
    const note = page.locator('#detail .verdict-section .verdict-note.valid');
    await note.waitFor();
    assert.match((await note.textContent()) ?? '', /^Accepted: provisioning complete$/);
    assert.match((await page.locator('#detail h3').textContent()) ?? '', new RegExp(deliveryId));
  });

  it('puts C1’s verdict on a 202’s delivery in the list and the detail once its callback arrives, without a reload', async () => {
    receiver.behave({ kind: 'answer', status: 202, body: '' });
    const before = receiver.received.length;
    await fillTrigger(page, { vendor: 'c1', event: PROVISION, webhookId: C1_HOOK });
    const result = await trigger(page);
    const deliveryId = result.deliveries[0]!.deliveryId!;
    await resultFor(page, C1_HOOK).getByRole('button', { name: 'Show delivery' }).click();
    const row = page.locator(`li.row.delivery.selected[data-id="${deliveryId}"]`);
    await row.waitFor();
    assert.equal(
      await row.locator('.badge.verdict').count(),
      0,
      'no verdict while C1 waits for the callback',
    );

    const [received] = (await receiver.waitFor(before + 1)).slice(before);
    const callbackUrl = received!.headers['webhook-callback-url']!;
    const answer = await fetch(callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"version":"v1","complete":{}}',
    });
    assert.equal(answer.status, 200);
    const badge = row.locator('.badge.verdict.valid');
    await badge.waitFor();
    assert.equal(await badge.textContent(), 'provisioned');
    const note = page.locator('#detail .verdict-section .verdict-note.valid');
    await note.waitFor();
    assert.equal(await note.textContent(), 'Accepted: provisioning complete');
  });

  it('shows an answer C1 cannot use as an invalid response, with the reason and what C1 then does', async () => {
    receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1","approve":{}}' });
    await fillTrigger(page, { vendor: 'c1', event: PROVISION, webhookId: C1_HOOK });
    const result = await trigger(page);

    const item = resultFor(page, C1_HOOK);
    assert.equal(await item.locator('.badge.verdict.invalid').textContent(), 'invalid response');
    assert.match(
      (await item.locator('.verdict-note').textContent()) ?? '',
      /^Refused: invalid response: unknown key "approve" in a provisioning answer.*; the task falls back to manual provisioning$/,
    );
    const row = page.locator(`li.row.delivery[data-id="${result.deliveries[0]!.deliveryId}"]`);
    await row.locator('.badge.verdict.invalid').waitFor();
    await row.click();
    await page.locator('#detail .verdict-section .verdict-note.invalid').waitFor();
  });

  it('shows the Shodai subscriptions a trigger skipped, and why, beside the one it delivered to', async () => {
    receiver.behave({ kind: 'answer', status: 200, body: '{}' });
    await fillTrigger(page, { vendor: 'shodai', event: NOTIFICATION });
    const result = await trigger(page);

    for (const skipped of ['wh_demo_alice_1', 'wh_demo_bob_1']) {
      const item = resultFor(page, skipped);
      assert.equal(await item.locator('.badge.skipped').textContent(), 'skipped');
      assert.equal(
        await item.locator('.reason').textContent(),
        `eventTypes ["agreement.transitioned"] do not include "${NOTIFICATION}"`,
      );
      assert.equal(await item.getByRole('button', { name: 'Show delivery' }).count(), 0);
    }
    const delivered = resultFor(page, NOTIFY_HOOK);
    assert.equal(await delivered.locator('.badge.delivered').textContent(), 'delivered');
    assert.equal(await delivered.locator('.status.ok').textContent(), 'HTTP 200');
    assert.match(
      (await page.locator('#trigger-result .trigger-summary').textContent()) ?? '',
      /1 delivered, 2 skipped/,
    );
    assert.deepEqual(
      result.deliveries.map((entry) => [entry.webhookId, entry.delivered]),
      [
        ['wh_demo_alice_1', false],
        ['wh_demo_bob_1', false],
        [NOTIFY_HOOK, true],
      ],
    );
  });

  it('shows the problem of a `set` override that breaks the schema by the overrides, and sends nothing', async () => {
    const deliveries = server.deliveries.list().length;
    const received = receiver.received.length;
    const shown = await page.locator('#trigger-result').getAttribute('data-trigger-id');
    await fillTrigger(page, {
      vendor: 'c1',
      event: PROVISION,
      webhookId: C1_HOOK,
      set: '{"taskView.task.id": 5}',
    });
    const { response } = await pressTrigger(page);
    assert.equal(response.status(), 400);

    const errors = page.locator('#trigger-form [data-errors-for="set"]');
    await errors.waitFor({ state: 'visible' });
    assert.match(
      (await errors.locator('li').first().textContent()) ?? '',
      /^taskView\.task\.id must be string$/,
    );
    assert.equal(await page.locator('#trigger-set').getAttribute('aria-invalid'), 'true');
    assert.match((await page.locator('#trigger-status').textContent()) ?? '', /^Not sent/);
    assert.equal(server.deliveries.list().length, deliveries, 'nothing was delivered');
    assert.equal(receiver.received.length, received);
    assert.equal(await page.locator('#trigger-result').getAttribute('data-trigger-id'), shown);
  });

  it('sends the same override with "allow invalid" checked: the receiver gets the broken event', async () => {
    receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1","complete":{}}' });
    const before = receiver.received.length;
    await fillTrigger(page, {
      vendor: 'c1',
      event: PROVISION,
      webhookId: C1_HOOK,
      set: '{"taskView.task.id": 5}',
    });
    await page.check('#trigger-allow-invalid');
    await trigger(page);
    await page.uncheck('#trigger-allow-invalid');
    assert.equal(
      await page.locator('#trigger-set').getAttribute('aria-invalid'),
      null,
      'the old problem is gone',
    );
    const [received] = (await receiver.waitFor(before + 1)).slice(before);
    const body = JSON.parse(received!.rawBody.toString('utf8')) as {
      payload: { taskView: { task: { id: unknown } } };
    };
    assert.equal(body.payload.taskView.task.id, 5);
  });

  it('reports JSON that does not parse in the form, before sending anything', async () => {
    const posts = triggerPosts.length;
    await fillTrigger(page, { vendor: 'c1', event: PROVISION, set: '{"taskView.task.id": ', data: '[1,' });
    await page.getByRole('button', { name: 'Trigger', exact: true }).click();
    await page.locator('#trigger-form[data-state="invalid"]').waitFor();
    assert.match((await page.locator('[data-errors-for="set"]').textContent()) ?? '', /^is not valid JSON: /);
    assert.match(
      (await page.locator('[data-errors-for="data"]').textContent()) ?? '',
      /^is not valid JSON: /,
    );
    await fillTrigger(page, { vendor: 'c1', event: PROVISION, set: '["taskView.task.id"]' });
    await page.getByRole('button', { name: 'Trigger', exact: true }).click();
    assert.equal(
      await page.locator('[data-errors-for="set"]').textContent(),
      'must be a JSON object of "dot.path": value',
    );
    assert.equal(await page.locator('[data-errors-for="data"]').isVisible(), false);
    assert.equal(triggerPosts.length, posts, 'no trigger was sent');
  });

  it('makes deliveries wrong on purpose with the negative-kind picker', async () => {
    await fillTrigger(page, {
      vendor: 'shodai',
      event: 'agreement.transitioned',
      webhookId: 'wh_demo_alice_1',
    });
    await page.selectOption('#trigger-negative', 'tampered-body');
    const result = await trigger(page);
    await page.selectOption('#trigger-negative', '');
    const row = page.locator(`li.row.delivery[data-id="${result.deliveries[0]!.deliveryId}"]`);
    assert.equal(await row.locator('.badge.negative').textContent(), 'negative: tampered-body');
    assert.match(triggerPosts.at(-1) ?? '', /"negative":"tampered-body"/);
  });

  it('raised no CSP violations or page errors, and no console errors but the refused trigger’s 400', () => {
    assert.deepEqual(problems, [
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
  });
});

describe('the inspector’s "Trigger event" form with an admin token', () => {
  let server: MockServer;

  before(async () => {
    server = await startTestServer({}, { adminToken: 'trigger-s3cret' });
  });
  after(async () => {
    await server?.close();
  });

  it('sends the trigger with the token and shows its result', async () => {
    const problems: string[] = [];
    const page = await openPage(browser, problems);
    await page.goto(`${server.url}/__inspector/#token=trigger-s3cret`);
    await page.locator('#connection[data-state="live"]').waitFor();
    await fillTrigger(page, {
      vendor: 'shodai',
      event: 'agreement.transitioned',
      webhookId: 'wh_demo_alice_1',
    });
    const { response, body } = await pressTrigger(page);
    assert.equal(response.status(), 200, JSON.stringify(body));
    assert.equal((await response.request().allHeaders()).authorization, 'Bearer trigger-s3cret');
    const item = resultFor(page, 'wh_demo_alice_1');
    await item.waitFor();
    assert.equal(await item.locator('.status.ok').textContent(), 'HTTP 200');
    assert.equal(server.deliveries.list({ webhookId: 'wh_demo_alice_1' }).length, 1);
    assert.deepEqual(problems, []);
  });
});
