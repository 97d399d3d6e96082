/**
 * A real HTTP receiver on 127.0.0.1 for tests: records every request's raw bytes and answers as told.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  rawBody: Buffer;
}

export type Behaviour =
  | { kind: 'answer'; status: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  /** Each request takes the next step; once they are used up, `then` for every request. */
  | { kind: 'sequence'; steps: Behaviour[]; then: Behaviour }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'drip'; intervalMs: number }
  | { kind: 'stream'; bytes: number };

export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** What the next requests get (default: 200 `{"version":"v1"}`). */
  behave(behaviour: Behaviour): void;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  let behaviour: Behaviour = { kind: 'answer', status: 200, body: '{"version":"v1"}' };
  const waiters: { count: number; resolve: () => void }[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers,
        rawBody: Buffer.concat(chunks),
      });
      for (const waiter of waiters.filter((entry) => received.length >= entry.count)) waiter.resolve();
      let now = behaviour;
      while (now.kind === 'sequence') now = now.steps.shift() ?? now.then;
      switch (now.kind) {
        case 'answer': {
          const answer = (): void => {
            res.writeHead(now.status, { 'content-type': 'application/json', ...now.headers });
            res.end(now.body ?? '');
          };
          if (now.delayMs === undefined) answer();
          else timers.add(setTimeout(answer, now.delayMs));
          return;
        }
        case 'hang':
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'drip': {
          res.writeHead(200, { 'content-type': 'text/plain' });
          const timer = setInterval(() => res.write('.'), now.intervalMs);
          timers.add(timer);
          res.on('close', () => clearInterval(timer));
          return;
        }
        case 'stream': {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          const chunk = Buffer.alloc(64 * 1024, 'x');
          let sent = 0;
          const pump = (): void => {
            while (sent < now.bytes) {
              sent += chunk.length;
              if (!res.write(chunk)) {
                res.once('drain', pump);
                return;
              }
            }
            res.end();
          };
          res.on('close', () => {
            sent = now.bytes;
          });
          pump();
          return;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    behave(next) {
      behaviour = next;
    },
    waitFor(count, timeoutMs = 5000) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${received.length} of ${count} requests arrived`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received);
          },
        });
      });
    },
    close() {
      for (const timer of timers) clearInterval(timer);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A URL on 127.0.0.1 where nothing listens: connections are refused. */
export async function refusedUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}/hook`;
}
