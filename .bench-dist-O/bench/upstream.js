import { createServer } from 'node:http';
// The benchmark's upstream: a small fixed body, as cheap as a server can be,
// so the figures measure the proxies and not the service.
const body = Buffer.from(JSON.stringify({ ok: true, service: 'bench', note: 'x'.repeat(200) }));
const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
//# sourceMappingURL=upstream.js.map