/**
 * The "Trigger event" form: any event of a vendor's catalogue (GET /__admin/catalogue), to every webhook that
 * receives it or to one, generated or changed by `set` overrides or a whole `data` part, optionally invalid or
 * made wrong on purpose (a negative delivery). It POSTs /__admin/trigger and shows, per webhook, whether the
 * event was delivered or skipped and why, the receiver's status and the vendor's verdict on the answer, with a
 * button that shows the delivery in the traffic list. A refused trigger's problems appear next to the fields
 * they name; JSON that does not parse is reported before anything is sent.
 */
import { $, el } from './dom.js';
import { verdictBadge, verdictNote } from './verdict.js';

/** The trigger's fields whose problems are shown next to their own control (the rest under the button). */
const CONTROLS = {
  vendor: 'trigger-vendor',
  event: 'trigger-event',
  variant: 'trigger-variant',
  webhookId: 'trigger-webhook',
  set: 'trigger-set',
  data: 'trigger-data',
  allowInvalid: 'trigger-allow-invalid',
  negative: 'trigger-negative',
};

/**
 * Where a problem the admin API names goes: its own field's place; `set.<path>` to the overrides; a path inside
 * the event's own part (a schema problem) to the box it most likely came from; anything else under the button.
 */
function slotOf(field, sent) {
  if (field === 'set' || field.startsWith('set.')) return 'set';
  if (Object.hasOwn(CONTROLS, field)) return field;
  if (field === 'body' || field === 'form') return 'form';
  if (sent?.set !== undefined) return 'set';
  if (sent?.data !== undefined) return 'data';
  return 'form';
}

/** The text of a JSON box: undefined when empty, else the value or the parse error. */
function readJson(id) {
  const text = $(id).value.trim();
  if (text === '') return { value: undefined };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `is not valid JSON: ${error.message}` };
  }
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The trigger request the form describes, or the problems that keep it from being sent. */
function readForm() {
  const errors = [];
  const set = readJson('trigger-set');
  if (set.error !== undefined) errors.push({ field: 'set', message: set.error });
  else if (set.value !== undefined && !isPlainObject(set.value))
    errors.push({ field: 'set', message: 'must be a JSON object of "dot.path": value' });
  const data = readJson('trigger-data');
  if (data.error !== undefined) errors.push({ field: 'data', message: data.error });
  if (errors.length > 0) return { errors };
  const text = (id) => $(id).value || undefined;
  return {
    body: {
      vendor: $('trigger-vendor').value,
      event: $('trigger-event').value,
      webhookId: text('trigger-webhook'),
      variant: text('trigger-variant'),
      set: set.value,
      data: data.value,
      allowInvalid: $('trigger-allow-invalid').checked || undefined,
      negative: text('trigger-negative'),
    },
  };
}

function errorSlots() {
  return [...$('trigger-form').querySelectorAll('[data-errors-for]')];
}

function clearErrors() {
  $('trigger-status').textContent = '';
  for (const slot of errorSlots()) {
    slot.replaceChildren();
    slot.hidden = true;
  }
  for (const id of Object.values(CONTROLS)) $(id).removeAttribute('aria-invalid');
}

/** Each problem next to its field (`errors` of a problem+json answer, or the form's own checks). */
function showErrors(errors, sent) {
  const slots = new Map(errorSlots().map((slot) => [slot.dataset.errorsFor, slot]));
  for (const { field, message } of errors) {
    const name = slotOf(String(field), sent);
    const slot = slots.get(name);
    slot.hidden = false;
    slot.append(
      el('li', {}, field === name ? null : el('code', {}, field), field === name ? '' : ' ', message),
    );
    if (CONTROLS[name] !== undefined) $(CONTROLS[name]).setAttribute('aria-invalid', 'true');
  }
}

function optionsOf(select, options, keep) {
  const previous = keep ? select.value : '';
  select.replaceChildren(...options.map(({ value, label, title }) => el('option', { value, title }, label)));
  if (options.some((option) => option.value === previous)) select.value = previous;
}

