/**
 * The CLI's output on stdout: log records (one coloured line each in a terminal, JSON lines otherwise) and the
 * start-up banner. Errors that stop the CLI go to stderr, and nothing else does.
 */
import { pino } from 'pino';
import type { DestinationStream, LevelWithSilent, Logger } from 'pino';
import { formatLogLine } from './cli-log-format.js';

export type LogFormat = 'pretty' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json'];

export interface CliLog {
  logger: Logger;
  format: LogFormat;
  /**
   * Writes the start-up banner, whatever the log level: the text in pretty mode, one JSON record (`msg` and
   * the fields of `record`) in JSON mode, so that stdout stays JSON lines there.
   */
  banner(text: string, message: string, record: object): void;
  /** Writes out what is still buffered, then calls `done`. */
  flush(done: () => void): void;
}

/** `--log-format`, or pretty when stdout is a terminal and JSON lines when it is a pipe or a file. */
export function chooseLogFormat(requested: LogFormat | undefined, stdoutIsTerminal: boolean): LogFormat {
  return requested ?? (stdoutIsTerminal ? 'pretty' : 'json');
}

/**
 * A logger writing to stdout. Asynchronous: a synchronous write per log line blocked every request on the pipe.
 * Lines are written as soon as the previous write is done (no minimum length), and flushed before the process
 * exits. pino-pretty is imported only for pretty logs, and formats each line in this thread, before it is
 * written, so the banner and the log lines keep their order.
 */
export async function createCliLog(level: LevelWithSilent, format: LogFormat): Promise<CliLog> {
  const destination = pino.destination({ sync: false, minLength: 0 });
  const flush = (done: () => void): void => destination.flush(() => done());
  if (format === 'json') {
    const logger = pino({ level }, destination);
    const bannerLogger = logger.isLevelEnabled('info') ? logger : pino({ level: 'info' }, destination);
    return {
      logger,
      format,
      banner: (_text, message, record) => bannerLogger.info(record, message),
      flush,
    };
  }
  const { prettyFactory } = await import('pino-pretty');
  const prettify: (line: string) => string = prettyFactory({
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    hideObject: true,
    messageFormat: formatLogLine,
    customColors: 'message:reset',
    useOnlyCustomProps: false,
  });
  const stream: DestinationStream & { flush(done: () => void): void } = {
    write: (line: string) => destination.write(prettify(line)),
    flush,
  };
  return {
    logger: pino({ level }, stream),
    format,
    banner: (text) => destination.write(text.endsWith('\n') ? text : `${text}\n`),
    flush,
  };
}
