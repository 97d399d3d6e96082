import { MockError } from '../../core/errors.js';
import type { FieldProblem } from '../../core/errors.js';
import { headerProblems } from '../../core/header-rules.js';
import { isPlainObject, ownCopy } from '../../core/safe-object.js';
import type { WebhookStateName } from './fixture-schema.js';
import type { SoWebhook } from './state.js';

export const STATES: readonly WebhookStateName[] = ['Unknown', 'Active', 'Stopped', 'TooManyErrors'];

/** The plugin types NetServer dispatches (dev/index.md): HTTP POSTs, or CRMScript invocations. */
export const TYPES = ['webhook', 'crmscript'] as const;

/** The fields of a webhook a caller sets; the rest (id, Registered, Updated, associates) are the server's. */
export type WebhookFields = Pick<
  SoWebhook,
  'Name' | 'Events' | 'TargetUrl' | 'Secret' | 'State' | 'Type' | 'Headers' | 'Properties' | 'ErrorsEmail'
>;

/** `GET /api/v1/Webhook/default` and `CreateDefaultWebhook`, as dev/subscription.md shows the answer. */
export function defaultWebhook(): Record<string, unknown> {
  return {
    WebhookId: 0,
    Name: null,
    Events: ['contact.created', 'contact.deleted'],
    TargetUrl: null,
    Secret: null,
    State: 'Active',
    Type: 'webhook',
    Headers: null,
    Properties: null,
    Registered: '0001-01-01T00:00:00',
    RegisteredAssociate: null,
    Updated: '0001-01-01T00:00:00',
    UpdatedAssociate: null,
    ErrorsEmail: null,
  };
}

export { isPlainObject };

/** The headers NetServer sets on every delivery itself; a webhook's Headers may not override them. */
export const DELIVERY_HEADERS: readonly string[] = [
  'content-type',
  'user-agent',
  'x-superoffice-event',
  'x-superoffice-eventid',
  'x-superoffice-signature',
  'x-superoffice-retry',
  'x-hook-test',
];

/** Field problems for a webhook's Headers that could not be sent as they are (checked when it is saved). */
export function webhookHeaderProblems(headers: Record<string, string>, field: string): FieldProblem[] {
  return headerProblems(headers, DELIVERY_HEADERS).map((problem) => ({
    field: `${field}.${problem.name}`,
    message: problem.message,
  }));
}

/** Throws one 400 naming every field that is wrong. */
export function invalid(problems: FieldProblem[]): never {
  throw new MockError(
    'invalid-request',
    problems.map((problem) => `${problem.field} ${problem.message}`).join('; '),
    { fields: problems },
  );
}

/**
 * Reads the caller's fields of a Webhook body (already PascalCase), checking their types; absent or null
 * fields get NetServer's defaults. `prefix` names the body in error messages (`body`, `body.Webhook`).
 */
export function readWebhookFields(input: unknown, prefix: string): WebhookFields {
  if (!isPlainObject(input)) invalid([{ field: prefix, message: 'must be a Webhook object' }]);
  const problems: FieldProblem[] = [];
  const text = (name: string): string => {
    const value = input[name];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') problems.push({ field: `${prefix}.${name}`, message: 'must be a string' });
    return typeof value === 'string' ? value : '';
  };
  const dictionary = <T>(
    name: string,
    check: (item: unknown) => boolean,
    what: string,
  ): Record<string, T> => {
    const value = input[name];
    if (value === undefined || value === null) return {};
    if (!isPlainObject(value) || !Object.values(value).every(check)) {
      problems.push({ field: `${prefix}.${name}`, message: `must be an object ${what}` });
      return {};
    }
    return ownCopy(value as Record<string, T>);
  };

  const events = input.Events;
  let Events: string[] = [];
  if (events !== undefined && events !== null) {
    if (!Array.isArray(events) || !events.every((item) => typeof item === 'string')) {
      problems.push({ field: `${prefix}.Events`, message: 'must be an array of event names' });
    } else {
      Events = events.map((item: string) => item.trim()).filter((item) => item !== '');
    }
  }
  let State: WebhookStateName = 'Active';
  if (input.State !== undefined && input.State !== null) {
    const match = STATES.find((name) => name.toLowerCase() === String(input.State).toLowerCase());
    if (match === undefined || typeof input.State !== 'string') {
      problems.push({ field: `${prefix}.State`, message: `must be one of: ${STATES.join(', ')}` });
    } else State = match;
  }
  const type = text('Type');
  const Type = type === '' ? 'webhook' : type;
  if (!TYPES.some((name) => name === Type.toLowerCase())) {
    problems.push({ field: `${prefix}.Type`, message: `must be one of: ${TYPES.join(', ')}` });
  }

  const fields: WebhookFields = {
    Name: text('Name'),
    Events,
    TargetUrl: text('TargetUrl').trim(),
    Secret: text('Secret'),
    State,
    Type: Type.toLowerCase(),
    Headers: dictionary<string>('Headers', (item) => typeof item === 'string', 'of strings'),
    Properties: dictionary<unknown>('Properties', () => true, ''),
    ErrorsEmail: text('ErrorsEmail'),
  };
  problems.push(...webhookHeaderProblems(fields.Headers, `${prefix}.Headers`));
  if (fields.TargetUrl === '' && problems.every((problem) => !problem.field.endsWith('.TargetUrl'))) {
    problems.push({ field: `${prefix}.TargetUrl`, message: 'is required' });
  }
  if (problems.length > 0) invalid(problems);
  return fields;
}

/** A stored webhook as the REST resource answers it, with its `_Links`. */
export function withLinks(webhook: SoWebhook, selfUrl: string): Record<string, unknown> {
  return { ...webhook, _Links: { Self: selfUrl, Archive: selfUrl.replace(/\/\d+$/, '') } };
}
