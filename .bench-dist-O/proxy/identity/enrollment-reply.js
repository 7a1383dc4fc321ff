/**
 * What a proxy checks of the certificate the control plane's CA sends back
 * before it puts it in force: that it is for the key this proxy generated,
 * names this proxy's service in its trust domain, and chains to the trust
 * bundle sent with it. node:crypto only.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { validityOf, verifyChain } from './chain.js';
import { spiffeIdOfSan } from './peer.js';
import { pemBlocks } from './pem.js';
/** Messages name the control plane and the refusal, never the join token or a key. */
export class EnrollmentError extends Error {
    code;
    name = 'EnrollmentError';
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}
const invalid = (why) => new EnrollmentError('ENROLLMENT_INVALID', `the control plane's certificate is not usable: ${why}`);
function certificates(text, what) {
    if (typeof text !== 'string')
        throw invalid(`${what} is missing`);
    return pemBlocks(text, 'CERTIFICATE').map((pem) => {
        try {
            return new X509Certificate(pem);
        }
        catch {
            throw invalid(`${what} holds a PEM block that is not an X.509 certificate`);
        }
    });
}
/**
 * Checks `reply` against the key it was asked for and builds the Identity
 * node:tls will use. Throws EnrollmentError(ENROLLMENT_INVALID).
 *
 * @example identityOfReply(reply, key.privateKeyPem, { service: 'orders', trustDomain: 'faultmesh.local', now: new Date() })
 */
export function identityOfReply(reply, keyPem, expected) {
    const [leaf] = certificates(reply.certificate, 'certificate');
    if (!leaf)
        throw invalid('certificate holds no PEM certificate');
    const intermediates = certificates(reply.chain ?? '', 'chain');
    const roots = certificates(reply.trustBundle, 'trustBundle');
    if (roots.length === 0)
        throw invalid('trustBundle holds no certificate');
    if (!leaf.checkPrivateKey(createPrivateKey(keyPem)))
        throw invalid('it is not for the key this proxy sent a request for');
    const id = spiffeIdOfSan(leaf.subjectAltName);
    if (!id)
        throw invalid('it names no spiffe://<trust-domain>/service/<name> identity');
    if (id.trustDomain !== expected.trustDomain) {
        throw new EnrollmentError('ENROLLMENT_INVALID', `the control plane's CA is of trust domain ${id.trustDomain}, this proxy of ${expected.trustDomain}: start it with --trust-domain ${id.trustDomain}`);
    }
    if (id.service !== expected.service)
        throw invalid(`it is for service ${id.service}, this proxy is ${expected.service}`);
    const chain = verifyChain(leaf, intermediates, roots, expected.now);
    if (!chain.ok)
        throw invalid(chain.reason);
    const { notBefore, notAfter } = validityOf(leaf);
    return {
        identity: {
            certPem: [leaf, ...intermediates].map((c) => c.toString()).join(''),
            keyPem,
            caPem: roots.map((c) => c.toString()).join(''),
            service: id.service,
            trustDomain: id.trustDomain,
            spiffeId: `spiffe://${id.trustDomain}/service/${id.service}`,
            notAfter,
        },
        notBefore,
        serial: leaf.serialNumber.toLowerCase(),
    };
}
//# sourceMappingURL=enrollment-reply.js.map