/**
 * The events Shodai sends to subscriptions (besides `webhook.test`), as data: one entry per event name, each
 * with named variants a caller (the trigger, the admin API) can ask for. An entry's `generate` is its default
 * variant; `generateShodaiEvent(name, variant, ctx)` picks another.
 *
 * - `agreement.transitioned`: `input` (a mined input changed the state; the default) and `deploy`
 *   (`fromState: ""`, `inputId: "__deploy"`, as docs.shodai.network agreement-activity-webhooks describes).
 * - `agreement.notification.triggered`: `onTransition` (with a `transition` block; the default), `deploy` (the
 *   SDK README's `deployment-follow-up` rule on `__deploy`) and `temporal` (no `transition`: temporal rules fire
 *   while an agreement stays in a state, docs notification-webhooks).
 *
 * Values are drawn from small realistic pools with `ctx.ids`, so a seeded run repeats them.
 */
import type { EventDefinition, EventGenerationContext } from '../../../core/event-catalogue.js';
import { prefixedId } from '../../../core/ids.js';
import type { IdSource } from '../../../core/ids.js';
import type {
  AgreementNotificationTriggeredData,
  AgreementTransitionedData,
  ShodaiEventDataOf,
  ShodaiEventType,
} from './types.js';

/** A named example of one event. */
export interface ShodaiEventVariant<Data> {
  summary: string;
  generate(ctx: EventGenerationContext): Data;
}

export interface ShodaiEventDefinitionOf<Name extends ShodaiEventType> extends EventDefinition<
  ShodaiEventDataOf[Name]
> {
  name: Name;
  /** The variant `generate` makes. */
  defaultVariant: string;
  variants: Readonly<Record<string, ShodaiEventVariant<ShodaiEventDataOf[Name]>>>;
}

export type ShodaiEventDefinition =
  | ShodaiEventDefinitionOf<'agreement.transitioned'>
  | ShodaiEventDefinitionOf<'agreement.notification.triggered'>;

/** The input id of a deployment, in `agreement.transitioned` and in rules' `inputs`. */
export const DEPLOY_INPUT_ID = '__deploy';

interface Transition {
  from: string;
  to: string;
  input: string;
}

/** An agreement template: its id, display title and a state machine to draw transitions from. */
interface Template {
  id: string;
  title: string;
  deployState: string;
  transitions: Transition[];
}

const TEMPLATES: Template[] = [
  {
    id: 'did:template:master-services-agreement-v1-2',
    title: 'Master Services Agreement',
    deployState: 'PENDING_SIGNATURE',
    transitions: [
      { from: 'PENDING_SIGNATURE', to: 'ACTIVE', input: 'partyBSignature' },
      { from: 'ACTIVE', to: 'TERMINATED', input: 'terminationNotice' },
    ],
  },
  {
    id: 'did:template:service-retainer-v0-1',
    title: 'Service Retainer',
    deployState: 'AWAITING_PAYMENT',
    transitions: [
      { from: 'AWAITING_PAYMENT', to: 'WORK_IN_PROGRESS', input: 'submitInitialPaymentProof' },
      { from: 'WORK_IN_PROGRESS', to: 'COMPLETED', input: 'acceptDeliverables' },
    ],
  },
  {
    id: 'did:template:mutual-nda-v2-0',
    title: 'Mutual Non-Disclosure Agreement',
    deployState: 'PENDING_SIGNATURE',
    transitions: [{ from: 'PENDING_SIGNATURE', to: 'ACTIVE', input: 'partyASignature' }],
  },
];

const COUNTERPARTIES = [
  { name: 'Acme Corp', domain: 'acme.example' },
  { name: 'Globex Corporation', domain: 'globex.example' },
  { name: 'Initech', domain: 'initech.example' },
  { name: 'Umbrella Logistics', domain: 'umbrella-logistics.example' },
  { name: 'Hooli', domain: 'hooli.example' },
];

const MAILBOXES = ['legal', 'contracts', 'finance', 'ops'];

