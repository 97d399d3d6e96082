/* global document, sessionStorage, history, location, AbortController, TextDecoder */
/**
 * The web inspector: live requests and deliveries, details with signature verification and the vendor's verdict
 * on the receiver's answer, each delivery's place among its event's attempts (attempts.js) and a "Redeliver"
 * button, scenario switches, "send test" per webhook, the "Trigger event" form (trigger-form.js), the "Clock
 * and retries" panel (clock-panel.js) and reset. It uses only the admin API (../__admin) and puts everything it shows into
 * the DOM as text (textContent, text nodes): bodies and headers are untrusted input. No innerHTML anywhere.
 *
 * The admin token, when the mock has one, goes only in an Authorization header: from `#token=...` in the page's
 * address (a fragment never reaches a server) or the form, kept in sessionStorage. The live stream is read
 * with fetch rather than EventSource, which cannot send that header.
 */

import { attemptBadges, attemptFacts, attemptsList } from './attempts.js';
import { createClockPanel } from './clock-panel.js';
import { $, el } from './dom.js';
import { createTriggerForm } from './trigger-form.js';
import { verdictBadge, verdictNote } from './verdict.js';

const ADMIN = new URL('../__admin', document.baseURI).pathname;
const TOKEN_KEY = 'vendor-webhook-mock:admin-token';
const MAX_ITEMS = 500;

const state = {
  token: sessionStorage.getItem(TOKEN_KEY) ?? '',
  vendor: '',
  /** key `request:<id>` / `delivery:<id>` → { kind, id, vendor, at, data } */
  items: new Map(),
  /** Order of arrival: among items of one moment (a frozen clock), the later one is shown first. */
  arrivals: 0,
  selected: undefined,
  /** The selected delivery's event: every attempt, `{ key, deliveries }`. */
  attempts: undefined,
  webhooks: [],
  scenarios: [],
  /** `<vendor>/<id>` → the last "send test" result */
  testResults: new Map(),
  vendors: [],
  stream: undefined,
  retryMs: 1000,
};

