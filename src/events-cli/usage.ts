import type { CommanderError } from 'commander';

/**
 * For `exitOverride`: commander has already printed the problem (in one line, see cli-errors.ts); `events` and
 * `trigger` exit with 2 for a usage error (the code `check-receiver` gives when it cannot run), 0 after `--help`.
 */
export function exitOnUsageError(error: CommanderError): never {
  process.exit(error.exitCode === 0 ? 0 : 2);
}
