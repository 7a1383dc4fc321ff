import { TcpProxy, toxicAttributes } from '../toxiproxy/tcp/index.js';
// One faultmesh TCP proxy in its own process, as `faultmesh toxiproxy` runs
// it: argv is the upstream port and, optionally, a downstream latency in ms.
const [upstreamPort, latency] = process.argv.slice(2);
const proxy = new TcpProxy({ name: 'bench', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` });
if (latency !== undefined) {
    proxy.setToxics([{ name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: toxicAttributes('latency', { latency: Number(latency) }) }]);
}
await proxy.start();
process.stdout.write(`${JSON.stringify({ port: Number(proxy.listenAddress.split(':').at(-1)) })}\n`);
process.on('SIGTERM', () => void proxy.stop().then(() => process.exit(0)));
//# sourceMappingURL=toxiproxy-proxy.js.map