/**
 * The benchmark's webhook receiver, in a process of its own: answers every POST 200 with a small JSON body and
 * counts what it received (`GET /count`). Prints `listening <port>` once ready.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

let received = 0;
const answer = Buffer.from('{"ok":true}');

const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ received }));
    return;
  }
  req.resume();
  req.on('end', () => {
    received += 1;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
    res.end(answer);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
