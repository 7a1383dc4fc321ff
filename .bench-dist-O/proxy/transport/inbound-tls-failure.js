/**
 * Why an inbound connection was refused before any request reached the app,
 * in the few words `faultmesh_inbound_tls_failures_total{reason}` takes: a
 * bounded set, so a scanner hammering the port with garbage cannot grow the
 * registry.
 */
export const INBOUND_TLS_FAILURE_REASONS = ['no_certificate', 'unknown_ca', 'expired', 'bad_certificate', 'plaintext', 'other'];
// OpenSSL's verification results (a TLSSocket's authorizationError) for a chain that reaches no root of the bundle.
const UNKNOWN_CA = new Set([
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'CERT_UNTRUSTED',
]);
/**
 * The reason of a refused TLS client, from the error node:tls reports
 * ('tlsClientError') and the socket's verification result. A client whose
 * chain fails verification is refused by node:tls after the handshake with
 * a bare "socket hang up": the verification result is what says why.
 *
 * @example tlsFailureReason({ code: 'ECONNRESET' }, 'CERT_HAS_EXPIRED') // 'expired'
 */
export function tlsFailureReason(err, authorizationError) {
    if (authorizationError) {
        if (authorizationError === 'CERT_HAS_EXPIRED')
            return 'expired';
        if (UNKNOWN_CA.has(authorizationError))
            return 'unknown_ca';
        return 'bad_certificate';
    }
    const code = err.code ?? '';
    if (code === 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE')
        return 'no_certificate';
    // OpenSSL's own checks of a certificate it could parse no further (a bad signature, an unsupported key).
    if (code.startsWith('ERR_SSL_') && code.includes('CERTIFICATE'))
        return 'bad_certificate';
    return 'other';
}
//# sourceMappingURL=inbound-tls-failure.js.map