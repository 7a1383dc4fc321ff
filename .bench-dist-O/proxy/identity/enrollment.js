/**
 * A proxy's identity from the control plane's CA (`--join-token`): the key
 * is generated here and never leaves the process; only a CSR is sent, with
 * the join token, to `POST /v1/certificates`. The certificate is renewed
 * at two thirds of its lifetime with a new key; while the control plane is
 * out of reach the old one stays in force (with a warning from 90 % of its
 * lifetime) and the request is retried with back-off across the replicas.
 *
 * Loads the X.509 library (CSRs): import this module with `await import()`.
 */
import { request } from 'undici';
import { MAX_TIMER_MS, realTimers, sleepOn } from '../core/timers.js';
import { backoffMs } from '../sources/control/backoff.js';
import { EnrollmentError, identityOfReply } from './enrollment-reply.js';
import { IdentityHolder } from './identity-holder.js';
import { createCsr, generateIdentityKey } from './keys.js';
export { EnrollmentError } from './enrollment-reply.js';
/** How long a start waits for its first certificate while the control plane does not answer. */
export const FIRST_CERTIFICATE_WAIT_MS = 30_000;
const RENEW_AT = 2 / 3;
const WARN_AT = 0.9;
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * A holder the control plane's CA fills: resolves once the first
 * certificate is in force (what a start waits for before it listens), and
 * keeps renewing it until `enrollment.close()`.
 *
 * @example const { holder, enrollment } = await enroll({ urls, joinToken, service: 'orders', trustDomain: 'faultmesh.local' });
 */
export async function enroll(settings, deps = {}) {
    const holder = new IdentityHolder();
    const enrollment = new Enrollment({ ...settings, ...deps }, holder);
    await enrollment.start();
    return { holder, enrollment };
}
/** Answers that no retry changes: the token or the request is refused (a 5xx but 501, a 408, a 429 or no answer are retried). */
const isFinal = (status) => (status >= 400 && status < 500 && status !== 408 && status !== 429) || status === 501;
/**
 * Keeps `holder` filled with a current certificate for `service`.
 *
 * @example
 * const enrollment = new Enrollment({ urls, joinToken, service: 'orders', trustDomain: 'faultmesh.local' }, holder);
 * await enrollment.start(); // the first certificate is in force, or EnrollmentError
 */
