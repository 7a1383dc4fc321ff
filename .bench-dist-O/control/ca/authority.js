/**
 * The mesh's certificate authority: signs short-lived identity certificates
 * for services, from a CA directory (see ca-dir.ts). Used offline by
 * `faultmesh ca` and online by `faultmesh control --ca-dir`.
 *
 * Loads @peculiar/x509 (through proxy/identity/x509.ts): import this module
 * with `await import()` where it is optional.
 */
import { inspect } from 'node:util';
import { generateIdentityKey, createCsr } from '../../proxy/identity/keys.js';
import { checkServiceName, checkTrustDomain, DEFAULT_TRUST_DOMAIN, spiffeId } from '../../proxy/identity/spiffe.js';
import { KEY_ALGORITHM, webcrypto } from '../../proxy/identity/x509.js';
import { toPem } from '../../proxy/identity/pem.js';
import { formatDuration } from '../../proxy/config/duration.js';
import { CaError } from './ca-error.js';
import { readCaDir, refuseExistingCa, writeNewCaDir } from './ca-dir.js';
import { checkCaMaterial } from './ca-material.js';
import { publicKeyOfCsr } from './csr.js';
import { DEFAULT_LEAF_TTL_MS, MAX_LEAF_TTL_MS } from './leaf-limits.js';
import { CLOCK_SKEW_MS, createLeafCertificate, createRootCertificate, randomSerial } from './profiles.js';
export { DEFAULT_LEAF_TTL_MS, MAX_LEAF_TTL_MS } from './leaf-limits.js';
export class CertificateAuthority {
    dir;
    trustDomain;
    #material;
    #now;
    constructor(dir, trustDomain, material, now) {
        this.dir = dir;
        this.trustDomain = trustDomain;
        this.#material = material;
        this.#now = now;
    }
    /**
     * Creates a new root CA in `dir` (made if absent) and returns it. Refuses
     * (CA_EXISTS) a directory that already holds any CA file.
     *
     * @example const ca = await CertificateAuthority.init('ca', { trustDomain: 'shop.internal' });
     */
    static async init(dir, options = {}) {
        const trustDomain = checkTrustDomain(options.trustDomain ?? DEFAULT_TRUST_DOMAIN);
        const clock = options.now ?? (() => new Date());
        refuseExistingCa(dir);
        const keys = (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']));
        const certPem = await createRootCertificate(keys, trustDomain, clock());
        const keyPem = toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
        writeNewCaDir(dir, { keyPem, certPem, trustPem: certPem, chainPem: undefined, meta: { trustDomain, createdAt: clock().toISOString() } });
        return CertificateAuthority.load(dir, { ...options, trustDomain });
    }
    /**
     * Loads the CA in `dir`, checked at the clock's now (see ca-material.ts
     * for what is refused). The trust domain is ca.json's, else the option's,
     * else faultmesh.local.
     */
    static async load(dir, options = {}) {
        const clock = options.now ?? (() => new Date());
        const contents = readCaDir(dir);
        if (!contents)
            throw new CaError('CA_DIR_PARTIAL', 'holds no CA (ca.key, ca.crt, trust.pem); create one with faultmesh ca init', dir);
        const stored = contents.meta?.trustDomain;
        if (stored !== undefined && options.trustDomain !== undefined && stored !== options.trustDomain) {
            throw new CaError('CA_TRUST_DOMAIN_MISMATCH', `holds a CA of trust domain ${stored}, not ${options.trustDomain}`, dir);
        }
        const trustDomain = checkTrustDomain(stored ?? options.trustDomain ?? DEFAULT_TRUST_DOMAIN);
        return new CertificateAuthority(dir, trustDomain, await checkCaMaterial(dir, contents, clock()), clock);
    }
    /** Loads the CA in `dir`, or creates a root there when it holds none: what `faultmesh control --ca-dir` does at start. */
    static async openOrInit(dir, options = {}) {
        return readCaDir(dir) === undefined ? CertificateAuthority.init(dir, options) : CertificateAuthority.load(dir, options);
    }
    /** The root(s) every proxy verifies peers against (node:tls `ca`). */
    get trustBundlePem() {
        return this.#material.trustBundlePem;
    }
    /** The signing certificate's subject and the last moment a leaf may be valid. */
    get subject() {
        return this.#material.subject;
    }
    get notAfter() {
        return this.#material.signUntil;
    }
    /**
     * Signs a CSR for `service`. The CSR's own signature is verified first
     * (CaError CSR_INVALID); its names and extensions are ignored.
     *
     * @example const { certificatePem, chainPem } = await ca.sign(csrPem, { service: 'payments' });
     */
    async sign(csrPem, options) {
        const service = checkServiceName(options.service);
        const ttlMs = options.ttlMs ?? DEFAULT_LEAF_TTL_MS;
        if (!Number.isInteger(ttlMs) || ttlMs <= 0 || ttlMs > MAX_LEAF_TTL_MS)
            throw new CaError('TTL_INVALID', `a certificate lifetime is 1ms to ${formatDuration(MAX_LEAF_TTL_MS)}, not ${ttlMs}ms`);
        const now = options.now ?? this.#now();
        const m = this.#material;
        if (now.getTime() >= m.signUntil.getTime())
            throw new CaError('CA_EXPIRED', `the CA's certificate (or one above it) expired at ${m.signUntil.toISOString()}: it cannot sign`, this.dir);
        const publicKey = await publicKeyOfCsr(csrPem);
        const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
        const notAfter = new Date(Math.min(now.getTime() + ttlMs, m.signUntil.getTime()));
        const serial = randomSerial();
        const certificatePem = await createLeafCertificate({ service, trustDomain: this.trustDomain, publicKey, issuer: m.issuer, signingKey: m.signingKey, notBefore, notAfter, serial });
        return { certificatePem, chainPem: m.chainPem, trustBundlePem: m.trustBundlePem, spiffeId: spiffeId(this.trustDomain, service), notBefore, notAfter, serial };
    }
    /** Generates a key and signs a certificate for it: `faultmesh ca issue`, where no proxy holds a key yet. */
    async issue(options) {
        const service = checkServiceName(options.service);
        const key = await generateIdentityKey();
        const signed = await this.sign(await createCsr(key.cryptoKeyPair, service, this.trustDomain), options);
        return { ...signed, privateKeyPem: key.privateKeyPem };
    }
    /** What may be logged or served about the CA: never its key. */
    toJSON() {
        return { dir: this.dir, trustDomain: this.trustDomain, subject: this.subject, selfSigned: this.#material.selfSigned, notAfter: this.notAfter.toISOString() };
    }
    [inspect.custom]() {
        return `CertificateAuthority ${JSON.stringify(this.toJSON())}`;
    }
}
//# sourceMappingURL=authority.js.map