/**
 * Who a peer is, from its certificate: node:crypto and node:tls only, so the
 * hot path (one check per TLS connection, not per request) never loads the
 * X.509 library. The identity is the certificate's one URI SAN; host names
 * are not checked, because sidecars dial instances by address.
 */
import { X509Certificate } from 'node:crypto';
import { parseSpiffeId } from './spiffe.js';
const URI = 'URI:';
/**
 * The SPIFFE ID in a certificate's subjectAltName text (as Node prints it:
 * `DNS:a, URI:spiffe://...`), when it holds exactly one URI SAN and that one
 * is a faultmesh SPIFFE ID. Node quotes any value holding a comma or a quote
 * (and escapes the comma inside), so splitting on ", " cannot be fooled
 * into seeing a second entry; a quoted value fails the strict parse.
 */
export function spiffeIdOfSan(subjectAltName) {
    if (!subjectAltName)
        return undefined;
    let uri;
    for (const entry of subjectAltName.split(', ')) {
        if (!entry.startsWith(URI))
            continue;
        if (uri !== undefined)
            return undefined; // two URI SANs: ambiguous, so no identity at all
        uri = entry.slice(URI.length);
    }
    return uri === undefined ? undefined : parseSpiffeId(uri);
}
/**
 * The service a certificate names in `trustDomain`, or undefined when it
 * names none, several, or one in another trust domain. Takes Node's
 * X509Certificate or what `tlsSocket.getPeerCertificate()` returns.
 * It does not check the chain: node:tls does that (rejectUnauthorized).
 *
 * @example identityOfCertificate(socket.getPeerCertificate(), 'faultmesh.local') // 'checkout'
 */
export function identityOfCertificate(cert, trustDomain) {
    const san = cert instanceof X509Certificate ? cert.subjectAltName : cert.subjectaltname;
    const id = spiffeIdOfSan(san);
    return id !== undefined && id.trustDomain === trustDomain ? id.service : undefined;
}
/**
 * The verified caller of an inbound TLS connection: undefined unless node:tls
 * authorized the chain and the certificate names a service in `trustDomain`.
 * Call once per connection and keep the answer (getPeerCertificate builds a
 * new object each time).
 */
export function identityOfPeer(socket, trustDomain) {
    if (!socket.authorized)
        return undefined;
    const cert = socket.getPeerCertificate();
    return cert && Object.keys(cert).length > 0 ? identityOfCertificate(cert, trustDomain) : undefined;
}
/** The server's certificate names another service (or none): the outbound side refuses the connection. */
export class PeerIdentityError extends Error {
    code = 'PEER_IDENTITY_MISMATCH';
    name = 'PeerIdentityError';
    expected;
    actual;
    constructor(expected, actual, trustDomain) {
        super(actual === undefined
            ? `server certificate names no service of trust domain ${trustDomain}; expected ${expected}`
            : `server certificate is for service ${actual}; expected ${expected}`);
        this.expected = expected;
        this.actual = actual;
    }
}
/**
 * A `checkServerIdentity` for node:tls that accepts the server only when its
 * certificate names `expectedService` in `trustDomain`. Node calls it after
 * the chain has verified; returning the Error fails the handshake with it.
 *
 * @example tls.connect({ ..., ca, checkServerIdentity: checkServerIdentityFor('payments', 'faultmesh.local') })
 */
export function checkServerIdentityFor(expectedService, trustDomain) {
    return (_hostname, cert) => {
        const actual = identityOfCertificate(cert, trustDomain);
        return actual === expectedService ? undefined : new PeerIdentityError(expectedService, actual, trustDomain);
    };
}
//# sourceMappingURL=peer.js.map