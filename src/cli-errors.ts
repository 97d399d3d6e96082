/**
 * One line for each way the CLI can fail to start, with what to do about it; what is not recognised here is a
 * bug and keeps its stack trace.
 */
import { FixtureError } from './core/fixtures.js';
import { UnknownScenarioError } from './core/scenario-engine.js';
import { ScenarioError } from './core/scenario-file.js';

const NAME = 'vendor-webhook-mock';

function listenProblem(code: string | undefined, port: number, host: string): string | undefined {
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use (another mock?): stop it, or choose another port with --port (--port 0 takes any free one)`;
    case 'EACCES':
      return `not allowed to listen on port ${port} (ports below 1024 need privileges): choose another with --port, e.g. --port 4010 (--port 0 takes any free one)`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on ${host}: it is not an address of this machine (--host 127.0.0.1 is the default; --host 0.0.0.0 listens on every interface)`;
    default:
      return undefined;
  }
}

/** The message for an error that stopped start-up, or undefined when it is not one the user can fix. */
export function startupProblem(error: unknown, settings: { port: number; host: string }): string | undefined {
  if (
    error instanceof FixtureError ||
    error instanceof ScenarioError ||
    error instanceof UnknownScenarioError
  )
    return error.message;
  return listenProblem((error as NodeJS.ErrnoException | undefined)?.code, settings.port, settings.host);
}

/** `vendor-webhook-mock: <problem>` */
export function cliErrorLine(problem: string): string {
  return `${NAME}: ${problem}\n`;
}

/**
 * commander's error output (a bad or unknown flag, a bad value) in one line with a pointer to --help, instead of
 * the error followed by the whole help, which scrolls the error off the screen.
 */
export function formatCommanderError(message: string): string {
  const text = message
    .replace(/^error:\s*/, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return cliErrorLine(`${text}; see ${NAME} --help`);
}
