/**
 * The two kinds of certificate the mesh CA makes, with every field decided
 * here and nowhere else: the root `ca init` creates, and the leaf identity
 * certificate of one service. Nothing a CSR asks for reaches a leaf.
 */
import { randomBytes } from 'node:crypto';
import { spiffeId } from '../../proxy/identity/spiffe.js';
import { SIGNING_ALGORITHM, x509 } from '../../proxy/identity/x509.js';
/** Leaves start a minute in the past, so a peer whose clock is a little behind still accepts them. */
export const CLOCK_SKEW_MS = 60_000;
/** How long a root made by `ca init` lasts. */
export const ROOT_LIFETIME_MS = 10 * 365 * 86_400_000;
/** A random positive 16-byte serial, hex (RFC 5280: at most 20 bytes, positive, unpredictable). */
export function randomSerial() {
    const bytes = randomBytes(16);
    bytes[0] = (bytes[0] & 0x7f) | 0x01; // positive, and no leading zero byte to be stripped
    return bytes.toString('hex');
}
/**
 * A self-signed root for `trustDomain`: CA with pathLen 1 (it may sign one
 * intermediate), keyCertSign and cRLSign only, valid 10 years from a minute ago.
 */
export async function createRootCertificate(keys, trustDomain, now) {
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
        name: [{ CN: [`faultmesh root CA`] }, { O: [trustDomain] }],
        keys,
        serialNumber: randomSerial(),
        notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
        notAfter: new Date(now.getTime() + ROOT_LIFETIME_MS),
        signingAlgorithm: SIGNING_ALGORITHM,
        extensions: [
            new x509.BasicConstraintsExtension(true, 1, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
            await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ],
    });
    return `${cert.toString('pem')}\n`;
}
/**
 * The identity certificate of one service: CN = the service, exactly one URI
 * SAN (its SPIFFE ID), not a CA, digitalSignature, serverAuth + clientAuth
 * (the same certificate serves an inbound listener and dials out).
 */
export async function createLeafCertificate(p) {
    // The AKI repeats the issuer's own SKI: OpenSSL matches the two when it
    // looks for the issuer, and an SKI computed another way would not match.
    const issuerSki = p.issuer.getExtension(x509.SubjectKeyIdentifierExtension);
    const cert = await x509.X509CertificateGenerator.create({
        subject: [{ CN: [p.service] }],
        issuer: p.issuer.subjectName,
        publicKey: p.publicKey,
        signingKey: p.signingKey,
        serialNumber: p.serial,
        notBefore: p.notBefore,
        notAfter: p.notAfter,
        signingAlgorithm: SIGNING_ALGORITHM,
        extensions: [
            new x509.BasicConstraintsExtension(false, undefined, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
            new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
            new x509.SubjectAlternativeNameExtension([{ type: 'url', value: spiffeId(p.trustDomain, p.service) }]),
            await x509.SubjectKeyIdentifierExtension.create(p.publicKey),
            ...(issuerSki ? [new x509.AuthorityKeyIdentifierExtension(issuerSki.keyId)] : []),
        ],
    });
    return `${cert.toString('pem')}\n`;
}
//# sourceMappingURL=profiles.js.map