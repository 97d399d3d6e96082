import { Command, Option } from 'commander';
import type { VendorName } from '../core/vendor-module.js';
import { formatTable } from './report.js';
import { CHECK_VENDORS, CheckSetupError, checkReceiver } from './run.js';
import { integer } from '../cli-options.js';

interface CheckReceiverCliOptions {
  vendor: VendorName;
  url: string;
  secret?: string;
  timeout: number;
  port?: number;
  publicUrl?: string;
  json?: boolean;
}

/**
 * `vendor-webhook-mock check-receiver --vendor <v> --url <receiver> [--secret S]`: sends the valid test
 * delivery and each negative one, prints a table; exit code 1 when the receiver accepts something it should
 * refuse (or refuses the valid delivery), 2 when the checks could not run.
 */
export function checkReceiverCommand(): Command {
  return new Command('check-receiver')
    .description(
      "prove a receiver's verifier: send it the valid test delivery and deliberately wrong ones " +
        '(tampered body, wrong secret, stale timestamp, expired JWT, ...) and check what it answers',
    )
    .addOption(
      new Option('--vendor <vendor>', 'whose deliveries to send')
        .choices([...CHECK_VENDORS])
        .makeOptionMandatory(),
    )
    .requiredOption('--url <url>', "the receiver's webhook URL")
    .option('--secret <secret>', "the receiver's signing secret (Shodai: required; SuperOffice: the Secret)")
    .addOption(
      new Option('--timeout <ms>', 'time allowed for each delivery')
        .default(10_000)
        .argParser(integer('timeout', 1, 600_000)),
    )
    .addOption(
      new Option(
        '--port <port>',
        'port of the mock this command runs (C1 receivers fetch its JWKS there; default 4010 for c1, any free port otherwise)',
      ).argParser(integer('port', 0, 65535)),
    )
    .option('--public-url <url>', 'origin the receiver reaches that mock at (C1: JWT issuer and JWKS URL)')
    .option('--json', 'print the results as JSON')
    .action(async (options: CheckReceiverCliOptions) => {
      try {
        const report = await checkReceiver({
          vendor: options.vendor,
          url: options.url,
          timeoutMs: options.timeout,
          ...(options.secret === undefined ? {} : { secret: options.secret }),
          ...(options.port === undefined ? {} : { port: options.port }),
          ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
          progress: (line) => process.stderr.write(`check-receiver: ${line}\n`),
        });
        process.stdout.write(
          options.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatTable(report),
        );
        process.exitCode = report.ok ? 0 : 1;
      } catch (error) {
        if (!(error instanceof CheckSetupError)) throw error;
        process.stderr.write(`check-receiver: ${error.message}\n`);
        process.exitCode = 2;
      }
    });
}
