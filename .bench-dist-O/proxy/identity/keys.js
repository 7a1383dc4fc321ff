import { toPem } from './pem.js';
import { spiffeId } from './spiffe.js';
import { KEY_ALGORITHM, SIGNING_ALGORITHM, webcrypto, x509 } from './x509.js';
/**
 * Generates an ECDSA P-256 key pair locally. The private key is extractable
 * only so it can be written as PEM for node:tls; it never leaves the process
 * that generated it except into a 0600 file.
 *
 * @example const { privateKeyPem, cryptoKeyPair } = await generateIdentityKey();
 */
export async function generateIdentityKey() {
    const cryptoKeyPair = (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']));
    const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', cryptoKeyPair.privateKey);
    return { privateKeyPem: toPem(pkcs8, 'PRIVATE KEY'), cryptoKeyPair };
}
/**
 * A PKCS#10 request (PEM) for `service` in `trustDomain`: subject CN = the
 * service, one URI SAN with its SPIFFE ID, signed with the pair's private
 * key. The CA sets the certificate's names from what it was told, not from
 * this request, so the names here are only for humans reading the CSR.
 *
 * @example const csrPem = await createCsr(key.cryptoKeyPair, 'payments', 'faultmesh.local');
 */
export async function createCsr(keyPair, service, trustDomain) {
    const uri = spiffeId(trustDomain, service);
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
        name: [{ CN: [service] }],
        keys: keyPair,
        signingAlgorithm: SIGNING_ALGORITHM,
        extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'url', value: uri }])],
    });
    return `${csr.toString('pem')}\n`;
}
/**
 * Imports a PKCS#8 PEM ECDSA P-256 key for signing, as a non-extractable
 * CryptoKey: once imported, not even a bug in this process can export it.
 * Throws a TypeError/DOMException on anything else; callers name the file.
 */
export async function importSigningKey(privateKeyPem) {
    const body = privateKeyPem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, '');
    const der = Buffer.from(body, 'base64');
    return (await webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign']));
}
//# sourceMappingURL=keys.js.map