/** What a delivered event got back: the receiver's status, or how sending failed. */
function outcomeOf(result) {
  if (result === undefined) return null;
  if (result.kind === 'response') {
    const ok = result.status >= 200 && result.status < 300;
    return el('span', { class: `status ${ok ? 'ok' : 'failed'}` }, `HTTP ${result.status}`);
  }
  return el('span', { class: 'status failed', title: result.message ?? '' }, result.kind);
}

function renderDelivery(entry, { webhookName, showDelivery, vendor }) {
  const kind = entry.delivered ? 'delivered' : 'skipped';
  const failure = entry.result !== undefined && entry.result.kind !== 'response';
  return el(
    'li',
    {
      class: `trigger-delivery ${kind}`,
      dataset: { webhookId: entry.webhookId, ...(entry.deliveryId ? { deliveryId: entry.deliveryId } : {}) },
    },
    el(
      'div',
      { class: 'head' },
      el('span', { class: `badge ${kind}` }, kind),
      el(
        'span',
        { class: 'name', title: `${entry.webhookId} ${entry.url ?? ''}` },
        webhookName(vendor, entry.webhookId),
      ),
      outcomeOf(entry.result),
      verdictBadge(entry.verdict),
    ),
    el('p', { class: 'reason' }, entry.reason),
    failure ? el('p', { class: 'failure' }, `${entry.result.kind}: ${entry.result.message ?? ''}`) : null,
    verdictNote(entry.verdict),
    entry.deliveryId
      ? el(
          'button',
          { type: 'button', class: 'show-delivery', onclick: () => showDelivery(entry.deliveryId, vendor) },
          'Show delivery',
        )
      : null,
  );
}

function renderResult(result, deps) {
  const box = $('trigger-result');
  const delivered = result.deliveries.filter((entry) => entry.delivered).length;
  const skipped = result.deliveries.length - delivered;
  box.dataset.triggerId = result.triggerId;
  box.replaceChildren(
    el(
      'p',
      { class: 'trigger-summary' },
      el('strong', {}, result.event),
      result.variant ? ` (${result.variant})` : '',
      `: ${delivered} delivered, ${skipped} skipped `,
      el('small', {}, result.triggerId),
    ),
    result.deliveries.length === 0
      ? el('p', { class: 'empty' }, 'No webhook of this vendor receives it.')
      : el(
          'ul',
          { class: 'trigger-deliveries' },
          result.deliveries.map((entry) => renderDelivery(entry, { ...deps, vendor: result.vendor })),
        ),
  );
  box.hidden = false;
}

/**
 * The pickers, each filled from the one before: vendor → event (with its summary) → variant (shown only when
 * the event has some); vendor → webhook and negative kind. `keep` keeps a choice that is still offered.
 */
