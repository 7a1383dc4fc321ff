/**
 * A proxy's identity from files (--cert, --key, --ca): loaded into an
 * IdentityHolder at start and again on each reload (SIGHUP), which swaps
 * the certificate for new connections while open ones carry on. What it
 * logs names files, serials and dates, never key material.
 */
import { X509Certificate } from 'node:crypto';
import { MAX_TIMER_MS, realTimers } from '../core/timers.js';
import { loadIdentityFiles } from './cert-files.js';
import { validityOf } from './chain.js';
import { IdentityHolder } from './identity-holder.js';
import { pemBlocks } from './pem.js';
/** Warned this long after notBefore: with a third of the lifetime left, a renewal is overdue (the control plane renews at two thirds). */
const WARN_AT_SHARE = 2 / 3;
/**
 * The identity files of one proxy process. The constructor throws the
 * IdentityError of the first bad file (the CLI checked them already, so
 * this is a file changed since); `reload` never throws: a bad file keeps
 * the identity in force and says which file and why.
 *
 * @example const id = new FileIdentity({ paths: { cert, key, ca }, trustDomain: 'faultmesh.local', log }); process.on('SIGHUP', () => id.reload());
 */
export class FileIdentity {
    options;
    holder;
    loaded;
    timers;
    timer;
    closed = false;
    constructor(options) {
        this.options = options;
        this.timers = options.timers ?? realTimers;
        this.loaded = this.read();
        this.holder = new IdentityHolder(this.loaded.files);
        options.log(`identity ${this.loaded.files.spiffeId} from ${options.paths.cert}: ${describe(this.loaded)}`);
        this.watchExpiry();
    }
    /** Reads the files again; a certificate that is a new one goes in force for the next connections. */
    reload() {
        const before = this.loaded;
        let next;
        try {
            next = this.read();
            if (next.serial !== before.serial)
                this.holder.set(next.files);
        }
        catch (err) {
            // IdentityError names the file; the holder's refusal (another service) is about the certificate.
            const message = err.message;
            const reason = err.file === undefined ? `${this.options.paths.cert}: ${message}` : message;
            this.options.log(`identity reload refused, keeping serial ${before.serial} (valid until ${before.files.notAfter.toISOString()}): ${reason}`);
            return { ok: false, reason, serial: before.serial };
        }
        const changed = next.serial !== before.serial;
        if (changed) {
            this.loaded = next;
            this.watchExpiry();
            this.options.log(`identity reloaded from ${this.options.paths.cert}: ${describe(next)}; new connections use it`);
        }
        else
            this.options.log(`identity files unchanged (serial ${next.serial})`);
        return { ok: true, changed, serial: next.serial, notAfter: next.files.notAfter };
    }
    /** The certificate in force, without its key. */
    describe() {
        return { spiffeId: this.loaded.files.spiffeId, serial: this.loaded.serial, notAfter: this.loaded.files.notAfter.toISOString() };
    }
    close() {
        this.closed = true;
        this.timers.clearTimeout(this.timer);
    }
    read() {
        const files = loadIdentityFiles(this.options.paths, { now: new Date(this.timers.now()), trustDomain: this.options.trustDomain });
        // loadIdentityFiles has parsed and checked the leaf (the first block): this only reads its serial and start.
        const leaf = new X509Certificate(pemBlocks(files.certPem, 'CERTIFICATE')[0]);
        return { files, serial: leaf.serialNumber, notBefore: validityOf(leaf).notBefore };
    }
    /**
     * One warning when a third of the certificate's lifetime is left and no
     * reload brought a newer one, and one when it has expired (peers then
     * refuse every new connection). Timers of at most MAX_TIMER_MS, in steps.
     */
    watchExpiry() {
        this.timers.clearTimeout(this.timer);
        const current = this.loaded;
        const { notAfter } = current.files;
        const warnAt = current.notBefore.getTime() + (notAfter.getTime() - current.notBefore.getTime()) * WARN_AT_SHARE;
        const milestones = [
            { at: warnAt, say: () => `identity serial ${current.serial} expires at ${notAfter.toISOString()}, with less than a third of its lifetime left, and nothing renewed it: write new files to ${this.options.paths.cert} and ${this.options.paths.key}, then send SIGHUP` },
            { at: notAfter.getTime(), say: () => `identity serial ${current.serial} expired at ${notAfter.toISOString()}: peers refuse new connections from this proxy until new files are loaded (SIGHUP)` },
        ];
        const step = () => {
            if (this.closed || this.loaded !== current)
                return;
            const now = this.timers.now();
            while (milestones.length > 0 && milestones[0].at <= now) {
                const due = milestones.shift();
                // Only the latest of those already due: a proxy started on an expired-soon certificate says so once.
                if (milestones.length === 0 || milestones[0].at > now)
                    this.options.log(due.say());
            }
            if (milestones.length > 0)
                this.timer = this.timers.setTimeout(step, Math.min(MAX_TIMER_MS, Math.max(1, milestones[0].at - now)));
        };
        step();
    }
}
function describe(l) {
    return `serial ${l.serial}, valid until ${l.files.notAfter.toISOString()}`;
}
/**
 * The file identity of a proxy whose options say `identity: { kind: 'files' }`,
 * logging to `options.log` (stderr by default); undefined for any other source.
 */
export function openFileIdentity(options, timers) {
    const id = options.identity;
    if (id?.kind !== 'files')
        return undefined;
    const log = options.log ?? ((line) => process.stderr.write(`faultmesh: ${line}\n`));
    return new FileIdentity({ paths: { cert: id.cert, key: id.key, ca: id.ca }, trustDomain: id.trustDomain, log, timers });
}
//# sourceMappingURL=file-identity.js.map