/**
 * Node's http and https modules, taken with `process.getBuiltinModule` rather than an ESM import: on Node 24 an
 * ESM import of `node:http` builds the module's ESM facade, and reading its lazy `WebSocket` export for that
 * loads undici — about 45 ms of every start-up, for something the mock never uses.
 */
import type * as Http from 'node:http';
import type * as Https from 'node:https';

export const http = process.getBuiltinModule('node:http') as typeof Http;

/** `node:https` (and so TLS), loaded on the first https delivery rather than at start-up. */
export function https(): typeof Https {
  return process.getBuiltinModule('node:https') as typeof Https;
}
