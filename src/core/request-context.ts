import { AsyncLocalStorage } from 'node:async_hooks';

/** What the code handling a request knows about it wherever it runs, so a last-resort log line can name it. */
export interface RequestContext {
  requestId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The id of the request whose work is running now, if any. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
