/** Far more instances than one sidecar calls; a bound on memory if addresses churn. */
const DEFAULT_MAX_SESSIONS = 4096;
/**
 * TLS 1.3 session tickets an outbound sidecar received, one per destination
 * instance, for resumption: a connection the pool opens again (after an
 * idle close, a restart of the instance's sidecar) resumes instead of doing
 * a full handshake. Each ticket is kept with the secure context it was made
 * under: a resumed session carries the client certificate of its first
 * handshake, so after a rotation an old ticket would show the server the
 * old certificate. Such tickets are ignored, and replaced at the next one.
 */
export class TlsSessionCache {
    max;
    entries = new Map();
    constructor(max = DEFAULT_MAX_SESSIONS) {
        this.max = max;
    }
    /** The ticket for `key` made under `context`, if one is kept. */
    get(key, context) {
        const entry = this.entries.get(key);
        return entry?.context === context ? entry.session : undefined;
    }
    set(key, context, session) {
        // Re-inserted, so the Map's order is the order of use and the first key the oldest.
        this.entries.delete(key);
        if (this.entries.size >= this.max)
            this.entries.delete(this.entries.keys().next().value);
        this.entries.set(key, { context, session });
    }
    get size() {
        return this.entries.size;
    }
}
//# sourceMappingURL=tls-sessions.js.map