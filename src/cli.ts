#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import type { LevelWithSilent } from 'pino';
import { checkReceiverCommand } from './check-receiver/command.js';
import { FixtureError } from './core/fixtures.js';
import { installLastResortHandlers } from './core/last-resort.js';
import { UnknownScenarioError } from './core/scenario-engine.js';
import { splitTargetPatterns, targetPolicy } from './core/target-policy.js';
import { ScenarioError } from './core/scenario-file.js';
import { defaultFixturesDir, startMockServer } from './server.js';
import { integer } from './cli-options.js';

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
  .showHelpAfterError();

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
  seed?: string;
  clockStart?: string;
  adminToken?: string;
  logLevel: LevelWithSilent;
}

/** `--scenario a --scenario b`, or `SCENARIOS=a,b` from the environment. */
function scenarioNames(value: string[] | string | undefined): string[] {
  const list = typeof value === 'string' ? [value] : (value ?? []);
  return list
    .flatMap((item) => item.split(','))
    .map((name) => name.trim())
    .filter(Boolean);
}

async function main(): Promise<void> {
  const options = program.opts<CliOptions>();
  // Asynchronous: a synchronous write per log line blocked every request on the pipe. Lines are written as soon
  // as the previous write is done (no minimum length), and flushed before the process exits.
  const logger = pino({ level: options.logLevel }, pino.destination({ sync: false, minLength: 0 }));
  const exit = (code: number): void => {
    // pino's own exit hook flushes synchronously too; the timer covers a flush that never calls back
    process.exitCode = code;
    setTimeout(() => process.exit(code), 1000).unref();
    logger.flush(() => process.exit(code));
  };
  installLastResortHandlers(logger);
  let server;
  try {
    server = await startMockServer({
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
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.clockStart !== undefined ? { clockStart: options.clockStart } : {}),
      ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
      logger,
    });
  } catch (error) {
    if (
      error instanceof FixtureError ||
      error instanceof ScenarioError ||
      error instanceof UnknownScenarioError
    ) {
      process.stderr.write(`${error.message}\n`);
      exit(1);
      return;
    }
    throw error;
  }

  const running = server;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // in-flight calls and their deliveries get up to 4.5 s; then the remaining connections are cut
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

  // The banner comes after the signal handlers: whoever waits for it may stop the process right away.
  const lines = [
    `vendor-webhook-mock listening on ${running.localUrl}`,
    ...(running.url === running.localUrl ? [] : [`  public URL    ${running.url}`]),
    `  ConductorOne  ${running.urls.c1}`,
    `  Shodai        ${running.urls.shodai}`,
    `  SuperOffice   ${running.urls.superoffice}`,
    `  sink          ${running.url}/__sink/{name}`,
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
  logger.info({ url: running.url, urls: running.urls }, 'listening');
}

// The default command starts the mock; `check-receiver` is a command of its own (its options after its name).
program.enablePositionalOptions().action(main).addCommand(checkReceiverCommand());
await program.parseAsync();
