#!/usr/bin/env -S node --max-semi-space-size=2
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { LevelWithSilent, Logger } from 'pino';
import { checkReceiverCommand } from './check-receiver/command.js';
import { bannerMessage, bannerRecord, bannerText } from './cli-banner.js';
import { cliErrorLine, formatCommanderError, startupProblem } from './cli-errors.js';
import { LOG_FORMATS, chooseLogFormat, createCliLog } from './cli-logger.js';
import type { CliLog, LogFormat } from './cli-logger.js';
import { entryPoints } from './core/entry-points.js';
import { clockCommand } from './events-cli/clock-command.js';
import { eventsCommand } from './events-cli/events-command.js';
import { redeliverCommand } from './events-cli/redeliver-command.js';
import { triggerCommand } from './events-cli/trigger-command.js';
import { installLastResortHandlers } from './core/last-resort.js';
import { splitTargetPatterns, targetPolicy } from './core/target-policy.js';
import { defaultFixturesDir, startMockServer } from './server/index.js';
import type { MockServer } from './server/index.js';
import { integer } from './cli-options.js';
import { addVendorSettingOptions } from './cli-vendor-settings.js';
import { vendors } from './vendors/index.js';
import { packageVersion } from './version.js';

const program = new Command()
  .name('vendor-webhook-mock')
  .description(
    'Mock of the ConductorOne, Shodai and SuperOffice webhook APIs that really delivers signed test events.',
  )
  .addOption(
    new Option('-p, --port <port>', 'port to listen on (0 = any free port)')
      .env('PORT')
      .default(4010)
      .argParser(integer('port', 0, 65535)),
  )
  .addOption(new Option('--host <host>', 'address to bind').env('HOST').default('127.0.0.1'))
  .addOption(
    new Option('--fixtures <dir>', 'folder with c1.yaml, shodai.yaml and superoffice.yaml')
      .env('FIXTURES')
      .default(defaultFixturesDir, 'the demo fixtures'),
  )
  .addOption(
    new Option(
      '--public-url <url>',
      'origin receivers and clients reach the mock at (callback URLs, JWT issuer, JWKS URL)',
    ).env('PUBLIC_URL'),
  )
  .addOption(
    new Option('--delivery-timeout <ms>', 'time allowed for one outbound delivery')
      .env('DELIVERY_TIMEOUT')
      .default(10_000)
      .argParser(integer('delivery timeout', 1, 600_000)),
  )
  .addOption(
    new Option('--body-limit <bytes>', 'largest request body accepted')
      .env('BODY_LIMIT')
      .default(1024 * 1024)
      .argParser(integer('body limit', 1, 100 * 1024 * 1024)),
  )
  .addOption(
    new Option('--strict', 'require https webhook URLs, as the vendors do in production').env('STRICT'),
  )
  .addOption(
    new Option(
      '--allow-targets <patterns>',
      'comma-separated host patterns deliveries may go to (*.example.com, localhost, 127.0.0.1:*); default: anywhere',
    )
      .env('ALLOW_TARGETS')
      .argParser((value: string) => {
        const patterns = splitTargetPatterns(value);
        try {
          targetPolicy(patterns);
        } catch (error) {
          throw new InvalidArgumentError((error as Error).message);
        }
        return patterns;
      }),
  )
  .addOption(
    new Option(
      '--allow-hosts <names>',
      'comma-separated extra host names the mock answers to (name, *.domain, * for any); IP addresses, localhost, --host and the --public-url name always work',
    )
      .env('ALLOW_HOSTS')
      .argParser(splitTargetPatterns),
  )
  .addOption(
    new Option('--scenario <name>', 'activate a scenario at start (repeatable)')
      .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
      .env('SCENARIOS'),
  )
  .addOption(
    new Option(
      '--watch',
      'reload fixture and scenario files when they change (a bad edit keeps the last good set)',
    ).env('WATCH'),
  )
  .addOption(
    new Option(
      '--no-retries',
      "make every delivery one attempt (by default failed deliveries are retried as each vendor retries them, on the mock's clock)",
    ),
  )
  .addOption(
    new Option(
      '--seed <seed>',
      'reproducible runs: ids, secrets and signing keys derive from the seed, and the clock is frozen',
    ).env('SEED'),
  )
  .addOption(
    new Option(
      '--clock-start <date-time>',
      'where the clock starts (with --seed it stays there until moved; default 2026-01-01T00:00:00Z)',
    )
      .env('CLOCK_START')
      .argParser((value: string) => {
        if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('must be an ISO 8601 date-time');
        return value;
      }),
  )
  .addOption(
    new Option('--journal-size <n>', 'entries kept in each journal (requests, deliveries)')
      .env('JOURNAL_SIZE')
      .default(1000)
      .argParser(integer('journal size', 1, 1_000_000)),
  )
  .addOption(
    new Option('--store-limit <n>', 'webhooks (and issued tokens, delivery records) each vendor keeps')
      .env('STORE_LIMIT')
      .default(10_000)
      .argParser(integer('store limit', 1, 10_000_000)),
  )
  .addOption(
    new Option(
      '--admin-token <token>',
      'Bearer token for the admin API (required when --host is not a loopback address)',
    ).env('ADMIN_TOKEN'),
  )
  .addOption(
    new Option('--log-level <level>', 'log level')
      .env('LOG_LEVEL')
      .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  )
  .addOption(
    new Option(
      '--log-format <format>',
      'pretty: one coloured line per event; json: JSON lines (default: pretty in a terminal, json otherwise)',
    )
      .env('LOG_FORMAT')
      .choices(LOG_FORMATS),
  )
  .version(packageVersion, '-v, --version', 'print the version')
  .configureOutput({ outputError: (message, write) => write(formatCommanderError(message)) });
