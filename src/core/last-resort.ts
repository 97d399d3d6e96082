import type { Logger } from 'pino';
import { currentRequestId } from './request-context.js';

/**
 * The process's last line of defence: an error nothing handled (a rejected promise no one awaited, an exception
 * thrown from a callback) is logged with the request it belongs to, and the mock keeps serving. Every known
 * failure is handled where it happens; this catches what was missed, so that one request can never stop the
 * process for everyone else. Returns the function that removes the handlers.
 */
export function installLastResortHandlers(logger: Logger): () => void {
  const onRejection = (reason: unknown): void => {
    logger.error(
      { err: reason, requestId: currentRequestId() },
      'unhandled promise rejection (the mock keeps serving)',
    );
  };
  const onException = (error: Error): void => {
    logger.error(
      { err: error, requestId: currentRequestId() },
      'uncaught exception (the mock keeps serving)',
    );
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
