/**
 * Checks what a CA directory holds before anything is signed with it, and
 * refuses with the file at fault: a key that is not the certificate's, a
 * certificate that is no CA, out of its validity, or not reaching the trust
 * bundle (the case of an intermediate signed by the team's own root).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { subjectOf, validityOf, verifyChain } from '../../proxy/identity/chain.js';
import { importSigningKey } from '../../proxy/identity/keys.js';
import { pemBlocks } from '../../proxy/identity/pem.js';
import { x509 } from '../../proxy/identity/x509.js';
import { CaError } from './ca-error.js';
import { CA_FILES } from './ca-dir.js';
function certificates(text, file) {
    const blocks = pemBlocks(text, 'CERTIFICATE');
    if (blocks.length === 0)
        throw new CaError('CA_FILE_INVALID', 'holds no PEM certificate', file);
    return blocks.map((pem) => {
        try {
            return new X509Certificate(pem);
        }
        catch {
            throw new CaError('CA_FILE_INVALID', 'holds a PEM block that is not a valid X.509 certificate', file);
        }
    });
}
function privateKey(text, file) {
    let key;
    try {
        key = createPrivateKey(text);
    }
    catch {
        // Not the parser's message: it could quote part of the key.
        throw new CaError('CA_FILE_INVALID', 'is not a readable unencrypted PEM private key', file);
    }
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
        throw new CaError('CA_FILE_INVALID', `is a ${key.asymmetricKeyType ?? 'unknown'} key; the mesh CA signs with ECDSA P-256`, file);
    }
    return key;
}
const isSelfSigned = (c) => c.checkIssued(c) && c.verify(c.publicKey);
/** Checks `contents` (read from `dir`) at `now` and imports the signing key. Throws CaError naming the file. */
export async function checkCaMaterial(dir, contents, now) {
    const certFile = join(dir, CA_FILES.cert);
    const keyFile = join(dir, CA_FILES.key);
    const trustFile = join(dir, CA_FILES.trust);
    const certs = certificates(contents.certPem, certFile);
    if (certs.length > 1)
        throw new CaError('CA_FILE_INVALID', `holds ${certs.length} certificates; keep only the signing certificate here and put intermediates in ${CA_FILES.chain}`, certFile);
    const cert = certs[0];
    if (!cert.ca)
        throw new CaError('CA_NOT_CA', 'is not a CA certificate (basicConstraints CA:TRUE), so it cannot sign certificates', certFile);
    const issuer = new x509.X509Certificate(contents.certPem);
    const usage = issuer.getExtension(x509.KeyUsagesExtension);
    if (usage && !(usage.usages & x509.KeyUsageFlags.keyCertSign))
        throw new CaError('CA_NOT_CA', 'its key usage does not include keyCertSign', certFile);
    const key = privateKey(contents.keyPem, keyFile);
    if (!cert.checkPrivateKey(key))
        throw new CaError('CA_KEY_MISMATCH', `is not the private key of ${certFile}`, keyFile);
    const intermediates = contents.chainPem === undefined ? [] : certificates(contents.chainPem, join(dir, CA_FILES.chain));
    const roots = certificates(contents.trustPem, trustFile);
    const chain = verifyChain(cert, intermediates, roots, now);
    if (!chain.ok) {
        if (chain.code === 'UNTRUSTED')
            throw new CaError('CA_UNTRUSTED', `does not chain to a root in ${trustFile}${contents.chainPem === undefined ? ` (intermediates go in ${CA_FILES.chain})` : ''}`, certFile);
        throw new CaError('CA_EXPIRED', `${chain.reason}: the CA cannot sign`, certFile);
    }
    const selfSigned = isSelfSigned(cert);
    const signUntil = new Date(Math.min(...chain.path.map((c) => validityOf(c).notAfter.getTime())));
    return {
        signingKey: await importSigningKey(key.export({ type: 'pkcs8', format: 'pem' })),
        issuer,
        certificatePem: pemBlocks(contents.certPem, 'CERTIFICATE')[0],
        chainPem: selfSigned ? '' : [contents.certPem, contents.chainPem ?? ''].flatMap((t) => pemBlocks(t, 'CERTIFICATE')).join(''),
        trustBundlePem: roots.map((r) => r.toString()).join(''),
        subject: subjectOf(cert),
        selfSigned,
        signUntil,
    };
}
//# sourceMappingURL=ca-material.js.map