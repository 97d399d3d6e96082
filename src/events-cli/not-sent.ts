/**
 * Why a command against the mock did not do its job — a usage problem (a bad `--set`, an unreadable `--data`
 * file, no mock at `--mock`) or the mock's refusal (an unknown event, a change that breaks the event's schema, a
 * delivery the journal no longer has) — and how the CLI prints it: the reason on one line, then each field at
 * fault on a line of its own, named as the command line names it.
 */
import { cliErrorLine } from '../cli-errors.js';
import type { FieldProblem } from '../core/errors.js';

/** A command that could not do what it was asked; the CLI exits with 2 for it. */
export class CliRefusal extends Error {
  constructor(
    message: string,
    readonly fields: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'CliRefusal';
  }
}

/** A trigger that was not sent. */
export class TriggerNotSent extends CliRefusal {
  constructor(message: string, fields: readonly FieldProblem[] = []) {
    super(message, fields);
    this.name = 'TriggerNotSent';
  }
}

const FLAGS: Readonly<Record<string, string>> = {
  vendor: '<vendor>',
  event: '<event>',
  webhookId: '--webhook',
  variant: '--variant',
  negative: '--negative',
  data: '--data',
  set: '--set',
  allowInvalid: '--allow-invalid',
};

/**
 * A trigger request's field as the command line names it: `webhookId` → `--webhook`, `set.a.b` → `--set a.b`;
 * a path inside the event (a schema problem) stays as it is.
 */
export function flagOf(field: string): string {
  if (field.startsWith('set.')) return `--set ${field.slice('set.'.length)}`;
  return Object.hasOwn(FLAGS, field) ? FLAGS[field]! : field;
}

/** What stderr gets: `vendor-webhook-mock: <reason>`, then `  <field>: <message>` per field. */
export function formatNotSent(error: CliRefusal): string {
  return [
    cliErrorLine(error.message).trimEnd(),
    ...error.fields.map((problem) => `  ${flagOf(problem.field)}: ${problem.message}`),
    '',
  ].join('\n');
}

/**
 * Runs a command's work: a CliRefusal (the command did not do its job) prints as formatNotSent says and sets
 * exit code 2; anything else is not the command's to report and is thrown on.
 */
export async function runRefusable(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof CliRefusal)) throw error;
    process.stderr.write(formatNotSent(error));
    process.exitCode = 2;
  }
}