export class Enrollment {
    options;
    holder;
    timers;
    random;
    closing = new AbortController();
    turn = 0;
    timer;
    current;
    /** When `current` arrived (the injected clock): renewal is timed from it. */
    receivedAt = 0;
    renewing;
    lastError;
    constructor(options, holder) {
        this.options = options;
        this.holder = holder;
        if (options.urls.length === 0)
            throw new TypeError('enrollment needs a control-plane URL');
        this.timers = options.timers ?? realTimers;
        this.random = options.random ?? Math.random;
    }
    /**
     * Gets the first certificate and puts it in force. Rejects at once when
     * the control plane refuses (a revoked token, a service the token does not
     * allow), and after `firstWaitMs` (default 30 s) when none answers.
     */
    async start() {
        const waitMs = this.options.firstWaitMs ?? FIRST_CERTIFICATE_WAIT_MS;
        const deadline = this.timers.now() + waitMs;
        // The retry waits run on the injected timers, which do not hold the process open (core/timers.ts): while
        // the start awaits its first certificate nothing else does, and Node would exit silently (code 13).
        const keepAlive = setTimeout(() => { }, waitMs + 1_000);
        try {
            await this.firstCertificate(deadline, waitMs);
        }
        finally {
            clearTimeout(keepAlive);
        }
    }
    async firstCertificate(deadline, waitMs) {
        for (let failures = 0;; failures++) {
            try {
                return this.put(await this.fetch(), 'got');
            }
            catch (err) {
                if (this.closing.signal.aborted)
                    throw new EnrollmentError('ENROLLMENT_TIMEOUT', 'closed before a certificate arrived');
                if (err instanceof EnrollmentError)
                    throw err;
                this.lastError = err.message;
                const left = deadline - this.timers.now();
                if (left <= 0)
                    throw new EnrollmentError('ENROLLMENT_TIMEOUT', `no certificate from the control plane within ${Math.round(waitMs / 1000)}s: ${this.lastError}`);
                this.turn++;
                await sleepOn(this.timers, Math.min(backoffMs(failures, this.random), left), this.closing.signal);
            }
        }
    }
    async close() {
        this.closing.abort();
        this.timers.clearTimeout(this.timer);
        await this.renewing;
    }
    put(issued, verb) {
        this.holder.set(issued.identity);
        this.current = issued;
        this.receivedAt = this.timers.now();
        this.lastError = undefined;
        this.options.log?.(`identity: ${verb} a certificate for ${issued.identity.spiffeId} from the control plane (serial ${issued.serial}, valid until ${issued.identity.notAfter.toISOString()})`);
        this.schedule(issued);
    }
    /**
     * Two thirds of the way from when the certificate arrived to its end. Not
     * from its notBefore: the CA backdates that a minute for clock skew, so a
     * short --cert-ttl would be renewed at once, again and again.
     */
    renewAt(c) {
        return this.receivedAt + (c.identity.notAfter.getTime() - this.receivedAt) * RENEW_AT;
    }
    schedule(c) {
        const wait = Math.max(0, this.renewAt(c) - this.timers.now());
        // Steps of at most MAX_TIMER_MS: Node fires a longer timer after 1 ms.
        this.timer = this.timers.setTimeout(() => (wait > MAX_TIMER_MS ? this.schedule(c) : void (this.renewing = this.renew())), Math.min(wait, MAX_TIMER_MS));
    }
    /** Until a new certificate is in force: the old one serves meanwhile, whatever the control plane answers. */
    async renew() {
        const old = this.current;
        const start = this.receivedAt;
        const lifetime = old.identity.notAfter.getTime() - start;
        let warned = false;
        let expired = false;
        const logged = new Set();
        for (let failures = 0; !this.closing.signal.aborted; failures++) {
            try {
                return this.put(await this.fetch(), 'renewed');
            }
            catch (err) {
                if (this.closing.signal.aborted)
                    return;
                this.lastError = err.message;
                if (!logged.has(this.lastError))
                    this.options.log?.(`identity: renewal failed, retrying; the certificate in force stays until ${old.identity.notAfter.toISOString()}: ${this.lastError}`);
                logged.add(this.lastError);
                const now = this.timers.now();
                if (!warned && now >= start + lifetime * WARN_AT) {
                    warned = true;
                    this.options.log?.(`identity: warning: the certificate of ${old.identity.spiffeId} is past 90% of its lifetime and could not be renewed; it expires at ${old.identity.notAfter.toISOString()}`);
                }
                if (!expired && now >= old.identity.notAfter.getTime()) {
                    expired = true;
                    this.options.log?.(`identity: the certificate of ${old.identity.spiffeId} expired at ${old.identity.notAfter.toISOString()}: peers refuse new connections until a renewal succeeds`);
                }
                this.turn++;
                await sleepOn(this.timers, backoffMs(failures, this.random), this.closing.signal);
            }
        }
    }
    /** One request to one replica: a new key, its CSR, and the certificate checked against both. */
    async fetch() {
        const { service, trustDomain, urls, joinToken } = this.options;
        const key = await generateIdentityKey();
        const csr = await createCsr(key.cryptoKeyPair, service, trustDomain);
        const url = urls[this.turn % urls.length];
        const res = await request(`${url}/v1/certificates`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${joinToken}` },
            body: JSON.stringify({ service, csr }),
            signal: this.closing.signal,
            headersTimeout: REQUEST_TIMEOUT_MS,
            bodyTimeout: REQUEST_TIMEOUT_MS,
        });
        const text = await res.body.text();
        let body = {};
        try {
            body = JSON.parse(text);
        }
        catch {
            // Not JSON: a proxy in between, or not a control plane. Said below.
        }
        if (res.statusCode !== 200) {
            const why = `${url} answered ${res.statusCode}${typeof body.code === 'string' ? ` ${body.code}` : ''}${typeof body.message === 'string' ? `: ${body.message}` : ''}`;
            if (isFinal(res.statusCode))
                throw new EnrollmentError('ENROLLMENT_REFUSED', `the control plane refused a certificate for ${service}: ${why}`);
            throw new Error(why);
        }
        return identityOfReply(body, key.privateKeyPem, { service, trustDomain, now: new Date(this.timers.now()) });
    }
}
//# sourceMappingURL=enrollment.js.map