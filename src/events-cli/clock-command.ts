/**
 * `vendor-webhook-mock clock [--advance 15m | --set ISO]`: the running mock's clock and the retries waiting on
 * it; with a move, the retries that fell due on the way fire (in order, before the move returns) and each one's
 * delivery is shown as `trigger` shows one. Exit 0 when every fired retry was answered as it should be, 1 when
 * not, 2 when the clock could not be read or moved (no mock at `--mock`, a bad value).
 */
import { Command, Option } from 'commander';
import type { ScheduledAttempt } from '../core/retry-scheduler.js';
import { clockRemote } from './clock-remote.js';
import type { ClockMove, ClockReport, FiredRetry } from './clock-remote.js';
import { deliveryBlock, viewProblem } from './delivery-report.js';
import { formatDuration, parseDuration, parseMoment } from './duration.js';
import { addMockOptions, targetOf } from './mock-options.js';
import type { MockFlags } from './mock-options.js';
import { mockOrigin } from './mock-remote.js';
import { runRefusable } from './not-sent.js';
import { exitOnUsageError } from './usage.js';

interface ClockFlags extends MockFlags {
  advance?: number;
  set?: string;
}

const retries = (count: number): string => `${count} ${count === 1 ? 'retry' : 'retries'}`;

/** `  2026-01-01T00:00:05.000Z (in 5s)  attempt 3  superoffice sale.sold → 7  (event …, after dlv_…)` */
function waitingLine(retry: ScheduledAttempt, now: string): string {
  const due = Date.parse(retry.dueAt) - Date.parse(now);
  const when = due > 0 ? `in ${formatDuration(due)}` : 'due now';
  const event = retry.eventId === undefined ? '' : `event ${retry.eventId}, `;
  return (
    `  ${retry.dueAt} (${when})  attempt ${retry.attempt}  ${retry.vendor} ${retry.event} → ` +
    `${retry.webhookId}  (${event}after ${retry.after})`
  );
}

function firedBlock(retry: FiredRetry, mockUrl: string): string[] {
  if (retry.delivery !== null) return deliveryBlock(retry.delivery, mockUrl);
  return [
    `${retry.webhookId}: attempt ${retry.attempt} of ${retry.vendor} ${retry.event} was not made: the vendor ` +
      'called it off (its webhook was deleted or stopped), or the journal has dropped it',
  ];
}

/** The OK/FAILED line after a move: each fired retry's delivery judged as `trigger` judges one. */
export function judgeMove(fired: readonly FiredRetry[]): { ok: boolean; summary: string } {
  const problems = fired.flatMap((retry) => {
    const problem = retry.delivery === null ? undefined : viewProblem(retry.delivery);
    return problem === undefined ? [] : [`${retry.webhookId} ${problem} (attempt ${retry.attempt})`];
  });
  if (problems.length > 0) return { ok: false, summary: `FAILED: ${problems.join('; ')}.` };
  if (fired.length === 0) return { ok: true, summary: 'OK: no retry fell due.' };
  const notMade = fired.filter((retry) => retry.delivery === null).length;
  const made = notMade === 0 ? 'each was' : `${fired.length - notMade} made (${notMade} not); each made was`;
  return { ok: true, summary: `OK: ${retries(fired.length)} fired; ${made} answered as it should.` };
}

/** The clock, the retries that fired (after a move) and those still waiting. */
export function formatClock(report: ClockReport, mockUrl: string): string {
  const moved = report.movedFrom === undefined ? '' : ` (moved from ${report.movedFrom})`;
  const lines = [`clock ${report.now}, ${report.frozen ? 'frozen' : 'running'}${moved}`, ''];
  if (report.movedFrom !== undefined) {
    lines.push(report.fired.length === 0 ? 'fired no retry' : `fired ${retries(report.fired.length)}:`, '');
    for (const retry of report.fired) lines.push(...firedBlock(retry, mockUrl), '');
  }
  if (report.retries.length === 0) lines.push('no retry is waiting');
  else {
    lines.push(`waiting ${retries(report.retries.length)}:`);
    for (const retry of report.retries) lines.push(waitingLine(retry, report.now));
  }
  lines.push('');
  if (report.movedFrom !== undefined) lines.push(judgeMove(report.fired).summary, '');
  return lines.join('\n');
}

function moveOf(flags: ClockFlags): ClockMove | undefined {
  if (flags.set !== undefined) return { set: flags.set };
  if (flags.advance !== undefined) return { advanceMs: flags.advance };
  return undefined;
}

async function run(flags: ClockFlags): Promise<void> {
  await runRefusable(async () => {
    const mockUrl = mockOrigin(flags.mock);
    const report = await clockRemote(targetOf(flags), moveOf(flags));
    process.stdout.write(
      flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatClock(report, mockUrl),
    );
    process.exitCode = judgeMove(report.fired).ok ? 0 : 1;
  });
}

export function clockCommand(): Command {
  const command = new Command('clock')
    .description(
      "show the running mock's clock and the retries waiting on it; --advance or --set moves it, and the " +
        'retries due on the way fire (each delivery shown)',
    )
    .addOption(
      new Option('--advance <duration>', 'move the clock forward: 15s, 5m, 1h30m, 2d, 250ms or milliseconds')
        .argParser(parseDuration)
        .conflicts('set'),
    )
    .addOption(
      new Option(
        '--set <date-time>',
        'set the clock to an ISO 8601 date-time (moving forward fires retries)',
      ).argParser(parseMoment),
    )
    .exitOverride(exitOnUsageError);
  return addMockOptions(command)
    .option(
      '--json',
      'print the clock, the fired retries (with their deliveries) and the waiting ones as JSON',
    )
    .action((flags: ClockFlags) => run(flags));
}
