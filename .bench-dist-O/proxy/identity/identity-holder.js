import { createSecureContext } from 'node:tls';
/**
 * The one place a proxy's current identity lives. Its sources (files
 * reloaded on SIGHUP, the control plane's CA rotating at two thirds of the
 * lifetime) call `set`; the inbound listener and the outbound connector
 * read `secureContext()` for every new connection, so a rotation reaches
 * new handshakes at once while open connections carry on with the identity
 * they were made with: nothing in flight is cut.
 */
export class IdentityHolder {
    identity;
    context;
    listeners = new Set();
    constructor(initial) {
        if (initial)
            this.set(initial);
    }
    /** The identity in force; undefined until its source delivered one. */
    current() {
        return this.identity;
    }
    /**
     * Puts `identity` in force. A service change is refused: a sidecar is one
     * service for its whole life (its policies, metrics and registrations say
     * so), and a rotation that changed it would be a misissued certificate.
     */
    set(identity) {
        if (this.identity && identity.service !== this.identity.service) {
            throw new Error(`the new certificate is for service "${identity.service}", this proxy is "${this.identity.service}"`);
        }
        // Built before anything changes: a key node:tls refuses leaves the old identity in force.
        const context = createSecureContext({ cert: identity.certPem, key: identity.keyPem, ca: identity.caPem, minVersion: 'TLSv1.3' });
        this.identity = identity;
        this.context = context;
        for (const listener of this.listeners)
            listener(identity);
    }
    /** The secure context of the identity in force (one per identity, shared by every connection). */
    secureContext() {
        return this.context;
    }
    /** Called after each `set`; returns the function that stops it. */
    onChange(listener) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
    /** The identity without its key, for logs, status and errors: the key never leaves the proxy, nor reaches a log. */
    describe() {
        const id = this.identity;
        return id && { service: id.service, spiffeId: id.spiffeId, notAfter: id.notAfter.toISOString() };
    }
    toJSON() {
        return this.describe() ?? null;
    }
}
//# sourceMappingURL=identity-holder.js.map