function pick<T>(ids: IdSource, items: readonly T[]): T {
  return items[ids.bytes(1)[0]! % items.length]!;
}

/** One deployed agreement the variants talk about. */
interface Agreement {
  agreementId: string;
  agreementName: string;
  template: Template;
  recipient: string;
}

function drawAgreement(ids: IdSource, templates: readonly Template[] = TEMPLATES): Agreement {
  const template = pick(ids, templates);
  const party = pick(ids, COUNTERPARTIES);
  return {
    agreementId: prefixedId(ids, 'agr_'),
    agreementName: `${template.title} — ${party.name}`,
    template,
    recipient: `${pick(ids, MAILBOXES)}@${party.domain}`,
  };
}

function transitioned(agreement: Agreement, transition: Transition): AgreementTransitionedData {
  return {
    agreementId: agreement.agreementId,
    agreementName: agreement.agreementName,
    templateId: agreement.template.id,
    fromState: transition.from,
    toState: transition.to,
    inputId: transition.input,
  };
}

function deployTransition(template: Template): Transition {
  return { from: '', to: template.deployState, input: DEPLOY_INPUT_ID };
}

const transitionedVariants: ShodaiEventDefinitionOf<'agreement.transitioned'>['variants'] = {
  input: {
    summary: 'A mined input moved the agreement to its next state.',
    generate: ({ ids }) => {
      const agreement = drawAgreement(ids);
      return transitioned(agreement, pick(ids, agreement.template.transitions));
    },
  },
  deploy: {
    summary: 'The agreement was deployed: fromState "" and inputId "__deploy".',
    generate: ({ ids }) => {
      const agreement = drawAgreement(ids);
      return transitioned(agreement, deployTransition(agreement.template));
    },
  },
};

/** The part of a notification every variant shares; the rule and its content differ. */
function notification(
  ctx: EventGenerationContext,
  agreement: Agreement,
  rule: Pick<AgreementNotificationTriggeredData, 'ruleId' | 'triggerType' | 'notification'> &
    Partial<Pick<AgreementNotificationTriggeredData, 'variables' | 'transition'>>,
): AgreementNotificationTriggeredData {
  return {
    agreementId: agreement.agreementId,
    agreementName: agreement.agreementName,
    templateId: agreement.template.id,
    notificationTemplateId: prefixedId(ctx.ids, 'ntpl_'),
    ruleId: rule.ruleId,
    triggerType: rule.triggerType,
    recipient: agreement.recipient,
    notification: rule.notification,
    ...(rule.variables === undefined ? {} : { variables: rule.variables }),
    ...(rule.transition === undefined ? {} : { transition: rule.transition }),
  };
}

/** A transition that happened a few seconds before the notification went out. */
function occurred(
  ctx: EventGenerationContext,
  transition: Transition,
): AgreementNotificationTriggeredData['transition'] {
  const occurredAt = new Date(ctx.clock.now().getTime() - 4_000).toISOString();
  return { fromState: transition.from, toState: transition.to, inputId: transition.input, occurredAt };
}

function onTransitionNotification(ctx: EventGenerationContext): AgreementNotificationTriggeredData {
  const agreement = drawAgreement(ctx.ids);
  const transition = pick(ctx.ids, agreement.template.transitions);
  const [from, to] = [transition.from, transition.to].map((state) =>
    state.toLowerCase().replaceAll('_', ' '),
  );
  return notification(ctx, agreement, {
    ruleId: `notify-${to!.replaceAll(' ', '-')}`,
    triggerType: 'onTransition',
    notification: {
      subject: `${agreement.agreementName} is now ${to}`,
      title: 'Agreement update',
      body: `${agreement.agreementName} moved from ${from} to ${to} after ${transition.input}.`,
      ctaLabel: 'View agreement',
    },
    variables: { fromState: transition.from, toState: transition.to, input: transition.input },
    transition: occurred(ctx, transition),
  });
}

