/**
 * Reads a proxy's identity files (--cert, --key, --ca) and refuses, naming
 * the file, anything node:tls would later fail on with a vaguer message:
 * unreadable, not PEM, a key that is not the certificate's, a chain that
 * does not reach the CA bundle, a certificate out of its validity, no SPIFFE
 * identity. node:crypto only, so the proxy can reload these on SIGHUP cheaply.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { validityOf, verifyChain } from './chain.js';
import { IdentityError } from './identity-error.js';
import { spiffeIdOfSan } from './peer.js';
import { pemBlocks } from './pem.js';
import { unreadableReason } from '../config/text-file.js';
/** Certificates, keys and bundles are small; anything larger is not one of them. */
const MAX_FILE_BYTES = 1024 * 1024;
function readPemFile(file) {
    let text;
    try {
        const bytes = readFileSync(file);
        if (bytes.length > MAX_FILE_BYTES)
            throw new IdentityError('NOT_PEM', `is ${bytes.length} bytes, larger than any certificate or key file`, file);
        text = bytes.toString('utf8');
    }
    catch (err) {
        if (err instanceof IdentityError)
            throw err;
        throw new IdentityError('FILE_UNREADABLE', unreadableReason(err), file);
    }
    return text;
}
function certificatesIn(text, file) {
    const blocks = pemBlocks(text, 'CERTIFICATE');
    if (blocks.length === 0)
        throw new IdentityError('NOT_PEM', 'holds no PEM certificate ("-----BEGIN CERTIFICATE-----")', file);
    return blocks.map((pem, i) => {
        try {
            return new X509Certificate(pem);
        }
        catch {
            throw new IdentityError('NOT_PEM', `certificate ${i + 1} is not a valid X.509 certificate`, file);
        }
    });
}
function privateKeyIn(text, file) {
    if (!/-----BEGIN (EC |ENCRYPTED )?PRIVATE KEY-----/.test(text))
        throw new IdentityError('NOT_PEM', 'holds no PEM private key ("-----BEGIN PRIVATE KEY-----")', file);
    try {
        return createPrivateKey(text);
    }
    catch {
        // Not the parser's message: it could echo part of the key.
        throw new IdentityError('NOT_PEM', 'is not a readable unencrypted private key', file);
    }
}
/**
 * Reads and checks the three files; the PEM texts it returns go straight to
 * `tls.createSecureContext({ cert: certPem, key: keyPem, ca: caPem })`.
 * Throws IdentityError with the file at fault.
 *
 * @example const id = loadIdentityFiles({ cert: 'tls/cert.pem', key: 'tls/key.pem', ca: 'tls/ca.pem' }); // id.service === 'payments'
 */
export function loadIdentityFiles(paths, options = {}) {
    const now = options.now ?? new Date();
    const certPem = readPemFile(paths.cert);
    const keyPem = readPemFile(paths.key);
    const caPem = readPemFile(paths.ca);
    const [leaf, ...intermediates] = certificatesIn(certPem, paths.cert);
    const roots = certificatesIn(caPem, paths.ca);
    const key = privateKeyIn(keyPem, paths.key);
    if (!leaf.checkPrivateKey(key))
        throw new IdentityError('KEY_MISMATCH', `is not the private key of the certificate in ${paths.cert}`, paths.key);
    const chain = verifyChain(leaf, intermediates, roots, now);
    if (!chain.ok)
        throw new IdentityError(chain.code, chain.code === 'UNTRUSTED' ? `${chain.reason} in ${paths.ca}` : chain.reason, paths.cert);
    const id = spiffeIdOfSan(leaf.subjectAltName);
    if (!id)
        throw new IdentityError('NO_IDENTITY', 'the certificate has no single spiffe://<trust-domain>/service/<name> URI SAN', paths.cert);
    if (options.trustDomain !== undefined && id.trustDomain !== options.trustDomain) {
        throw new IdentityError('WRONG_TRUST_DOMAIN', `the certificate is of trust domain ${id.trustDomain}, not ${options.trustDomain}`, paths.cert);
    }
    return {
        certPem,
        keyPem,
        caPem,
        service: id.service,
        trustDomain: id.trustDomain,
        spiffeId: `spiffe://${id.trustDomain}/service/${id.service}`,
        notAfter: validityOf(leaf).notAfter,
    };
}
//# sourceMappingURL=cert-files.js.map