/** A refused admin call: its status, and its problem+json answer (`title`, `detail`, `errors`) when it has one. */
class AdminError extends Error {
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

function authHeaders() {
  return state.token === '' ? {} : { authorization: `Bearer ${state.token}` };
}

/** Calls the admin API; a problem+json answer becomes an AdminError with its detail. */
async function api(path, { method = 'GET', body } = {}) {
  const response = await fetch(`${ADMIN}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...authHeaders(),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401) askForToken();
  const text = await response.text();
  let json;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const detail = json?.detail ?? json?.title ?? text;
    throw new AdminError(response.status, `${method} ${path}: ${response.status} ${detail}`, json);
  }
  return json;
}

function showError(error) {
  const box = $('error');
  if (error === undefined) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  box.hidden = false;
  box.textContent = error instanceof Error ? error.message : String(error);
}

function setConnection(text, kind) {
  const node = $('connection');
  node.textContent = text;
  node.dataset.state = kind;
}

// ------------------------------------------------------------------------------------------------ admin token

function takeTokenFromFragment() {
  const match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (match === null) return;
  state.token = decodeURIComponent(match[1]);
  sessionStorage.setItem(TOKEN_KEY, state.token);
  history.replaceState(null, '', location.pathname + location.search);
}

function askForToken() {
  const form = $('token-form');
  if (!form.hidden) return;
  form.hidden = false;
  $('token-message').textContent =
    state.token === ''
      ? 'This mock has an admin token: enter it (it stays in this tab only).'
      : 'The admin token was refused: enter the right one.';
  setConnection('admin token needed', 'auth');
  $('token-input').focus();
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  state.token = $('token-input').value.trim();
  sessionStorage.setItem(TOKEN_KEY, state.token);
  $('token-input').value = '';
  $('token-form').hidden = true;
  start();
});

// ---------------------------------------------------------------------------------------------------- traffic

function itemOf(kind, data) {
  return {
    kind,
    id: data.id,
    vendor: data.vendor,
    at: kind === 'request' ? data.receivedAt : data.startedAt,
    data,
  };
}

function addItem(kind, data) {
  const item = itemOf(kind, data);
  const key = `${kind}:${item.id}`;
  state.arrivals += 1;
  item.arrival = state.items.get(key)?.arrival ?? state.arrivals;
  state.items.set(key, item);
  if (state.items.size > MAX_ITEMS) {
    const oldest = [...state.items.values()].sort((a, b) => a.at.localeCompare(b.at))[0];
    state.items.delete(`${oldest.kind}:${oldest.id}`);
  }
}

function statusClass(status) {
  if (typeof status !== 'number') return 'status failed';
  if (status >= 200 && status < 300) return 'status ok';
  if (status >= 400) return 'status failed';
  return 'status other';
}

function clock(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(11, 23);
}

/**
 * A delivery's badge in the list. Green only for a delivery that was meant to be right and verifies; a negative
 * delivery (made wrong on purpose) gets its own badge whatever its check says, and a delivery rightly sent
 * without a signature (no secret to sign with) a neutral "unsigned".
 */
function verificationBadge(data) {
  const verification = data.verification;
  if (data.negative)
    return el(
      'span',
      {
        class: 'badge negative',
        title: `made wrong on purpose${verification ? `; the check: ${verification.reason}` : ''}`,
      },
      `negative: ${data.negative}`,
    );
  if (verification === undefined) return null;
  const [kind, label] = verification.verified
    ? ['verified', 'signature verified']
    : verification.unsigned
      ? ['unsigned', 'unsigned']
      : ['unverified', 'signature not verified'];
  return el('span', { class: `badge ${kind}`, title: verification.reason }, label);
}

/**
 * A path or URL in one line that keeps its end (a webhook id, the sink's name) when it is too long: the start
 * gives way with an ellipsis, the last two path segments and the query stay.
 */
function pathLine(text) {
  const query = text.indexOf('?');
  const path = query < 0 ? text : text.slice(0, query);
  const last = path.lastIndexOf('/');
  const cut = last > 0 ? path.lastIndexOf('/', last - 1) : -1;
  const [start, end] = cut > 0 ? [text.slice(0, cut), text.slice(cut)] : [text, ''];
  return el(
    'div',
    { class: 'path', title: text },
    el('span', { class: 'start' }, start),
    end ? el('span', { class: 'end' }, end) : null,
  );
}

function trafficRow(item) {
  const { data } = item;
  const key = `${item.kind}:${item.id}`;
  const select = () => selectItem(key);
  const common = {
    class: `row ${item.kind}${state.selected === key ? ' selected' : ''}`,
    tabindex: 0,
    dataset: { kind: item.kind, id: item.id, vendor: item.vendor },
    onclick: select,
    onkeydown: (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        select();
      }
    },
  };
  // head: when, which way, whose, the status and what; then the path in a line of its own; then the badges
  const row = (head, path, meta) =>
    el(
      'li',
      common,
      el('div', { class: 'head' }, head),
      pathLine(path),
      meta.some(Boolean) ? el('div', { class: 'meta' }, meta) : null,
    );
  const vendorTag = el('span', { class: `vendor ${item.vendor}` }, vendorLabel(item.vendor));
  if (item.kind === 'request') {
    const operation = data.operationId ?? '';
    return row(
      [
        el('span', { class: 'time' }, clock(item.at)),
        el('span', { class: 'direction in', title: 'inbound request to the mock' }, 'IN'),
        vendorTag,
        el('span', { class: statusClass(data.response.status) }, data.response.status),
        el('span', { class: 'summary operation', title: operation }, operation),
      ],
      `${data.method} ${data.url}`,
      [data.scenario ? el('span', { class: 'badge scenario' }, `scenario ${data.scenario}`) : null],
    );
  }
  const status = data.response?.status ?? data.error?.kind ?? '';
  return row(
    [
      el('span', { class: 'time' }, clock(item.at)),
      el('span', { class: 'direction out', title: 'outbound delivery by the mock' }, 'OUT'),
      vendorTag,
      el('span', { class: statusClass(data.response?.status) }, status),
      el('span', { class: 'summary', title: data.event }, data.event),
    ],
    `→ ${data.request.url}`,
    [
      verificationBadge(data),
      verdictBadge(data.verdict),
      ...attemptBadges(data),
      data.simulatedBy ? el('span', { class: 'badge scenario' }, `simulated by ${data.simulatedBy}`) : null,
    ],
  );
}

/** At the same moment a delivery goes above the request (it is shown as its consequence). */
const kindRank = (item) => (item.kind === 'delivery' ? 0 : 1);

function visibleItems() {
  return [...state.items.values()]
    .filter((item) => state.vendor === '' || item.vendor === state.vendor)
    .sort((a, b) => b.at.localeCompare(a.at) || kindRank(a) - kindRank(b) || b.arrival - a.arrival);
}

function renderTraffic() {
  const items = visibleItems();
  $('traffic').replaceChildren(
    ...(items.length === 0
      ? [el('li', { class: 'empty' }, 'Nothing yet: make a call to a vendor, or press "Send test".')]
      : items.map(trafficRow)),
  );
  $('traffic-count').textContent = `(${items.length})`;
}

// ----------------------------------------------------------------------------------------------------- detail

function prettyBody(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function headersTable(headers) {
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return el('p', { class: 'empty' }, 'no headers');
  return el(
    'table',
    { class: 'headers' },
    el(
      'tbody',
      {},
      entries.map(([name, value]) => el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, value))),
    ),
  );
}

function bodyBlock(label, text, note) {
  return el(
    'div',
    { class: 'body-block' },
    el('h4', {}, label, note ? el('small', {}, ` ${note}`) : null),
    text === '' ? el('p', { class: 'empty' }, 'empty body') : el('pre', { class: 'body' }, prettyBody(text)),
  );
}

function facts(pairs) {
  return el(
    'dl',
    { class: 'facts' },
    pairs
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]),
  );
}

/** What the signature check says, in words that fit the delivery: meant right, made wrong, or unsigned. */
function verificationNote(data) {
  const verification = data.verification;
  if (verification === undefined) return null;
  if (data.negative)
    return el(
      'p',
      { class: 'verification negative' },
      el('strong', {}, `Negative delivery (${data.negative}), made wrong on purpose. `),
      verification.verified ? 'Its signature still verifies: ' : 'Its check fails, as intended: ',
      verification.reason,
    );
  const [kind, label] = verification.verified
    ? ['verified', 'Verifies: ']
    : verification.unsigned
      ? ['unsigned', 'Unsigned: ']
      : ['unverified', 'Does not verify: '];
  return el('p', { class: `verification ${kind}` }, el('strong', {}, label), verification.reason);
}

/** The selected delivery's event's attempts, once GET /deliveries/{id} has told them. */
function attemptsOf(data) {
  return state.attempts?.key === `delivery:${data.id}` ? state.attempts.deliveries : undefined;
}

function deliveryDetail(data) {
  return [
    el('div', { class: 'detail-head' }, el('h3', {}, `Delivery ${data.id}`), redeliverButton(data)),
    facts([
      ['vendor', vendorLabel(data.vendor)],
      ['webhook', data.webhookId],
      ['event', data.event],
      // a triggered event's deliveries name the trigger (`trg_…`), others the inbound request
      [data.requestId.startsWith('trg_') ? 'caused by trigger' : 'caused by request', data.requestId],
      ['started', data.startedAt],
      ['duration', `${data.durationMs} ms`],
      ['simulated by', data.simulatedBy],
      ['negative delivery', data.negative],
      ...attemptFacts(data),
    ]),
    attemptsList(attemptsOf(data), data.id, (attempt) => showDelivery(attempt.id, attempt.vendor)),
    data.verdict
      ? el(
          'section',
          { class: 'verdict-section' },
          el('h4', {}, "The vendor's verdict"),
          verdictNote(data.verdict),
        )
      : null,
    el(
      'section',
      { class: 'signature' },
      el('h4', {}, 'Signature'),
      facts([
        ['header', data.signature?.header],
        ['value', data.signature?.value ?? '(none)'],
      ]),
      verificationNote(data),
    ),
    el(
      'section',
      {},
      el('h4', {}, `Sent: POST ${data.request.url}`),
      headersTable(data.request.headers),
      bodyBlock('Body', data.request.body, '(exact bytes sent)'),
    ),
    el(
      'section',
      { class: 'answer' },
      data.response
        ? [
            el('h4', {}, `Receiver's answer: ${data.response.status} ${data.response.statusText ?? ''}`),
            headersTable(data.response.headers),
            bodyBlock('Body', data.response.body, data.response.truncated ? '(truncated)' : ''),
          ]
        : [
            el('h4', {}, 'No answer'),
            el('p', { class: 'failure' }, `${data.error?.kind}: ${data.error?.message}`),
          ],
    ),
  ];
}