/** The vendors' own settings (`--c1-key-grace`), read back as startMockServer's `vendorSettings`. */
const vendorSettingsOf = addVendorSettingOptions(program, vendors);

interface CliOptions {
  port: number;
  host: string;
  fixtures: string;
  publicUrl?: string;
  deliveryTimeout: number;
  bodyLimit: number;
  strict?: boolean;
  allowTargets?: string[];
  allowHosts?: string[];
  scenario?: string[] | string;
  journalSize: number;
  storeLimit: number;
  watch?: boolean;
  retries: boolean;
  seed?: string;
  clockStart?: string;
  adminToken?: string;
  logLevel: LevelWithSilent;
  logFormat?: LogFormat;
}

/** `--scenario a --scenario b`, or `SCENARIOS=a,b` from the environment. */
function scenarioNames(value: string[] | string | undefined): string[] {
  const list = typeof value === 'string' ? [value] : (value ?? []);
  return list
    .flatMap((item) => item.split(','))
    .map((name) => name.trim())
    .filter(Boolean);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Sets the exit code and exits once the log is written (or after a second, should the flush never call back). */
function exiter(log: CliLog): (code: number) => void {
  return (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 1000).unref();
    log.flush(() => process.exit(code));
  };
}

function start(options: CliOptions, logger: Logger): Promise<MockServer> {
  return startMockServer({
    port: options.port,
    host: options.host,
    fixturesDir: options.fixtures,
    ...(options.publicUrl !== undefined ? { publicUrl: options.publicUrl } : {}),
    deliveryTimeoutMs: options.deliveryTimeout,
    bodyLimitBytes: options.bodyLimit,
    strict: options.strict === true,
    ...(options.allowTargets !== undefined ? { allowTargets: options.allowTargets } : {}),
    ...(options.allowHosts !== undefined ? { allowHosts: options.allowHosts } : {}),
    scenarios: scenarioNames(options.scenario),
    journalSize: options.journalSize,
    storeLimit: options.storeLimit,
    watch: options.watch === true,
    retries: options.retries,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.clockStart !== undefined ? { clockStart: options.clockStart } : {}),
    ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
    vendorSettings: vendorSettingsOf(program.opts()),
    logger,
  });
}

/** SIGTERM and SIGINT: in-flight calls and their deliveries get up to 4.5 s, then their connections are cut. */
function stopOnSignals(running: MockServer, logger: Logger, exit: (code: number) => void): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.warn({ signal }, 'in-flight calls did not finish within 4.5 s; closing their connections');
      exit(1);
    }, 4500).unref();
    running.close().then(
      () => exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function printBanner(log: CliLog, running: MockServer, options: CliOptions): void {
  const admin = options.adminToken !== undefined ? 'token' : isLoopback(options.host) ? 'open' : 'refused';
  const input = {
    version: packageVersion,
    localUrl: running.localUrl,
    url: running.url,
    entries: entryPoints(running.url, { vendors, admin }),
    fixturesDir: path.resolve(options.fixtures),
    demoFixtures: path.resolve(options.fixtures) === path.resolve(defaultFixturesDir),
  } as const;
  log.banner(bannerText(input), bannerMessage(input), bannerRecord(input));
}

async function main(): Promise<void> {
  const options = program.opts<CliOptions>();
  const log = await createCliLog(
    options.logLevel,
    chooseLogFormat(options.logFormat, process.stdout.isTTY === true),
  );
  const exit = exiter(log);
  installLastResortHandlers(log.logger);
  let running: MockServer;
  try {
    running = await start(options, log.logger);
  } catch (error) {
    const problem = startupProblem(error, options);
    if (problem === undefined) throw error;
    process.stderr.write(cliErrorLine(problem));
    exit(1);
    return;
  }
  stopOnSignals(running, log.logger, exit);
  // The banner comes after the signal handlers: whoever waits for it may stop the process right away.
  printBanner(log, running, options);
}

// The default command starts the mock; `check-receiver`, `events`, `trigger`, `redeliver` and `clock` are commands
// of their own (their options after their names), each with commander's errors in one line.
const oneLineErrors = {
  outputError: (message: string, write: (text: string) => void) => write(formatCommanderError(message)),
};
program.enablePositionalOptions().action(main);
for (const command of [
  checkReceiverCommand(),
  eventsCommand(),
  triggerCommand(),
  redeliverCommand(),
  clockCommand(),
])
  program.addCommand(command.configureOutput(oneLineErrors));
await program.parseAsync();
