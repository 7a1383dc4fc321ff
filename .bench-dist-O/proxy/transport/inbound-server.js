import { once } from 'node:events';
import { createServer } from 'node:https';
import { forbidden, tooManyConnections } from '../errors.js';
import { answerAndClose } from '../http/error-response.js';
import { DEFAULT_LISTENER_LIMITS } from '../http/proxy-server.js';
import { identityOfPeer } from '../identity/peer.js';
import { routeConnections } from './inbound-connections.js';
import { createInboundHandler } from './inbound-handler.js';
import { answerClientErrors, plaintextRefusal } from './inbound-refusals.js';
import { tlsFailureReason } from './inbound-tls-failure.js';
export const INBOUND_MODES = ['mutual', 'permissive'];
/** How long a refused client may take to read its answer. */
const REFUSED_LINGER_MS = 1000;
/**
 * The inbound sidecar's listener: node:https (TLS 1.3 only, a client
 * certificate required and verified against the mesh's trust bundle, ALPN
 * http/1.1) with node:http's keep-alive, timeouts and connection tracking
 * on top. Each connection's first byte decides its path
 * (inbound-connections.ts): a TLS handshake goes to node:tls; plaintext is
 * served by the same HTTP layer in permissive mode, and answered with a
 * plain refusal in mutual mode. The certificate presented is the holder's
 * identity at each handshake: the server's context is replaced on every
 * rotation, with fresh session-ticket keys, so a new connection cannot
 * resume a session of the old identity, and open ones carry on.
 */
export function createInboundServer(deps) {
    const { service, trustDomain, metrics, options } = deps;
    const limits = deps.limits ?? DEFAULT_LISTENER_LIMITS;
    const peers = new WeakMap();
    const handler = createInboundHandler({ ...deps, app: options.app, instance: options.instance, peerOf: (socket) => peers.get(socket) });
    const failed = (reason, socket, detail) => {
        metrics.inboundTlsFailures.labels(reason).inc();
        deps.log?.warn({ event: 'tls_refused', reason, remote: socket.remoteAddress ?? null, detail }, `inbound connection refused: ${reason}`);
    };
    let draining = false;
    const server = createServer({
        ...tlsOptionsOf(deps.identity.current()),
        requestCert: true,
        rejectUnauthorized: true,
        ALPNProtocols: ['http/1.1'],
        handshakeTimeout: limits.headersTimeoutMs,
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        keepAliveTimeout: limits.idleTimeoutMs,
        connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 10))),
    }, (req, res) => {
        if (draining)
            res.shouldKeepAlive = false;
        handler(req, res);
    });
    const stopWatching = deps.identity.onChange((identity) => server.setSecureContext(tlsOptionsOf(identity)));
    // node:https hands the TLS socket to node:http on 'secureConnection'; the identity check runs first.
    const serveHttp = takeOnlyListener(server, 'secureConnection');
    server.on('secureConnection', (socket) => {
        const peer = identityOfPeer(socket, trustDomain);
        if (peer === undefined) {
            // Chained to the mesh CA, but naming no service of this trust domain: nobody a policy can speak of.
            failed('bad_certificate', socket, `the client certificate names no spiffe://${trustDomain}/service/<name>`);
            return answerAndClose(socket, forbidden(service, undefined, `its certificate names no service of trust domain ${trustDomain}`), REFUSED_LINGER_MS);
        }
        peers.set(socket, peer);
        serveHttp.call(server, socket);
    });
    // node:https relays handshake failures to 'clientError', which answers HTTP parse errors: counted here instead, and cut.
    takeOnlyListener(server, 'tlsClientError');
    server.on('tlsClientError', (err, socket) => {
        // A verification result's code (CERT_HAS_EXPIRED...), though typed as an Error.
        const verify = socket.authorizationError ?? undefined;
        failed(tlsFailureReason(err, verify), socket, verify ?? err.code ?? 'ERROR');
        socket.destroy();
    });
    answerClientErrors(server, REFUSED_LINGER_MS);
    const connections = routeConnections(server, {
        maxConnections: limits.maxConnections,
        firstByteTimeoutMs: limits.headersTimeoutMs,
        // A TLS client cannot read a plaintext 503; cut, its sidecar retries elsewhere.
        refuse: (socket, byte) => (byte === 0x16 ? socket.destroy() : answerAndClose(socket, tooManyConnections(limits.maxConnections), REFUSED_LINGER_MS)),
        plaintext: (socket) => {
            if (options.mode === 'permissive') {
                serveHttp.call(server, socket);
                // Paused by the first-byte check; node:http reads what it put back once the socket flows.
                socket.resume();
                return;
            }
            failed('plaintext', socket, 'a plaintext connection to a mutual-TLS inbound');
            answerAndClose(socket, plaintextRefusal(service), REFUSED_LINGER_MS);
        },
    });
    return {
        server,
        inFlight: handler.inFlight,
        async listen() {
            server.listen(options.listen.port, options.listen.host);
            await once(server, 'listening');
            return server.address();
        },
        async shutdown(drainMs) {
            draining = true;
            stopWatching();
            const closed = new Promise((resolve) => server.close(() => resolve()));
            connections.cutSniffing();
            const deadline = Date.now() + drainMs;
            while (handler.inFlight() > 0 && Date.now() < deadline) {
                server.closeIdleConnections();
                await new Promise((r) => setTimeout(r, 50));
            }
            const cut = handler.inFlight();
            server.closeAllConnections();
            connections.cutAll();
            await closed;
            return { drained: cut === 0, cut };
        },
    };
}
/** The TLS options of an identity; none before the holder has one (handshakes fail until it does). */
function tlsOptionsOf(identity) {
    // No ticketKeys: each context gets its own, so tickets of an identity die with it.
    const base = { minVersion: 'TLSv1.3' };
    return identity ? { ...base, cert: identity.certPem, key: identity.keyPem, ca: identity.caPem } : base;
}
/** Removes and returns the one listener node registered for `event`, to run it after a check of ours. */
function takeOnlyListener(server, event) {
    const own = server.listeners(event);
    if (own.length !== 1)
        throw new Error(`expected https.Server to have one '${event}' listener, found ${own.length}`);
    server.removeListener(event, own[0]);
    return own[0];
}
//# sourceMappingURL=inbound-server.js.map