function requestDetail(data) {
  return [
    el('h3', {}, `Request ${data.id}`),
    facts([
      ['vendor', vendorLabel(data.vendor)],
      ['operation', data.operationId],
      ['received', data.receivedAt],
      ['duration', `${data.durationMs} ms`],
      ['scenario', data.scenario],
    ]),
    el(
      'section',
      {},
      el('h4', {}, `${data.method} ${data.url}`),
      headersTable(data.headers),
      bodyBlock('Body', data.body, data.bodyTruncated ? '(truncated)' : ''),
    ),
    el(
      'section',
      { class: 'answer' },
      el('h4', {}, `The mock's answer: ${data.response.status}`),
      headersTable(data.response.headers),
      bodyBlock('Body', data.response.body, data.response.bodyTruncated ? '(truncated)' : ''),
    ),
  ];
}

function renderDetail() {
  const item = state.selected === undefined ? undefined : state.items.get(state.selected);
  const detail = $('detail');
  if (item === undefined) {
    detail.replaceChildren(el('p', { class: 'empty' }, 'Select a request or a delivery.'));
    return;
  }
  detail.dataset.kind = item.kind;
  // parts a detail lacks (no verdict, a single attempt) are null: replaceChildren would show them as "null"
  const parts = item.kind === 'delivery' ? deliveryDetail(item.data) : requestDetail(item.data);
  detail.replaceChildren(...parts.filter((part) => part !== null && part !== undefined));
}

