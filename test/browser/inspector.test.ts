/**
 * The web inspector (/__inspector) in a real browser: Debian's chromium driven by playwright-core
 * (test/support/browser.ts). The screenshot goes to test-artifacts/inspector.png; with
 * UPDATE_DOCS_SCREENSHOT=1 also to docs/ (README).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import supertest from 'supertest';
import type { MockServer } from '../../src/server/index.js';
import { launchBrowser as launch, openPage } from '../support/browser.js';
import { repoRoot } from '../support/process.js';
import { startReceiver } from '../support/receiver.js';
import type { Receiver } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';

const HOOK = 'wh_browser_1';
const ALICE = { 'X-API-Key': 'cns_pk_demo_free' };
const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

describe('the web inspector in a browser', () => {
  let server: MockServer;
  let receiver: Receiver;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    receiver = await startReceiver();
    server = await startTestServer({
      webhooks: {
        shodai: [
          {
            id: HOOK,
            principalId: 'prn_demo_alice',
            url: `${receiver.url}/hook`,
            secret: `whsec_${'e'.repeat(64)}`,
          },
        ],
      },
    });
    browser = await launch();
    page = await openPage(browser, problems);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
  });

  const webhook = (vendor: string, id: string) =>
    page.locator(`li.webhook[data-vendor="${vendor}"][data-id="${id}"]`);
  const sendTest = async (vendor: string, id: string): Promise<string> => {
    const answer = page.waitForResponse(
      (response) =>
        response.url().endsWith(`/webhooks/${vendor}/${id}/test`) && response.request().method() === 'POST',
    );
    await webhook(vendor, id).getByRole('button', { name: 'Send test' }).click();
    await answer;
    // the page shows the result once it has read the answer: the button says "Send test" again then
    await webhook(vendor, id).getByRole('button', { name: 'Send test' }).waitFor();
    return (await webhook(vendor, id).locator('.test-result').textContent()) ?? '';
  };

  it('loads: live, with the webhooks and the scenarios', async () => {
    await page.goto(`${server.url}/__inspector`);
    assert.equal(new URL(page.url()).pathname, '/__inspector/');
    await page.locator('#connection[data-state="live"]').waitFor();
    for (const [vendor, id] of [
      ['c1', '2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1'],
      ['shodai', HOOK],
      ['superoffice', '1'],
    ] as const)
      await webhook(vendor, id).getByRole('button', { name: 'Send test' }).waitFor();
    await page.locator('li.scenario[data-name="receiver-down"] input[type="checkbox"]').waitFor();
    assert.equal(await page.locator('li.scenario input:checked').count(), 0);
  });

  it('shows a test call made through the vendor API as it happens', async () => {
    const call = await supertest(server.urls.shodai).post(`/v0/webhooks/${HOOK}/test`).set(ALICE).expect(201);
    const requestId = call.headers['x-request-id'] as string;
    await page.locator(`li.row.request[data-id="${requestId}"]`).waitFor();
    const delivery = page.locator('li.row.delivery[data-vendor="shodai"]');
    await delivery.waitFor();
    assert.match((await delivery.textContent()) ?? '', /webhook\.test/);
    assert.match((await delivery.textContent()) ?? '', /signature verified/);
  });

  it('shows the delivery’s signature, whether it verifies, and the receiver’s answer', async () => {
    await page.locator('li.row.delivery[data-vendor="shodai"]').first().click();
    const detail = page.locator('#detail');
    await detail.locator('.verification').waitFor();
    const [received] = await receiver.waitFor(1);
    const text = (await detail.textContent()) ?? '';
    assert.match(text, /x-shodai-webhook-signature/);
    assert.ok(text.includes(received!.headers['x-shodai-webhook-signature']!), 'the signature sent');
    assert.match((await detail.locator('.verification').textContent()) ?? '', /^Verifies: .*HMAC/);
    assert.match(text, /Receiver's answer: 200/);
    assert.ok(text.includes(received!.rawBody.toString('utf8')) || text.includes('"webhook.test"'));
  });

  it('switches a scenario, and the next answer changes', async () => {
    assert.match(await sendTest('shodai', HOOK), /HTTP 201 · ok: true, receiver 200/);

    const toggle = page.locator('li.scenario[data-name="receiver-down"] input[type="checkbox"]');
    const put = page.waitForResponse((response) => response.url().endsWith('/__admin/scenarios'));
    await toggle.check();
    await put;
    assert.deepEqual(
      server.scenarios
        .list()
        .filter((scenario) => scenario.active)
        .map((scenario) => scenario.name),
      ['receiver-down'],
    );
    const down = await sendTest('shodai', HOOK);
    assert.match(down, /ok: false/);
    await page.locator('li.row.delivery', { hasText: 'simulated by receiver-down' }).first().waitFor();

    const off = page.waitForResponse((response) => response.url().endsWith('/__admin/scenarios'));
    await toggle.uncheck();
    await off;
    assert.match(await sendTest('shodai', HOOK), /ok: true/);
  });

  it('shows bodies with <script> as text', async () => {
    receiver.behave({ kind: 'answer', status: 200, body: HOSTILE, headers: { 'content-type': 'text/html' } });
    await sendTest('shodai', HOOK);
    // an inbound request carrying markup, too (refused by the vendor, journalled all the same)
    const bad = await supertest(server.urls.shodai)
      .post('/v0/webhooks')
      .set(ALICE)
      .send({ url: `https://example.test/${HOSTILE}`, eventTypes: [HOSTILE] });
    const requestId = bad.headers['x-request-id'] as string;

    const hostileDelivery = page.locator('li.row.delivery[data-vendor="shodai"]').first();
    await hostileDelivery.click();
    const answerBody = page.locator('#detail .answer pre.body');
    await answerBody.waitFor();
    assert.equal(await answerBody.textContent(), HOSTILE);

    await page.locator(`li.row.request[data-id="${requestId}"]`).click();
    await page.locator('#detail pre.body').first().waitFor();
    assert.ok(
      ((await page.locator('#detail').textContent()) ?? '').includes('<script>window.__pwned = 1</script>'),
    );

    assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('#detail script, #detail img, #traffic script, #traffic img').count(), 0);
    receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
  });

  it('filters by vendor and resets', async () => {
    await sendTest('c1', '2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1');
    await page.locator('li.row.delivery[data-vendor="c1"]').waitFor();
    await page.selectOption('#vendor-filter', 'c1');
    assert.equal(await page.locator('li.row[data-vendor="shodai"]').count(), 0);
    assert.ok((await page.locator('li.row[data-vendor="c1"]').count()) >= 2);
    assert.equal(await page.locator('li.webhook[data-vendor="shodai"]').count(), 0);
    await page.selectOption('#vendor-filter', '');

    await page.getByRole('button', { name: 'Reset' }).click();
    await page.locator('#traffic li.empty').waitFor();
    assert.equal(server.deliveries.list().length, 0);
  });

  it('looks right: a screenshot of a test call per vendor', async () => {
    for (const [vendor, id] of [
      ['c1', '2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1'],
      ['shodai', 'wh_demo_alice_1'],
      ['superoffice', '1'],
    ] as const)
      await sendTest(vendor, id);
    await page.locator('li.row.delivery[data-vendor="c1"]').click();
    await page.locator('#detail .verification.verified').waitFor();
    await mkdir(path.join(repoRoot, 'test-artifacts'), { recursive: true });
    const shot = path.join(repoRoot, 'test-artifacts', 'inspector.png');
    await page.screenshot({ path: shot });
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      await mkdir(path.join(repoRoot, 'docs'), { recursive: true });
      await copyFile(shot, path.join(repoRoot, 'docs', 'inspector.png'));
    }
    assert.ok(existsSync(shot));
  });

  it('badges each delivery as what it is: verified, unsigned, or negative (never green)', async () => {
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.locator('#traffic li.empty').waitFor();
    const so = supertest(server.urls.superoffice);
    // a save (its test POST), an event, then the webhook deleted: both deliveries verify from the journal
    const created = await so
      .post('/api/v1/Webhook')
      .auth('demo', 'demo')
      .send({
        Name: 'browser',
        Events: ['contact.created'],
        TargetUrl: `${receiver.url}/so-browser`,
        Secret: 'browser-secret',
      })
      .expect(200);
    await so
      .post('/api/v1/Webhook/contact.created/7')
      .auth('demo', 'demo')
      .send({ name: 'Acme' })
      .expect(204);
    await so
      .delete(`/api/v1/Webhook/${(created.body as { WebhookId: number }).WebhookId}`)
      .auth('demo', 'demo')
      .expect(204);
    // a webhook without a Secret: its delivery is rightly unsigned
    await so
      .post('/api/v1/Webhook/Test')
      .auth('demo', 'demo')
      .send({ TargetUrl: `${receiver.url}/so-unsigned` })
      .expect(200);
    // a valid delivery, then the same event again on purpose: correctly signed, but a negative delivery
    await supertest(server.urls.shodai)
      .post(`/v0/webhooks/${HOOK}/test`)
      .set(ALICE)
      .set('X-Mock-Negative', 'duplicate-event-id')
      .expect(201);

    const soRow = (event: string, target: string) =>
      page.locator('li.row.delivery[data-vendor="superoffice"]', { hasText: target }).filter({
        has: page.locator('.summary', { hasText: new RegExp(`^${event.replaceAll('.', '\\.')}$`) }),
      });
    for (const row of [soRow('test', 'so-browser'), soRow('contact.created', 'so-browser')]) {
      await row.locator('.badge.verified').waitFor();
      assert.equal(await row.locator('.badge.verified').textContent(), 'signature verified');
    }
    const unsigned = soRow('test', 'so-unsigned');
    await unsigned.locator('.badge.unsigned').waitFor();
    assert.equal(await unsigned.locator('.badge').textContent(), 'unsigned');

    const negative = page.locator('li.row.delivery[data-vendor="shodai"]', { hasText: 'negative:' });
    await negative.first().waitFor();
    assert.equal(
      await negative.locator('.badge.verified').count(),
      0,
      'no green badge on a negative delivery',
    );
    assert.equal(
      await negative.locator('.badge.negative').first().textContent(),
      'negative: duplicate-event-id',
    );
    await negative.first().click();
    assert.match(
      (await page.locator('#detail .verification.negative').textContent()) ?? '',
      /^Negative delivery \(duplicate-event-id\), made wrong on purpose\. Its signature still verifies: /,
    );
    await unsigned.click();
    assert.match(
      (await page.locator('#detail .verification.unsigned').textContent()) ?? '',
      /^Unsigned: .*no Secret/,
    );
  });

  it('keeps the end of a path in view: the webhook id of a test call', async () => {
    const id = '2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1';
    await supertest(server.urls.c1)
      .post(`/api/v1/webhooks/${id}/test`)
      .set('Authorization', 'Bearer demo-c1-token')
      .send({})
      .expect(200);
    const path = page.locator('li.row.request[data-vendor="c1"] .path').first();
    await path.waitFor();
    assert.equal(await path.getAttribute('title'), `POST /c1/api/v1/webhooks/${id}/test`);
    assert.equal(await path.locator('.end').textContent(), `/${id}/test`);
    const [pathBox, endBox] = [await path.boundingBox(), await path.locator('.end').boundingBox()];
    assert.ok(pathBox && endBox);
    assert.ok(endBox.x >= pathBox.x && endBox.x + endBox.width <= pathBox.x + pathBox.width + 0.5, 'not cut');
  });

  it('raised no console errors, CSP violations or page errors', () => {
    assert.deepEqual(problems, []);
  });
});

describe('the web inspector with an admin token', () => {
  let server: MockServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({}, { adminToken: 'browser-s3cret' });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for the token, then works', async () => {
    const problems: string[] = [];
    const page = await openPage(browser, problems);
    await page.goto(`${server.url}/__inspector/`);
    await page.locator('#token-form').waitFor({ state: 'visible' });
    await page.locator('#token-input').fill('browser-s3cret');
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.locator('#connection[data-state="live"]').waitFor();
    await page.locator('li.webhook[data-vendor="shodai"]').first().waitFor();
    // the 401s before the token was given are expected console errors; nothing else
    assert.deepEqual(
      problems.filter((problem) => !/401/.test(problem)),
      [],
    );
  });

  it('takes the token from the address’s #token= fragment, and drops it from the address', async () => {
    const page = await openPage(browser, []);
    await page.goto(`${server.url}/__inspector/#token=browser-s3cret`);
    await page.locator('#connection[data-state="live"]').waitFor();
    assert.equal(new URL(page.url()).hash, '');
    assert.equal(await page.locator('#token-form').isVisible(), false);
  });
});
