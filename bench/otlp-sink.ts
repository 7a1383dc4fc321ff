import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The tracing bench's collector: takes OTLP/HTTP exports and answers 200 at
// once, reading (not parsing) the body, so what the bench measures is the
// proxy's cost of making and sending spans, not a collector's.
let requests = 0;
let bytes = 0;
const server = createServer((req, res) => {
  requests++;
  req.on('data', (c: Buffer) => (bytes += c.length));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
    res.end('{}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => {
  process.stderr.write(`otlp sink: ${requests} exports, ${bytes} bytes\n`);
  process.exit(0);
});