async function selectItem(key) {
  state.selected = key;
  renderTraffic();
  renderDetail();
  // a delivery that is not in the list (yet) is fetched all the same
  if (!key.startsWith('delivery:')) return;
  try {
    // verification again, now that the request that caused it is in the journal too; and every attempt
    const id = key.slice('delivery:'.length);
    const { delivery, deliveries } = await api(`/deliveries/${encodeURIComponent(id)}`);
    addItem('delivery', delivery);
    state.attempts = { key, deliveries };
    if (state.selected === key) {
      renderTraffic();
      renderDetail();
    }
  } catch (error) {
    if (!(error instanceof AdminError && error.status === 404)) showError(error);
  }
}

/** A new delivery of the selected delivery's event joins its list of attempts. */
function noteAttempt(data) {
  const shown = state.attempts;
  const eventId = state.items.get(shown?.key ?? '')?.data.eventIds?.[0];
  if (eventId === undefined || !data.eventIds?.includes(eventId)) return;
  if (shown.deliveries.some((attempt) => attempt.id === data.id)) return;
  shown.deliveries = [...shown.deliveries, data];
  renderDetail();
}

function redeliverButton(data) {
  return el(
    'button',
    {
      type: 'button',
      class: 'redeliver',
      title: 'POST /__admin/deliveries/{id}/redeliver: the same event and ids, signed afresh, one attempt',
      onclick: (event) => redeliver(data, event.currentTarget),
    },
    'Redeliver',
  );
}

/** Sends the delivery's event again, as the vendors' resend buttons do, and selects the new delivery. */
async function redeliver(data, button) {
  button.disabled = true;
  button.textContent = 'Redelivering…';
  try {
    const { delivery } = await api(`/deliveries/${encodeURIComponent(data.id)}/redeliver`, {
      method: 'POST',
    });
    showError(undefined);
    // null: sent, but the journal (--journal-size) has already dropped it
    if (delivery === null) return;
    addItem('delivery', delivery);
    await showDelivery(delivery.id, delivery.vendor);
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
    button.textContent = 'Redeliver';
  }
}

