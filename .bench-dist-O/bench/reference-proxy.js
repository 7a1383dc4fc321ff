import { Agent, createServer, request } from 'node:http';
// The reference: the least a Node proxy can do. Pipe the request to one
// upstream over a keep-alive agent and pipe the response back. faultmesh is
// measured against this, in the same run, on the same machine.
const upstreamPort = Number(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: 512 });
const server = createServer((req, res) => {
    const up = request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
    });
    up.on('error', () => {
        res.writeHead(502);
        res.end();
    });
    req.pipe(up);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
//# sourceMappingURL=reference-proxy.js.map