/**
 * `vendor-webhook-mock trigger <vendor> <event> [...]`: sends an event of a vendor's catalogue — through a running
 * mock's admin API (`--mock`, default http://127.0.0.1:4010), or with `--url` straight to a receiver from a mock
 * started for the purpose — and reports each webhook's delivery and the vendor's verdict. Exit 0 when every
 * delivery was answered as it should be, 1 when not, 2 when nothing could be sent.
 */
import { Argument, Command, Option } from 'commander';
import type { TriggerRequest, TriggerResult } from '../core/event-catalogue.js';
import { integer } from '../cli-options.js';
import { EVENT_VENDORS } from './events-command.js';
import { TriggerNotSent, runRefusable } from './not-sent.js';
import { triggerLocal } from './trigger-local.js';
import { collectSetPair, triggerRequestOf } from './trigger-options.js';
import type { TriggerFlags } from './trigger-options.js';
import { addMockOptions, targetOf } from './mock-options.js';
import type { MockFlags } from './mock-options.js';
import { mockOrigin } from './mock-remote.js';
import { triggerRemote } from './trigger-remote.js';
import { formatTriggerReport, judgeTrigger } from './trigger-report.js';
import type { ReportContext } from './trigger-report.js';
import { exitOnUsageError } from './usage.js';

interface TriggerCliOptions extends TriggerFlags, MockFlags {
  url?: string;
  secret?: string;
  port?: number;
  publicUrl?: string;
  timeout: number;
}

function addOptions(command: Command): Command {
  const event = command
    .option('--webhook <id>', 'only this webhook (default: every webhook the vendor would send it to)')
    .option('--set <path=value>', 'set a field of the event (JSON value or text; repeatable)', collectSetPair)
    .option('--data <file>', "a JSON file with the event's own part, instead of a generated one")
    .option('--variant <name>', 'a named variant of the event (see `events`)')
    .option('--negative <kind>', 'make the deliveries wrong on purpose (tampered-body, wrong-secret, ...)')
    .option('--allow-invalid', "send it even when the changes break the event's schema");
  return addMockOptions(event)
    .option('--url <url>', 'no running mock: deliver straight to this receiver from a mock started for it')
    .option('--secret <secret>', "with --url: the receiver's signing secret (Shodai: required)")
    .addOption(
      new Option('--port <port>', 'with --url: port of that mock (C1: default 4010, its JWKS URL)').argParser(
        integer('port', 0, 65535),
      ),
    )
    .option('--public-url <url>', 'with --url: origin the receiver reaches that mock at (C1: JWT issuer)')
    .addOption(
      new Option('--timeout <ms>', 'with --url: time allowed for the delivery')
        .default(10_000)
        .argParser(integer('timeout', 1, 600_000)),
    )
    .option('--json', 'print the trigger result as JSON');
}

/** Sends the trigger where the options say; the report's context goes with the result. */
async function send(
  request: TriggerRequest,
  options: TriggerCliOptions,
): Promise<{ result: TriggerResult; context: ReportContext }> {
  const negative = request.negative === undefined ? {} : { negative: request.negative };
  if (options.url === undefined) {
    if (options.secret !== undefined || options.port !== undefined || options.publicUrl !== undefined)
      throw new TriggerNotSent('--secret, --port and --public-url go with --url');
    const result = await triggerRemote(request, targetOf(options));
    return { result, context: { mockUrl: mockOrigin(options.mock), ...negative } };
  }
  const local = await triggerLocal(request, {
    url: options.url,
    timeoutMs: options.timeout,
    ...(options.secret === undefined ? {} : { secret: options.secret }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
  });
  return { result: local.result, context: { bodies: local.bodies, ...negative } };
}

async function run(vendor: string, event: string, options: TriggerCliOptions): Promise<void> {
  await runRefusable(async () => {
    const request = await triggerRequestOf(vendor, event, options);
    const { result, context } = await send(request, options);
    process.stdout.write(
      options.json === true ? `${JSON.stringify(result, null, 2)}\n` : formatTriggerReport(result, context),
    );
    process.exitCode = judgeTrigger(result, request.negative).ok ? 0 : 1;
  });
}

export function triggerCommand(): Command {
  const command = new Command('trigger')
    .description(
      "send an event of a vendor's catalogue to its webhooks, through the running mock (or straight to a " +
        "receiver with --url), and show each delivery, the receiver's answer and the vendor's verdict",
    )
    .addArgument(new Argument('<vendor>', 'whose event').choices([...EVENT_VENDORS]))
    .argument('<event>', 'the event, as `vendor-webhook-mock events` lists it')
    .exitOverride(exitOnUsageError);
  return addOptions(command).action((vendor: string, event: string, options: TriggerCliOptions) =>
    run(vendor, event, options),
  );
}