/** A delivery a trigger made, selected and scrolled into view (the vendor filter opened up if it hid it). */
async function showDelivery(id, vendor) {
  if (state.vendor !== '' && state.vendor !== vendor) {
    state.vendor = '';
    $('vendor-filter').value = '';
    renderWebhooks();
  }
  await selectItem(`delivery:${id}`);
  const row = [...$('traffic').children].find((li) => li.dataset.kind === 'delivery' && li.dataset.id === id);
  row?.scrollIntoView({ block: 'nearest' });
  row?.focus({ preventScroll: true });
}

// ------------------------------------------------------------------------------------- webhooks and scenarios

function renderWebhooks() {
  const list = state.webhooks.filter((webhook) => state.vendor === '' || webhook.vendor === state.vendor);
  $('webhooks').replaceChildren(
    ...(list.length === 0
      ? [el('li', { class: 'empty' }, 'No webhooks.')]
      : list.map((webhook) => {
          const key = `${webhook.vendor}/${webhook.id}`;
          const result = state.testResults.get(key);
          return el(
            'li',
            { class: 'webhook', dataset: { vendor: webhook.vendor, id: webhook.id } },
            el(
              'div',
              { class: 'webhook-head' },
              el('span', { class: `vendor ${webhook.vendor}` }, vendorLabel(webhook.vendor)),
              el('span', { class: 'name', title: webhook.id }, webhook.name),
              webhook.status ? el('span', { class: 'webhook-status' }, webhook.status) : null,
            ),
            el('div', { class: 'url', title: webhook.url }, webhook.url),
            el(
              'button',
              {
                type: 'button',
                class: 'send-test',
                title: `the vendor's test call for ${webhook.id}`,
                onclick: (event) => sendTest(webhook, event.currentTarget),
              },
              'Send test',
            ),
            result
              ? el(
                  'div',
                  { class: `test-result ${result.ok ? 'ok' : 'failed'}`, title: result.body },
                  result.summary,
                )
              : null,
          );
        })),
  );
}

async function sendTest(webhook, button) {
  const key = `${webhook.vendor}/${webhook.id}`;
  button.disabled = true;
  button.textContent = 'Sending…';
  try {
    const result = await api(
      `/webhooks/${encodeURIComponent(webhook.vendor)}/${encodeURIComponent(webhook.id)}/test`,
      { method: 'POST' },
    );
    state.testResults.set(key, { ok: result.ok, summary: result.summary, body: result.response.body });
    showError(undefined);
  } catch (error) {
    state.testResults.set(key, { ok: false, summary: error.message, body: '' });
  }
  renderWebhooks();
}

function renderScenarios() {
  $('scenarios').replaceChildren(
    ...(state.scenarios.length === 0
      ? [el('li', { class: 'empty' }, 'No scenarios.')]
      : state.scenarios.map((scenario) =>
          el(
            'li',
            { class: 'scenario', dataset: { name: scenario.name } },
            el(
              'label',
              {},
              el('input', {
                type: 'checkbox',
                role: 'switch',
                checked: scenario.active,
                'aria-checked': String(scenario.active),
                onchange: (event) => switchScenario(scenario.name, event.currentTarget.checked),
              }),
              el('span', { class: 'name' }, scenario.name),
            ),
            el('p', { class: 'description' }, scenario.description),
          ),
        )),
  );
}

async function switchScenario(name, on) {
  try {
    const { scenarios } = await api('/scenarios', {
      method: 'PUT',
      body: on ? { activate: [name] } : { deactivate: [name] },
    });
    state.scenarios = scenarios;
    showError(undefined);
  } catch (error) {
    showError(error);
  }
  renderScenarios();
}

// ------------------------------------------------------------------------------------------------ live stream

