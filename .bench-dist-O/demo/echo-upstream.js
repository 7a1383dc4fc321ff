import { once } from 'node:events';
import { createServer } from 'node:http';
/**
 * An example service instance that tells callers what it received. Query
 * parameters make it misbehave on purpose, which demos and tests need:
 *   ?status=503   answer with that status
 *   ?delay=200    wait that many ms before answering
 *   ?bytes=N      send N bytes of body in 16 KiB chunks
 *   ?reset=1      drop the connection without answering
 *   ?cutAfter=N   promise a longer body, send N bytes, then drop the connection
 * `/echo` streams the request body back unchanged.
 */
export async function startEchoUpstream(options) {
    let received = 0;
    let behaviour = {};
    const server = createServer((req, res) => {
        received++;
        const url = new URL(req.url ?? '/', 'http://upstream');
        const q = url.searchParams;
        const status = behaviour.status ?? Number(q.get('status') ?? 200);
        const delay = behaviour.delayMs ?? Number(q.get('delay') ?? 0);
        const reset = behaviour.reset ?? q.get('reset') === '1';
        const answer = () => {
            if (reset)
                return req.socket.destroy();
            res.setHeader('x-instance', options.instance);
            if (url.pathname === '/echo') {
                res.writeHead(status, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream', 'x-echo-method': req.method ?? '', 'x-echo-headers': JSON.stringify(req.headers) });
                req.pipe(res);
                return;
            }
            const cutAfter = Number(q.get('cutAfter') ?? -1);
            if (cutAfter >= 0) {
                res.writeHead(status, { 'content-length': cutAfter * 2 + 1 });
                res.write(CHUNK.subarray(0, Math.min(cutAfter, CHUNK.length)), () => setTimeout(() => req.socket.destroy(), 20));
                return;
            }
            const bytes = Number(q.get('bytes') ?? -1);
            if (bytes >= 0)
                return sendBytes(res, status, bytes);
            req.resume();
            const body = JSON.stringify({ service: options.service, instance: options.instance, region: options.region ?? null, method: req.method, url: req.url, headers: req.headers });
            res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
            res.end(body);
        };
        if (delay > 0) {
            const timer = setTimeout(answer, delay);
            res.once('close', () => clearTimeout(timer));
        }
        else
            answer();
    });
    server.keepAliveTimeout = 60_000;
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
    await once(server, 'listening');
    const port = server.address().port;
    return {
        server,
        port,
        url: `http://${options.host ?? '127.0.0.1'}:${port}`,
        received: () => received,
        behave: (b) => void (behaviour = b),
        close: () => new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
const CHUNK = Buffer.alloc(16 * 1024, 'x');
function sendBytes(res, status, total) {
    res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': total });
    let left = total;
    const write = () => {
        while (left > 0) {
            const n = Math.min(left, CHUNK.length);
            left -= n;
            if (!res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n)))
                return void res.once('drain', write);
        }
        res.end();
    };
    write();
}
//# sourceMappingURL=echo-upstream.js.map