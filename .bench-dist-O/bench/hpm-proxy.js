import { Agent, createServer } from 'node:http';
import { createProxyMiddleware } from 'http-proxy-middleware';
// A second reference: http-proxy-middleware alone, fixed target, no routing,
// telemetry or error handling. faultmesh forwards through the same library,
// so this is the floor it sets, measured in the same run.
const upstreamPort = Number(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: 512 });
const middleware = createProxyMiddleware({ target: `http://127.0.0.1:${upstreamPort}`, agent, ejectPlugins: true, toProxy: true });
const server = createServer((req, res) => {
    void middleware(req, res, () => {
        res.writeHead(502);
        res.end();
    });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
//# sourceMappingURL=hpm-proxy.js.map