function deployNotification(ctx: EventGenerationContext): AgreementNotificationTriggeredData {
  const agreement = drawAgreement(ctx.ids);
  return notification(ctx, agreement, {
    ruleId: 'deployment-follow-up',
    triggerType: 'onTransition',
    notification: {
      subject: 'Agreement deployed',
      body: `Agreement ${agreement.agreementId} is ready for review.`,
    },
    transition: occurred(ctx, deployTransition(agreement.template)),
  });
}

/** A temporal rule of a billed agreement: an invoice falls due; the invoice PDF is attached. */
function temporalNotification(ctx: EventGenerationContext): AgreementNotificationTriggeredData {
  const billed = TEMPLATES.filter((template) => !template.id.includes('nda'));
  const agreement = drawAgreement(ctx.ids, billed);
  const dueDate = new Date(ctx.clock.now().getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
  const invoiceNumber = `INV-${dueDate.slice(0, 4)}-${String(1000 + (ctx.ids.bytes(1)[0]! % 9000)).padStart(4, '0')}`;
  return notification(ctx, agreement, {
    ruleId: 'invoice-due-reminder',
    triggerType: 'temporal',
    notification: {
      subject: `Invoice ${invoiceNumber} is due on ${dueDate}`,
      title: 'Payment reminder',
      body: `The invoice for ${agreement.agreementName} is due in 3 days. The invoice is attached as a PDF.`,
      ctaLabel: 'Pay invoice',
      attachmentStrategy: { type: 'customerInvoicePdf', variant: 'standard' },
    },
    variables: { invoiceNumber, dueDate, amountDue: '4500.00', currency: 'USD' },
  });
}

const notificationVariants: ShodaiEventDefinitionOf<'agreement.notification.triggered'>['variants'] = {
  onTransition: {
    summary: 'An onTransition rule fired on a state change; the data carries the transition.',
    generate: onTransitionNotification,
  },
  deploy: {
    summary: 'The deployment-follow-up rule fired on the "__deploy" transition replay.',
    generate: deployNotification,
  },
  temporal: {
    summary: 'A temporal rule fired (an invoice falls due); no transition, a customerInvoicePdf attachment.',
    generate: temporalNotification,
  },
};

export const shodaiEvents: readonly ShodaiEventDefinition[] = [
  {
    name: 'agreement.transitioned',
    summary: 'An agreement changed state: it was deployed, or a mined input moved it to another state.',
    specWebhook: 'agreement.transitioned',
    defaultVariant: 'input',
    variants: transitionedVariants,
    generate: (ctx) => transitionedVariants.input!.generate(ctx),
  },
  {
    name: 'agreement.notification.triggered',
    summary: 'A notification rule with the external_webhook channel fired and resolved a recipient.',
    specWebhook: 'agreement.notification.triggered',
    defaultVariant: 'onTransition',
    variants: notificationVariants,
    generate: (ctx) => notificationVariants.onTransition!.generate(ctx),
  },
];

/** The catalogue entry of `name`, or undefined for a name Shodai does not send. */
export function findShodaiEvent(name: string): ShodaiEventDefinition | undefined {
  return shodaiEvents.find((entry) => entry.name === name);
}

/**
 * Data for event `name` in the named variant (its default when omitted). Throws a RangeError naming the
 * known names or variants, for a trigger to pass on.
 */
export function generateShodaiEvent<Name extends ShodaiEventType>(
  name: Name,
  variant: string | undefined,
  ctx: EventGenerationContext,
): { variant: string; data: ShodaiEventDataOf[Name] } {
  const entry = findShodaiEvent(name) as ShodaiEventDefinitionOf<Name> | undefined;
  if (entry === undefined) {
    throw new RangeError(
      `unknown Shodai event ${name}; known: ${shodaiEvents.map((e) => e.name).join(', ')}`,
    );
  }
  const chosen = variant ?? entry.defaultVariant;
  const found = Object.hasOwn(entry.variants, chosen) ? entry.variants[chosen] : undefined;
  if (found === undefined) {
    throw new RangeError(
      `unknown variant ${chosen} of ${name}; known: ${Object.keys(entry.variants).join(', ')}`,
    );
  }
  return { variant: chosen, data: found.generate(ctx) };
}
