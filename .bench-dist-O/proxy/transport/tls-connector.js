/**
 * The outbound half of mTLS between sidecars: how the undici forwarder
 * (forward/undici-forwarder.ts) opens a connection to an instance of a
 * `tls: mutual` service. TLS 1.3 with this proxy's certificate, the chain
 * checked against the mesh's trust bundle, and the server accepted only
 * when its certificate names the destination service: a valid chain alone
 * would let any service of the mesh answer for any other.
 */
import { connect } from 'node:tls';
import { checkServerIdentityFor } from '../identity/peer.js';
/** undici's own default: how long a connection may take to open, handshake included. */
const CONNECT_TIMEOUT_MS = 10_000;
/** What an instance that takes too long to connect or shake hands fails with: undici's code, a connect failure (errors.ts). */
class TlsConnectTimeoutError extends Error {
    code = 'UND_ERR_CONNECT_TIMEOUT';
    name = 'TlsConnectTimeoutError';
}
/**
 * In TLS 1.3 the client's side of the handshake ends before the server has
 * checked the client's certificate, and a node:tls server that refuses it
 * (an inbound sidecar) just closes: no alert reaches the client. The sign
 * the server accepted is its first session ticket. A connection that ends
 * before one was most likely refused; named so instead of "reset".
 */
class TlsRefusedError extends Error {
    code = 'ERR_TLS_PEER_REFUSED';
    name = 'TlsRefusedError';
}
/** Resets (the server closed under the request undici had written) on connections that ended before the server confirmed them. */
const refusedResets = new WeakSet();
const RESETS = new Set(['ECONNRESET', 'EPIPE']);
/**
 * The reason to give, when `err` broke an mTLS connection the server never
 * confirmed (TlsRefusedError above); undefined for any other error.
 */
export function refusedReason(err) {
    if (!refusedResets.has(err) && err.code !== 'ERR_TLS_PEER_REFUSED')
        return undefined;
    return "the instance closed the connection before accepting the handshake: it most likely refused this proxy's certificate (another CA or trust domain, or expired)";
}
/** No certificate in the holder: the forwarder answers NO_IDENTITY before it gets here; this is the guard if it did not. */
class NoCertificateError extends Error {
    code = 'NO_IDENTITY';
    name = 'NoCertificateError';
}
/**
 * A connector for undici's Pool (its `connect` option) that dials the pool's
 * instance for `destination`: `tls.connect` with the holder's secure context
 * (TLS 1.3 minimum, set on the context), the destination's identity check,
 * ALPN http/1.1, and the instance's last session ticket for resumption. The
 * socket is handed to undici once the handshake is done, so a refused
 * server fails the attempt with node:tls's error (a PeerIdentityError for
 * another service's certificate), which errors.ts names.
 *
 * @example new Pool(origin, { connect: createTlsConnector('payments', { identity, trustDomain, sessions }) })
 */
export function createTlsConnector(destination, deps) {
    const checkServerIdentity = checkServerIdentityFor(destination, deps.trustDomain);
    const timeoutMs = deps.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    return ({ hostname, port }, callback) => {
        const context = deps.identity.secureContext();
        if (context === undefined)
            return callback(new NoCertificateError(`no certificate to present to ${destination}`), null);
        const key = `${destination} ${hostname}:${port}`;
        const socket = connect({
            host: hostname,
            port: Number(port),
            secureContext: context,
            checkServerIdentity,
            ALPNProtocols: ['http/1.1'],
            session: deps.sessions.get(key, context),
            // No servername (SNI): sidecars dial instances by address, and the identity is the URI SAN, not a host name.
        });
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 60_000);
        /** Set once the socket is handed to undici (or the connect failed). */
        let settled = false;
        /** Set by the server's first session ticket: it accepted this proxy's certificate. */
        let confirmed = false;
        const settle = (err) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            if (err)
                callback(err, null);
            else
                callback(null, socket);
        };
        // TLS 1.3 tickets arrive after the handshake, one or more per connection: the latest one is kept.
        socket.on('session', (session) => {
            confirmed = true;
            deps.sessions.set(key, context, session);
        });
        // Registered before undici's own listeners (added at hand-over), so an unconfirmed end is a refusal when undici sees it.
        socket.once('end', () => {
            if (settled && !confirmed)
                socket.destroy(new TlsRefusedError(`${hostname}:${port} closed the connection before accepting the TLS handshake`));
        });
        const timer = setTimeout(() => socket.destroy(new TlsConnectTimeoutError(`connect timeout: no TLS connection to ${hostname}:${port} within ${timeoutMs}ms`)), timeoutMs);
        socket.once('secureConnect', () => {
            deps.onHandshake?.(destination, socket.isSessionReused());
            settle(undefined);
        });
        // Errors after the handshake are undici's to handle (it listens too); this one only settles the connect.
        socket.on('error', (err) => {
            if (settled && !confirmed && RESETS.has(err.code ?? ''))
                refusedResets.add(err);
            settle(err);
        });
    };
}
//# sourceMappingURL=tls-connector.js.map