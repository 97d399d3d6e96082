/**
 * The benchmark's reference servers, one per process: what the platform and the stack we chose can do at best.
 *
 *   node           bare Node `http`, answers BENCH_BODY
 *   express        a bare express 5 app, answers BENCH_BODY
 *   node-relay     bare Node `http`: per request one HMAC-signed POST to BENCH_RECEIVER (keep-alive), then answers
 *   express-relay  the same relay as an express 5 app
 *
 * Prints `listening <port>` once ready.
 */
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

const mode = process.argv[2] ?? 'node';
const body = Buffer.from(process.env.BENCH_BODY ?? '{"error":"not found"}');
const status = Number(process.env.BENCH_STATUS ?? '200');
const receiver = process.env.BENCH_RECEIVER ?? '';
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const secret = 'whsec_benchmark';

/** One signed POST to the receiver, as the mock's Shodai test call sends it; resolves with its status. */
function relay(): Promise<number> {
  const event = Buffer.from(
    JSON.stringify({
      id: `evt_${randomUUID()}`,
      type: 'webhook.test',
      apiVersion: '2026-01-01',
      createdAt: new Date().toISOString(),
      data: {},
    }),
  );
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.`).update(event).digest('hex');
  return new Promise((resolve) => {
    const req = http.request(receiver, {
      method: 'POST',
      agent,
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': String(event.length),
        'X-Shodai-Signature': `t=${timestamp},v1=${signature}`,
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(event);
  });
}

function answerFor(received: number): Buffer {
  return Buffer.from(
    JSON.stringify({ data: { ok: received >= 200 && received < 300, responseStatus: received } }),
  );
}

let server: http.Server;
switch (mode) {
  case 'node':
    server = http.createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
    break;
  case 'express': {
    const app = express();
    app.all('/{*rest}', (_req, res) => {
      res.status(status).type('application/json').send(body);
    });
    server = http.createServer(app);
    break;
  }
  case 'node-relay':
    server = http.createServer((req, res) => {
      req.resume();
      void relay().then((received) => {
        const answer = answerFor(received);
        res.writeHead(201, { 'content-type': 'application/json', 'content-length': answer.length });
        res.end(answer);
      });
    });
    break;
  case 'express-relay': {
    const app = express();
    app.all('/{*rest}', (_req, res) => {
      void relay().then((received) => {
        res.status(201).type('application/json').send(answerFor(received));
      });
    });
    server = http.createServer(app);
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