/** The vendors the mock serves, from the admin API: their labels, and the vendor filter's choices. */
function setVendors(vendors) {
  state.vendors = vendors;
  const filter = $('vendor-filter');
  filter.replaceChildren(
    el('option', { value: '' }, 'all vendors'),
    ...vendors.map((vendor) => el('option', { value: vendor.name }, `${vendor.label} (${vendor.name})`)),
  );
  filter.value = state.vendor;
}

function vendorLabel(name) {
  return state.vendors.find((vendor) => vendor.name === name)?.label ?? name;
}

async function loadLists() {
  const [vendors, requests, deliveries, webhooks, scenarios, catalogue] = await Promise.all([
    api('/vendors'),
    api('/requests?limit=200'),
    api('/deliveries?limit=200'),
    api('/webhooks'),
    api('/scenarios'),
    api('/catalogue'),
  ]);
  setVendors(vendors.vendors);
  for (const request of requests.requests) addItem('request', request);
  for (const delivery of deliveries.deliveries) addItem('delivery', delivery);
  state.webhooks = webhooks.webhooks;
  state.scenarios = scenarios.scenarios;
  renderWebhooks();
  renderScenarios();
  renderTraffic();
  renderDetail();
  triggerForm.setCatalogue(catalogue.vendors);
  if (state.vendor !== '') triggerForm.chooseVendor(state.vendor);
  await clockPanel.refresh();
}

function clearTraffic() {
  state.items.clear();
  state.selected = undefined;
  state.attempts = undefined;
  clockPanel.clear();
  state.testResults.clear();
  triggerForm.clearResult();
}

function onEvent(type, text) {
  if (type === 'request' || type === 'delivery') {
    const data = JSON.parse(text);
    addItem(type, data);
    renderTraffic();
    if (state.selected === `${type}:${data.id}`) renderDetail();
    if (type === 'delivery') {
      noteAttempt(data);
      // a failed delivery may have scheduled a retry, a fired one left the schedule
      clockPanel.refresh();
    }
  } else if (type === 'reset') {
    clearTraffic();
    loadLists().catch(showError);
  }
}

/** Reads `text/event-stream` from a fetch body: blocks split by a blank line, `event:` and `data:` fields. */
async function readEvents(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let type = 'message';
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') type = text;
        else if (field === 'data') data.push(text);
      }
      if (data.length > 0) onEvent(type, data.join('\n'));
    }
  }
}

async function connect() {
  state.stream?.abort();
  const controller = new AbortController();
  state.stream = controller;
  setConnection('connecting…', 'connecting');
  try {
    const response = await fetch(`${ADMIN}/events`, {
      headers: { accept: 'text/event-stream', ...authHeaders() },
      signal: controller.signal,
    });
    if (response.status === 401) {
      askForToken();
      return;
    }
    if (!response.ok || response.body === null) throw new Error(`GET /events: ${response.status}`);
    // subscribed: now the lists, so nothing falls between them and the stream
    await loadLists();
    showError(undefined);
    setConnection('live', 'live');
    state.retryMs = 1000;
    await readEvents(response.body);
  } catch (error) {
    if (controller.signal.aborted) return;
    if (error instanceof AdminError && error.status === 401) return;
    showError(error);
  }
  if (controller.signal.aborted || state.stream !== controller) return;
  setConnection('reconnecting…', 'reconnecting');
  setTimeout(connect, state.retryMs);
  state.retryMs = Math.min(state.retryMs * 2, 10_000);
}

function start() {
  connect();
}

// ---------------------------------------------------------------------------------------------------- wiring

$('vendor-filter').addEventListener('change', (event) => {
  state.vendor = event.currentTarget.value;
  renderTraffic();
  renderWebhooks();
  if (state.vendor !== '') triggerForm.chooseVendor(state.vendor);
});

$('reset').addEventListener('click', async () => {
  try {
    await api('/reset', { method: 'POST' });
    clearTraffic();
    await loadLists();
    showError(undefined);
  } catch (error) {
    showError(error);
  }
});

const triggerForm = createTriggerForm({
  api,
  vendors: () => state.vendors,
  webhooks: () => state.webhooks,
  showDelivery,
});

const clockPanel = createClockPanel({ api, vendorLabel, showDelivery, showError });

takeTokenFromFragment();
start();
