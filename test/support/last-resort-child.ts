/**
 * A child process for the last-resort test: the mock with the CLI's last-resort handlers, and then, inside a
 * request's context, a rejection nobody handles and an exception thrown from a timer. It prints the mock's URL.
 */
import { pino } from 'pino';
import { installLastResortHandlers } from '../../src/core/last-resort.js';
import { requestContext } from '../../src/core/request-context.js';
import { startMockServer } from '../../src/server/index.js';

const logger = pino({ level: 'info' });
installLastResortHandlers(logger);
const mock = await startMockServer({ port: 0, logger });
requestContext.run({ requestId: 'req_forced' }, () => {
  void Promise.reject(new Error('forced rejection'));
  setTimeout(() => {
    throw new Error('forced exception');
  }, 20);
});
process.stderr.write(`listening on ${mock.url}\n`);
process.on('SIGTERM', () => void mock.close().then(() => process.exit(0)));
