/**
 * Retries, redeliveries and the mock's clock in the inspector, in a real browser (test/support/browser.ts): a
 * seeded mock (its clock frozen, so retries fire only when it is moved) and a real receiver that fails and then
 * recovers. Each delivery's attempt, what follows it and what it sends again; the "Clock and retries" panel's
 * waiting retries and its "Advance" box; the "Redeliver" button.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { MockServer } from '../../src/server/index.js';
import { launchBrowser, openPage } from '../support/browser.js';
import { startReceiver } from '../support/receiver.js';
import type { Behaviour, Receiver } from '../support/receiver.js';
import { startTestServer } from '../support/server.js';

const SO_HOOK = 301;
const C1_HOOK = '2inspectorRetriesHookAAAAAA';

const failingOnce: Behaviour = {
  kind: 'sequence',
  steps: [{ kind: 'answer', status: 500, body: 'not now' }],
  then: { kind: 'answer', status: 200, body: '{"version":"v1"}' },
};

describe('retries, redeliveries and the clock in the inspector', () => {
  let server: MockServer;
  let receiver: Receiver;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const clockMoves: string[] = [];

  const row = (id: string) => page.locator(`li.row.delivery[data-id="${id}"]`);
  /** The delivery rows that carry a badge with exactly this text. */
  const rowsWith = (badge: string, text: string) =>
    page
      .locator('li.row.delivery')
      .filter({ has: page.locator(`.badge.${badge}`, { hasText: new RegExp(`^${text}$`) }) });

  /** Triggers an event at one webhook; the id of its first delivery. */
  async function trigger(vendor: string, event: string, webhookId: string): Promise<string> {
    const result = await server.trigger({ vendor, event, webhookId });
    return result.deliveries[0]!.deliveryId!;
  }

  before(async () => {
    receiver = await startReceiver();
    server = await startTestServer(
      {
        webhooks: {
          c1: [{ id: C1_HOOK, displayName: 'retries', url: `${receiver.url}/c1` }],
          superoffice: [
            {
              webhookId: SO_HOOK,
              name: 'retries',
              events: ['sale.sold'],
              targetUrl: `${receiver.url}/so`,
              secret: 'inspector-retries',
              state: 'Active',
              type: 'webhook',
            },
          ],
        },
      },
      { seed: 'inspector-retries', retries: true },
    );
    browser = await launchBrowser();
    page = await openPage(browser, problems);
    page.on('request', (request) => {
      if (request.url().endsWith('/__admin/clock') && request.method() === 'PUT')
        clockMoves.push(request.postData() ?? '');
    });
    await page.goto(`${server.url}/__inspector/`);
    await page.locator('#connection[data-state="live"]').waitFor();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
  });

  it('shows the frozen clock, and no retry waiting', async () => {
    await page.locator('#clock-now[data-frozen="true"][data-now="2026-01-01T00:00:00.000Z"]').waitFor();
    assert.equal(await page.locator('#clock-now .badge.clock-state').textContent(), 'frozen');
    assert.equal(await page.locator('#retries li.empty').textContent(), 'No retry is waiting.');
  });

  it('marks a failed SuperOffice delivery "retry at …", and the panel lists the retry', async () => {
    receiver.behave(failingOnce);
    const first = await trigger('superoffice', 'sale.sold', String(SO_HOOK));
    await row(first).locator('.badge.retry.waiting').waitFor();
    assert.equal(await row(first).locator('.badge.retry').textContent(), 'retry at 00:00:01.000');
    assert.equal(await row(first).locator('.badge.attempt').textContent(), 'attempt 1');
    assert.equal(await row(first).locator('.status.failed').textContent(), '500');

    const waiting = page.locator(`#retries li.retry-item[data-after="${first}"]`);
    await waiting.waitFor();
    assert.equal(await waiting.locator('.retry-when').textContent(), '00:00:01.000 (in 1s)');
    assert.equal(await waiting.locator('.badge.attempt').textContent(), 'attempt 2');
    assert.equal(await waiting.locator('.retry-what').textContent(), `sale.sold → ${SO_HOOK}`);
    assert.equal(await page.locator('#retries-count').textContent(), '(1)');

    // a click on the waiting retry shows the delivery that failed, with the time of its next attempt
    await waiting.click();
    await page.locator(`li.row.delivery.selected[data-id="${first}"]`).waitFor();
    await page.locator('#detail .facts dd', { hasText: 'retry at 2026-01-01T00:00:01.000Z' }).waitFor();
  });

  it('refuses an "Advance" that is no duration, and sends nothing', async () => {
    await page.fill('#clock-advance', 'soon');
    await page.getByRole('button', { name: 'Advance', exact: true }).click();
    await page.locator('#clock-advance[aria-invalid="true"]').waitFor();
    assert.match((await page.locator('#clock-status').textContent()) ?? '', /^Not a duration/);
    assert.deepEqual(clockMoves, []);
  });

  it('fires the retry on "Advance": the new attempt appears as attempt 2, answered 200', async () => {
    await page.fill('#clock-advance', '15s');
    await page.getByRole('button', { name: 'Advance', exact: true }).click();
    await page.locator('#clock-now[data-now="2026-01-01T00:00:15.000Z"]').waitFor();
    assert.deepEqual(clockMoves, ['{"advanceMs":15000}']);
    await page.locator('#clock-status', { hasText: 'Moved to 00:00:15.000: fired 1 retry.' }).waitFor();
    assert.equal(await page.locator('#clock-advance').getAttribute('aria-invalid'), null);

    const second = rowsWith('attempt', 'attempt 2');
    await second.waitFor();
    assert.equal(await second.locator('.status.ok').textContent(), '200');
    assert.equal(await second.locator('.badge.retry').count(), 0, 'a success has nothing following it');
    await page.locator('#retries li.empty').waitFor();
    assert.equal(receiver.received.length, 2);
    const [sent, retried] = receiver.received;
    assert.equal(retried!.headers['x-superoffice-eventid'], sent!.headers['x-superoffice-eventid']);

    // its detail lists both attempts of the event, the shown one marked
    await second.click();
    const attempts = page.locator('#detail .attempts li');
    await page.locator('#detail .attempts li.current', { hasText: 'attempt 2' }).waitFor();
    assert.deepEqual(
      (await attempts.allTextContents()).map((text) => text.replace(/ · .*$/, '')),
      ['attempt 1 00:00:00.000 → 500', 'attempt 2 00:00:01.000 → 200'],
    );
    // the parts it lacks (here the vendor's verdict) leave nothing behind, not even a stray "null"
    const strayText = await page
      .locator('#detail')
      .evaluate((detail) =>
        [...detail.childNodes].filter((node) => node.nodeType === 3).map((node) => node.textContent),
      );
    assert.deepEqual(strayText, []);
  });

  it('marks a C1 delivery that failed with its retry time, and "Redeliver" sends it again as a redelivery', async () => {
    receiver.behave({ kind: 'answer', status: 500, body: 'not now' });
    const first = await trigger('c1', 'c1.webhooks.v1.PayloadTest', C1_HOOK);
    const [waiting] = server.schedule();
    assert.equal(waiting?.after, first);
    const at = waiting.dueAt.slice(11, 23);
    await row(first)
      .locator('.badge.retry', { hasText: `retry at ${at}` })
      .waitFor();
    await page.locator(`#retries li.retry-item[data-after="${first}"]`).waitFor();

    receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
    const before = receiver.received.length;
    await row(first).click();
    await page.locator('#detail h3', { hasText: first }).waitFor();
    await page.locator('#detail').getByRole('button', { name: 'Redeliver', exact: true }).click();

    const selected = page.locator('li.row.delivery.selected');
    await selected.locator('.badge.redelivery', { hasText: `redelivery of ${first}` }).waitFor();
    const id = await selected.getAttribute('data-id');
    assert.ok(id !== null && id !== first);
    assert.match((await page.locator('#detail h3').textContent()) ?? '', new RegExp(id));
    assert.equal(await selected.locator('.badge.attempt').textContent(), 'attempt 2');
    assert.equal(await selected.locator('.status.ok').textContent(), '200');
    await page.locator('#detail .facts dd', { hasText: first }).waitFor();
    assert.equal(receiver.received.length, before + 1);
    const [original, resent] = receiver.received.slice(before - 1);
    assert.equal(resent!.headers['webhook-id'], original!.headers['webhook-id']);
    assert.equal(server.deliveries.all().find((record) => record.id === id)?.redeliveryOf, first);
    // a redelivery is one attempt: the retry of the first still waits
    assert.equal(await page.locator(`#retries li.retry-item[data-after="${first}"]`).count(), 1);
  });

  it('says why a delivery is not retried: C1 stops at a 410 Gone', async () => {
    receiver.behave({ kind: 'answer', status: 410, body: '' });
    const gone = await trigger('c1', 'c1.webhooks.v1.PayloadTest', C1_HOOK);
    const badge = row(gone).locator('.badge.retry.stopped');
    await badge.waitFor();
    assert.equal(await badge.textContent(), 'no retry: the receiver answered 410 Gone: C1 stops at once');
  });

  it('places each delivery of a burst: its event, its position in sending order, and a duplicate', async () => {
    receiver.behave({ kind: 'answer', status: 200, body: '{"version":"v1"}' });
    const result = await server.trigger({
      vendor: 'superoffice',
      event: 'sale.sold',
      webhookId: String(SO_HOOK),
      count: 2,
      duplicates: 0.5,
    });
    const notes = server.deliveries.all().filter((record) => record.burst?.triggerId === result.triggerId);
    assert.equal(notes.length, 3);
    for (const record of notes) {
      const { event, position, duplicate } = record.burst!;
      const label = `burst event ${event}, sent at position ${position}${duplicate ? ' (duplicate)' : ''}`;
      await row(record.id).locator('.badge.burst', { hasText: label }).waitFor();
    }
    assert.equal(await page.locator('.badge.burst.duplicate').count(), 1);
  });

  it('raised no CSP violations, page errors or console errors', () => {
    assert.deepEqual(problems, []);
  });
});
