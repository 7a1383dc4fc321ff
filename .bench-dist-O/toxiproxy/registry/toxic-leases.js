/**
 * The timers of leased toxics (a toxic created or renewed with a ttl), one
 * per proxy and toxic name. The registry holds the toxics; this only says
 * when one ends, by calling `onEnd` with the deadline it was armed for, so a
 * lease renewed in the meantime is told apart from the one that ended.
 */
export class ToxicLeases {
    timers;
    onEnd;
    /** Proxy name → toxic name → timer handle. */
    armed = new Map();
    constructor(timers, onEnd) {
        this.timers = timers;
        this.onEnd = onEnd;
    }
    /** Arms (or re-arms) the lease of `toxic` on `proxy` to end at `expiresAt`. */
    hold(proxy, toxic, expiresAt) {
        this.release(proxy, toxic);
        const ofProxy = this.armed.get(proxy) ?? new Map();
        this.armed.set(proxy, ofProxy);
        const delay = Math.max(0, expiresAt - this.timers.now());
        const handle = this.timers.setTimeout(() => {
            if (ofProxy.get(toxic) === handle)
                ofProxy.delete(toxic);
            this.onEnd(proxy, toxic, expiresAt);
        }, delay);
        ofProxy.set(toxic, handle);
    }
    /** Disarms one lease: the toxic was removed, or replaced by one without a ttl. */
    release(proxy, toxic) {
        const ofProxy = this.armed.get(proxy);
        const handle = ofProxy?.get(toxic);
        if (handle === undefined)
            return;
        this.timers.clearTimeout(handle);
        ofProxy.delete(toxic);
    }
    /** Disarms every lease of `proxy`, or of every proxy. */
    releaseAll(proxy) {
        for (const [name, ofProxy] of this.armed) {
            if (proxy !== undefined && name !== proxy)
                continue;
            for (const handle of ofProxy.values())
                this.timers.clearTimeout(handle);
            this.armed.delete(name);
        }
    }
}
//# sourceMappingURL=toxic-leases.js.map