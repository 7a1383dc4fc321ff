import { x509 } from '../../proxy/identity/x509.js';
import { CaError } from './ca-error.js';
/** A request arrives over the network (the control plane's CA endpoint); a real P-256 CSR is well under 1 KiB. */
export const MAX_CSR_BYTES = 16 * 1024;
const HEADER = '-----BEGIN CERTIFICATE REQUEST-----';
/**
 * The public key of a PKCS#10 request, once its self-signature verifies
 * (proof the requester holds the private key) and the key is ECDSA P-256.
 * Everything else in the request (subject, SANs, extensions) is ignored: the
 * CA names the certificate after the service it was told. Throws CaError(CSR_INVALID).
 */
export async function publicKeyOfCsr(csrPem) {
    if (typeof csrPem !== 'string' || !csrPem.includes(HEADER))
        throw new CaError('CSR_INVALID', `the certificate request is not PEM ("${HEADER}")`);
    if (csrPem.length > MAX_CSR_BYTES)
        throw new CaError('CSR_INVALID', `the certificate request is over ${MAX_CSR_BYTES} bytes`);
    let csr;
    try {
        csr = new x509.Pkcs10CertificateRequest(csrPem);
    }
    catch {
        throw new CaError('CSR_INVALID', 'the certificate request is not a valid PKCS#10 structure');
    }
    const alg = csr.publicKey.algorithm;
    if (alg.name !== 'ECDSA' || alg.namedCurve !== 'P-256')
        throw new CaError('CSR_INVALID', `the certificate request's key is ${alg.name}${alg.namedCurve ? ` ${alg.namedCurve}` : ''}; the mesh uses ECDSA P-256 keys`);
    let verified = false;
    try {
        verified = await csr.verify();
    }
    catch {
        verified = false;
    }
    if (!verified)
        throw new CaError('CSR_INVALID', "the certificate request's signature does not verify with its own key");
    return csr.publicKey;
}
//# sourceMappingURL=csr.js.map