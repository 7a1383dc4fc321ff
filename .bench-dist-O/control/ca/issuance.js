import { CaError } from './ca-error.js';
import { allowsService } from './join-tokens.js';
const STATUS = {
    TOKEN_UNKNOWN: 401,
    TOKEN_REVOKED: 401,
    TOKEN_EXPIRED: 401,
    SERVICE_NOT_ALLOWED: 403,
    CSR_INVALID: 400,
    // The CA's own certificate ran out: nothing the proxy can change, and every replica with this CA says the same.
    CA_EXPIRED: 503,
};
/** A refused certificate request, with the HTTP status it is answered with. */
export class IssuanceError extends Error {
    code;
    name = 'IssuanceError';
    status;
    constructor(code, message) {
        super(message);
        this.code = code;
        this.status = STATUS[code];
    }
}
/**
 * Signs `request.csr` for `request.service` if the token allows it.
 * Throws IssuanceError; the CA signs for the service named here, whatever
 * the CSR itself asks for.
 *
 * @example await issueCertificate(deps, { bearer: 'fmjt.…', service: 'orders', csr }) // { certificate, chain, trustBundle, notAfter, serial, spiffeId }
 */
export async function issueCertificate(deps, request) {
    try {
        return await issue(deps, request);
    }
    catch (err) {
        if (err instanceof IssuanceError) {
            deps.onRefused?.(err.code);
            deps.log(`refused a certificate for service ${request.service}: ${err.message}`);
        }
        throw err;
    }
}
async function issue(deps, request) {
    const check = await deps.tokens.check(request.bearer);
    if (!check.ok)
        throw new IssuanceError(check.code, check.message);
    const { token } = check;
    if (!allowsService(token, request.service)) {
        throw new IssuanceError('SERVICE_NOT_ALLOWED', `join token ${token.id} may be issued certificates for ${token.services.join(', ')}, not for ${request.service}`);
    }
    let signed;
    try {
        signed = await deps.ca.sign(request.csr, { service: request.service, ttlMs: deps.certTtlMs });
    }
    catch (err) {
        if (err instanceof CaError && err.code === 'CSR_INVALID')
            throw new IssuanceError('CSR_INVALID', err.message);
        if (err instanceof CaError && err.code === 'CA_EXPIRED')
            throw new IssuanceError('CA_EXPIRED', err.message);
        throw err;
    }
    const notAfter = signed.notAfter.toISOString();
    deps.onIssued?.(request.service);
    deps.log(`issued a certificate for service ${request.service} (serial ${signed.serial}, join token ${token.id}, valid until ${notAfter})`);
    return { certificate: signed.certificatePem, chain: signed.chainPem, trustBundle: signed.trustBundlePem, spiffeId: signed.spiffeId, notAfter, serial: signed.serial };
}
//# sourceMappingURL=issuance.js.map