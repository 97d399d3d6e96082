/**
 * A page from another origin, in a real browser, against the mock on the same machine: it cannot read the admin
 * API's journals, and its form posts to the admin API are refused — the attack a developer's open browser tab
 * would otherwise make possible. `.ci/run` installs chromium; elsewhere set CHROMIUM_PATH.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import type { MockServer } from '../../src/server/index.js';
import { startTestServer } from '../support/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let mock: MockServer;
let attacker: http.Server;
let attackerUrl: string;
let browser: Browser;

/** The attacker's page: reads the journal with fetch, and posts a reset with a form (a "simple" request). */
function attackerPage(target: string): string {
  return `<!doctype html><html><body>
<form id="reset" method="POST" action="${target}/__admin/reset" target="sink"></form>
<iframe name="sink"></iframe>
<script>
window.readResult = fetch('${target}/__admin/requests')
  .then((res) => res.text().then((text) => 'read ' + res.status + ' ' + text.length))
  .catch((error) => 'blocked: ' + error.name);
window.noCorsReset = fetch('${target}/__admin/reset', { method: 'POST', mode: 'no-cors' })
  .then(() => 'sent').catch((error) => 'blocked: ' + error.name);
document.getElementById('reset').submit();
</script></body></html>`;
}

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium`);
  mock = await startTestServer();
  // the mock at http://localhost:<port>; the attacker's page at http://127.0.0.1:<other port>: another origin
  const target = mock.url.replace('127.0.0.1', 'localhost');
  attacker = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(attackerPage(target));
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => attacker?.close(() => resolve()));
  await mock?.close();
});

test('a page from another origin can neither read the admin journals nor reset the mock', async () => {
  // something in the journal the attacker would like to read, and state a reset would throw away
  await fetch(`${mock.urls.shodai}/v0/webhooks/wh_demo_alice_1/test`, {
    method: 'POST',
    headers: { 'x-api-key': 'cns_pk_demo_free' },
  });
  const before = mock.requests.list().length;
  assert.ok(before > 0);

  const page = await browser.newPage();
  await page.goto(attackerUrl);
  const read = await page.evaluate(
    () => (globalThis as unknown as { readResult: Promise<string> }).readResult,
  );
  assert.match(read, /^blocked: TypeError/, `the page read the journal: ${read}`);
  await page.evaluate(() => (globalThis as unknown as { noCorsReset: Promise<string> }).noCorsReset);
  await page.waitForTimeout(500);

  assert.equal(mock.requests.list().length >= before, true, 'the journal was not reset');
  assert.ok(
    mock.requests.list().some((entry) => entry.operationId === 'testWebhook'),
    'the test call is still in the journal',
  );
  await page.close();
});
