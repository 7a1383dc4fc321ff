import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, createServer as createHttpServer, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer, request as httpsRequest } from 'node:https';
// The mTLS bench's reference: one hop of a two-hop pair made of node's own
// http/https pipes, a few lines long, so faultmesh's sidecars can be compared
// with what node:tls alone costs, in the same run.
//   in-plain NEXT_PORT | in-tls NEXT_PORT CERT_DIR: a server (TLS: client certificates required) piping to NEXT_PORT in plain HTTP
//   out-plain NEXT_PORT | out-tls NEXT_PORT CERT_DIR: a plain server piping to NEXT_PORT (TLS: with its certificate, keep-alive)
const [mode, nextPort, certDir] = process.argv.slice(2);
const tls = certDir ? { cert: readFileSync(`${certDir}/cert.pem`), key: readFileSync(`${certDir}/key.pem`), ca: readFileSync(`${certDir}/ca.pem`) } : {};
const outTls = mode === 'out-tls';
// The identity check is faultmesh's business; the reference only pays for the handshake and the records.
const agent = outTls ? new HttpsAgent({ keepAlive: true, maxSockets: 512, ...tls, checkServerIdentity: () => undefined }) : new HttpAgent({ keepAlive: true, maxSockets: 512 });
const send = outTls ? httpsRequest : httpRequest;
function handler(req, res) {
    const up = send({ host: '127.0.0.1', port: Number(nextPort), method: req.method, path: req.url, headers: req.headers, agent }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
    });
    up.on('error', () => {
        res.writeHead(502);
        res.end();
    });
    req.pipe(up);
}
const server = mode === 'in-tls' ? createHttpsServer({ ...tls, requestCert: true, rejectUnauthorized: true }, handler) : createHttpServer(handler);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.on('SIGTERM', () => process.exit(0));
//# sourceMappingURL=tls-reference-proxy.js.map