import { createSecureContext, type SecureContext } from 'node:tls';
import type { IdentityFiles } from './cert-files.js';

/**
 * A proxy's identity as node:tls needs it: the certificate chain it presents,
 * its private key, and the trust bundle its peers' chains must reach. The
 * same shape whether it was read from --cert/--key/--ca or issued by the
 * control plane's CA.
 */
export type Identity = Pick<IdentityFiles, 'certPem' | 'keyPem' | 'caPem' | 'service' | 'trustDomain' | 'spiffeId' | 'notAfter'>;

/**
 * The one place a proxy's current identity lives. Its sources (files
 * reloaded on SIGHUP, the control plane's CA rotating at two thirds of the
 * lifetime) call `set`; the inbound listener and the outbound connector
 * read `secureContext()` for every new connection, so a rotation reaches
 * new handshakes at once while open connections carry on with the identity
 * they were made with: nothing in flight is cut.
 */
export class IdentityHolder {
  private identity: Identity | undefined;
  private context: SecureContext | undefined;
  private readonly listeners = new Set<(identity: Identity) => void>();

  constructor(initial?: Identity) {
    if (initial) this.set(initial);
  }

  /** The identity in force; undefined until its source delivered one. */
  current(): Identity | undefined {
    return this.identity;
  }

  /**
   * Puts `identity` in force. A service change is refused: a sidecar is one
   * service for its whole life (its policies, metrics and registrations say
   * so), and a rotation that changed it would be a misissued certificate.
   */
  set(identity: Identity): void {
    if (this.identity && identity.service !== this.identity.service) {
      throw new Error(`the new certificate is for service "${identity.service}", this proxy is "${this.identity.service}"`);
    }
    // Built before anything changes: a key node:tls refuses leaves the old identity in force.
    const context = createSecureContext({ cert: identity.certPem, key: identity.keyPem, ca: identity.caPem, minVersion: 'TLSv1.3' });
    this.identity = identity;
    this.context = context;
    for (const listener of this.listeners) listener(identity);
  }

  /** The secure context of the identity in force (one per identity, shared by every connection). */
  secureContext(): SecureContext | undefined {
    return this.context;
  }

  /** Called after each `set`; returns the function that stops it. */
  onChange(listener: (identity: Identity) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The identity without its key, for logs, status and errors: the key never leaves the proxy, nor reaches a log. */
  describe(): { service: string; spiffeId: string; notAfter: string } | undefined {
    const id = this.identity;
    return id && { service: id.service, spiffeId: id.spiffeId, notAfter: id.notAfter.toISOString() };
  }

  toJSON() {
    return this.describe() ?? null;
  }
}
