/**
 * `vendor-webhook-mock redeliver <deliveryId|eventId>`: sends a journalled delivery's event again through a
 * running mock's admin API, as the vendors' "resend" buttons do — the same event and ids, signed afresh, one
 * attempt. An event id (C1's instance id, SuperOffice's EventId, Shodai's event or delivery id) resends that
 * event's latest delivery. Exit 0 when the receiver answered as it should, 1 when not, 2 when nothing was sent
 * (an unknown id, no mock at `--mock`).
 */
import { Command } from 'commander';
import { cliErrorLine } from '../cli-errors.js';
import { isPlainObject } from '../core/safe-object.js';
import { isDeliveryView, viewProblem, deliveryBlock } from './delivery-report.js';
import type { DeliveryView } from './delivery-report.js';
import { addMockOptions, targetOf } from './mock-options.js';
import type { MockFlags } from './mock-options.js';
import { callAdmin, mockOrigin } from './mock-remote.js';
import type { MockTarget } from './mock-remote.js';
import { runRefusable } from './not-sent.js';
import { expectationOf } from './trigger-report.js';
import { exitOnUsageError } from './usage.js';

/** What `GET /__admin/deliveries/{id}` answers: the delivery, or the event's latest one. */
function isFound(value: unknown): value is { delivery: DeliveryView } {
  return isPlainObject(value) && isDeliveryView(value.delivery);
}

/** What `POST /__admin/deliveries/{id}/redeliver` answers (null when the journal has already dropped it). */
function isRedelivered(value: unknown): value is { delivery: DeliveryView | null } {
  return isPlainObject(value) && (value.delivery === null || isDeliveryView(value.delivery));
}

export interface Redelivery {
  /** The delivery sent again: the one named, or the latest of the event named. */
  resent: DeliveryView;
  /** What the admin API answered: the new delivery. */
  answer: { delivery: DeliveryView | null };
}

/** Finds the delivery (a journal id, or an event's latest delivery) and sends it again. */
export async function redeliverRemote(id: string, target: MockTarget): Promise<Redelivery> {
  const { delivery: resent } = await callAdmin(target, {
    method: 'GET',
    path: `/deliveries/${encodeURIComponent(id)}`,
    refused: 'nothing to send again',
    accept: isFound,
    answer: 'a delivery',
  });
  const answer = await callAdmin(target, {
    method: 'POST',
    path: `/deliveries/${encodeURIComponent(resent.id)}/redeliver`,
    refused: 'not sent',
    accept: isRedelivered,
    answer: 'a redelivery',
  });
  return { resent, answer };
}

/** `OK: 7 answered 200.` — and for a negative delivery, that the refusal is what it was after. */
function okLine(delivery: DeliveryView): string {
  const status = delivery.response?.status ?? '-';
  const refused =
    expectationOf(delivery.negative) === 'refuse' ? ': a refusal, as a negative delivery should get' : '';
  return `OK: ${delivery.webhookId} answered ${status}${refused}.`;
}

/** The head line, the new delivery's block and the OK/FAILED line; whether it went as it should. */
export function formatRedelivery(
  asked: string,
  { resent }: Redelivery,
  delivery: DeliveryView,
  mockUrl: string,
): { text: string; ok: boolean } {
  const which = asked === resent.id ? resent.id : `${resent.id} (the latest delivery of event ${asked})`;
  const problem = viewProblem(delivery);
  const summary = problem === undefined ? okLine(delivery) : `FAILED: ${delivery.webhookId} ${problem}.`;
  const lines = [
    `redeliver ${which}: ${resent.vendor} ${resent.event}, the same event and ids signed afresh`,
    '',
    ...deliveryBlock(delivery, mockUrl),
    '',
    summary,
    '',
  ];
  return { text: lines.join('\n'), ok: problem === undefined };
}

async function run(id: string, options: MockFlags): Promise<void> {
  await runRefusable(async () => {
    const mockUrl = mockOrigin(options.mock);
    const redelivery = await redeliverRemote(id, targetOf(options));
    const { delivery } = redelivery.answer;
    if (options.json === true) process.stdout.write(`${JSON.stringify(redelivery.answer, null, 2)}\n`);
    if (delivery === null) {
      process.stderr.write(
        cliErrorLine('sent again, but the journal no longer keeps the new delivery (see --journal-size)'),
      );
      process.exitCode = 1;
      return;
    }
    const report = formatRedelivery(id, redelivery, delivery, mockUrl);
    if (options.json !== true) process.stdout.write(report.text);
    process.exitCode = report.ok ? 0 : 1;
  });
}

export function redeliverCommand(): Command {
  const command = new Command('redeliver')
    .description(
      "send a delivery's event again through the running mock (the same event and ids, signed afresh), as the " +
        "vendors' resend buttons do; an event id resends that event's latest delivery",
    )
    .argument('<id>', 'a delivery id (dlv_…) or a vendor-visible event id')
    .exitOverride(exitOnUsageError);
  return addMockOptions(command)
    .option('--json', 'print the new delivery as JSON, as the admin API answers it')
    .action((id: string, options: MockFlags) => run(id, options));
}
