import type { Agent, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { http, https } from './node-http.js';
import { setOwn } from './safe-object.js';

/** One outbound POST, exactly as it will be sent. */
export interface DeliveryRequest {
  url: string;
  /** Header names as they go on the wire; values exactly as sent. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface DeliveryOptions {
  /** Total time allowed: connect, answer and body. */
  timeoutMs: number;
  /** How much of the receiver's body is read and kept; the rest is cut off. */
  maxResponseBytes: number;
}

export interface ReceivedResponse {
  status: number;
  statusText: string;
  /** Header names in lower case, values joined as Node reports them. */
  headers: Record<string, string>;
  /** Name/value pairs in the order and case the receiver sent them. */
  rawHeaders: string[];
  body: Buffer;
  /** True when the receiver sent more than `maxResponseBytes` and the rest was dropped. */
  truncated: boolean;
}

export type DeliveryFailureKind =
  | 'timeout'
  | 'connection-refused'
  | 'connection-error'
  | 'invalid-url'
  /** The request could not be put on the wire (a header name or value HTTP does not allow): nothing was sent. */
  | 'invalid-request'
  /** `--allow-targets` does not allow the URL's host: nothing was sent. */
  | 'target-not-allowed';

export type DeliveryResult =
  | { kind: 'response'; response: ReceivedResponse }
  | { kind: DeliveryFailureKind; message: string; code?: string };

export interface DeliveryOutcome {
  request: DeliveryRequest;
  result: DeliveryResult;
  startedAt: Date;
  durationMs: number;
}

/** Keep-alive agents, one per scheme, made on the first delivery that needs them. */
const agents: { 'http:'?: Agent; 'https:'?: Agent } = {};

function agentFor(protocol: 'http:' | 'https:'): Agent {
  agents[protocol] ??=
    protocol === 'https:'
      ? new (https().Agent)({ keepAlive: true, maxSockets: 256 })
      : new http.Agent({ keepAlive: true, maxSockets: 256 });
  return agents[protocol];
}

/**
 * Sends one POST and reports what happened. Never throws: every failure is an outcome.
 * Redirects are not followed (a 3xx is an answer like any other).
 */
export function deliver(request: DeliveryRequest, options: DeliveryOptions): Promise<DeliveryOutcome> {
  const startedAt = new Date();
  const started = performance.now();
  const finish = (result: DeliveryResult): DeliveryOutcome => ({
    request,
    result,
    startedAt,
    durationMs: Math.round((performance.now() - started) * 1000) / 1000,
  });

  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve(finish({ kind: 'invalid-url', message: `invalid URL: ${request.url}` }));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.resolve(
      finish({ kind: 'invalid-url', message: `unsupported URL scheme ${url.protocol} (http or https only)` }),
    );
  }
  return new Promise((resolve) => {
    try {
      send(url, request, options, (result) => resolve(finish(result)));
    } catch (error) {
      // http.request throws synchronously for a header name or value it cannot send (ERR_INVALID_CHAR,
      // ERR_INVALID_HTTP_TOKEN); inside this executor that would be a rejection, and deliver() never rejects
      resolve(
        finish({
          kind: 'invalid-request',
          message: `the request cannot be sent: ${(error as Error).message}`,
        }),
      );
    }
  });
}

/** Sends the POST; `settle` is called exactly once with what happened. Throws only before anything is sent. */
function send(
  url: URL,
  request: DeliveryRequest,
  options: DeliveryOptions,
  report: (result: DeliveryResult) => void,
): void {
  const transport = url.protocol === 'https:' ? https() : http;
  // throws here (bad header) before anything is sent or any timer runs
  const req = transport.request(url, {
    method: 'POST',
    headers: { ...request.headers, 'Content-Length': String(request.body.length) },
    agent: agentFor(url.protocol as 'http:' | 'https:'),
  });
  let settled = false;
  const settle = (result: DeliveryResult): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    report(result);
  };

  const timer = setTimeout(() => {
    settle({ kind: 'timeout', message: `no complete answer within ${options.timeoutMs} ms` });
    req.destroy();
  }, options.timeoutMs);

  req.on('error', (error: NodeJS.ErrnoException) => {
    const kind: DeliveryFailureKind =
      error.code === 'ECONNREFUSED' ? 'connection-refused' : 'connection-error';
    const result: DeliveryResult = { kind, message: error.message };
    if (error.code !== undefined) result.code = error.code;
    settle(result);
  });

  req.on('response', (res) => readAnswer(res, options, settle));
  req.end(request.body);
}

/** Reads the receiver's answer up to the size cap. */
function readAnswer(
  res: IncomingMessage,
  options: DeliveryOptions,
  settle: (result: DeliveryResult) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const done = (): void =>
    settle({
      kind: 'response',
      response: {
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        headers: flattenHeaders(res.headers),
        rawHeaders: res.rawHeaders,
        body: Buffer.concat(chunks),
        truncated,
      },
    });
  res.on('data', (chunk: Buffer) => {
    const room = options.maxResponseBytes - size;
    if (chunk.length > room) {
      if (room > 0) chunks.push(chunk.subarray(0, room));
      size = options.maxResponseBytes;
      truncated = true;
      done();
      res.destroy();
      return;
    }
    chunks.push(chunk);
    size += chunk.length;
  });
  res.on('end', done);
  const brokenOff = (message: string): void =>
    settle({
      kind: 'connection-error',
      message: `receiver broke off its answer (status ${res.statusCode ?? 0}, ${size} bytes read): ${message}`,
    });
  res.on('error', (error: Error) => brokenOff(error.message));
  res.on('aborted', () => brokenOff('connection closed'));
}

/** Node's header object as plain strings: repeated headers joined with `, `, absent ones left out. */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    setOwn(out, name, Array.isArray(value) ? value.join(', ') : value);
  }
  return out;
}

/** The receiver's answer as a text block: status line, headers, blank line, body. */
export function describeResponse(response: ReceivedResponse): string {
  const lines = [`HTTP/1.1 ${response.status} ${response.statusText}`];
  for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) {
    lines.push(`${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n${response.body.toString('utf8')}${response.truncated ? '…' : ''}`;
}