function createPickers(deps, catalogue) {
  const current = () => catalogue().find((entry) => entry.vendor === $('trigger-vendor').value);
  const eventOf = () => current()?.events.find((event) => event.name === $('trigger-event').value);
  const webhookName = (vendor, id) => {
    const webhook = deps.webhooks().find((entry) => entry.vendor === vendor && entry.id === id);
    return webhook === undefined || webhook.name === id ? id : `${webhook.name} (${id})`;
  };
  const fillVariant = () => {
    const variants = eventOf()?.variants ?? [];
    $('trigger-variant-field').hidden = variants.length === 0;
    const options = variants.map(({ name, summary }) => ({ value: name, label: name, title: summary }));
    optionsOf($('trigger-variant'), [{ value: '', label: 'default' }, ...options], true);
    const chosen = variants.find((variant) => variant.name === $('trigger-variant').value);
    $('trigger-variant-summary').textContent = chosen?.summary ?? '';
  };
  const fillEvent = () => {
    const events = current()?.events ?? [];
    const options = events.map(({ name, summary }) => ({ value: name, label: name, title: summary }));
    optionsOf($('trigger-event'), options, true);
    $('trigger-event-summary').textContent = eventOf()?.summary ?? '';
    fillVariant();
  };
  const fillVendorParts = (keep) => {
    const vendor = $('trigger-vendor').value;
    const webhooks = deps.webhooks().filter((webhook) => webhook.vendor === vendor);
    const every = { value: '', label: 'every webhook that receives it' };
    const one = webhooks.map(({ id }) => ({ value: id, label: webhookName(vendor, id) }));
    optionsOf($('trigger-webhook'), [every, ...one], keep);
    const kinds = deps.vendors().find((entry) => entry.name === vendor)?.negativeKinds ?? [];
    const none = { value: '', label: 'none: a right delivery' };
    optionsOf($('trigger-negative'), [none, ...kinds.map((kind) => ({ value: kind, label: kind }))], keep);
    fillEvent();
  };
  const fillAll = () => {
    const vendors = catalogue().map(({ vendor, title }) => ({
      value: vendor,
      label: `${title} (${vendor})`,
    }));
    optionsOf($('trigger-vendor'), vendors, true);
    fillVendorParts(true);
  };
  return { fillAll, fillVendorParts, fillEvent, fillVariant, webhookName };
}

/**
 * Wires the form in index.html. `deps`: `api(path, options)` (throws an error with `problem`, the problem+json
 * answer, when refused), `vendors()` and `webhooks()` (the lists the page has loaded), `showDelivery(id,
 * vendor)`. Returns what the page calls when its lists change.
 */
export function createTriggerForm(deps) {
  let catalogue = [];
  const form = $('trigger-form');
  const pickers = createPickers(deps, () => catalogue);
  const refresh = () => {
    pickers.fillAll();
    form.querySelector('button[type="submit"]').disabled = catalogue.length === 0;
  };
  const switchVendor = () => {
    clearErrors();
    pickers.fillVendorParts(false);
  };
  $('trigger-vendor').addEventListener('change', switchVendor);
  $('trigger-event').addEventListener('change', pickers.fillEvent);
  $('trigger-variant').addEventListener('change', pickers.fillVariant);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(form, deps, { webhookName: pickers.webhookName, showDelivery: deps.showDelivery });
  });
  return {
    /** The catalogue, and the webhooks and vendors the page has (re)loaded with it. */
    setCatalogue(vendors) {
      catalogue = vendors;
      refresh();
    },
    /** Picks a vendor (the page's vendor filter), when it has events. */
    chooseVendor(name) {
      if (!catalogue.some((entry) => entry.vendor === name) || $('trigger-vendor').value === name) return;
      $('trigger-vendor').value = name;
      switchVendor();
    },
    clearResult() {
      const box = $('trigger-result');
      box.hidden = true;
      box.replaceChildren();
      delete box.dataset.triggerId;
    },
  };
}

/** Sends the trigger (unless the form's own checks fail) and shows its result or its problems. */
async function submit(form, deps, view) {
  clearErrors();
  const read = readForm();
  if (read.errors !== undefined) {
    showErrors(read.errors, undefined);
    $('trigger-status').textContent = 'Not sent: fix the JSON first';
    form.dataset.state = 'invalid';
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  button.textContent = 'Triggering…';
  form.dataset.state = 'sending';
  try {
    const result = await deps.api('/trigger', { method: 'POST', body: read.body });
    renderResult(result, view);
    $('trigger-status').textContent = 'Sent';
    form.dataset.state = 'sent';
  } catch (error) {
    const problem = error.problem;
    const errors = Array.isArray(problem?.errors) && problem.errors.length > 0 ? problem.errors : undefined;
    showErrors(errors ?? [{ field: 'form', message: error.message }], read.body);
    $('trigger-status').textContent = errors ? 'Not sent: see the problems by the fields' : 'Not sent';
    form.dataset.state = 'refused';
  } finally {
    button.disabled = false;
    button.textContent = 'Trigger';
  }
}
