import type { Timers } from '../../proxy/core/timers.js';

/**
 * The timers of leased toxics (a toxic created or renewed with a ttl), one
 * per proxy and toxic name. The registry holds the toxics; this only says
 * when one ends, by calling `onEnd` with the deadline it was armed for, so a
 * lease renewed in the meantime is told apart from the one that ended.
 */
export class ToxicLeases {
  /** Proxy name → toxic name → timer handle. */
  private readonly armed = new Map<string, Map<string, unknown>>();

  constructor(
    private readonly timers: Timers,
    private readonly onEnd: (proxy: string, toxic: string, expiresAt: number) => void,
  ) {}

  /** Arms (or re-arms) the lease of `toxic` on `proxy` to end at `expiresAt`. */
  hold(proxy: string, toxic: string, expiresAt: number): void {
    this.release(proxy, toxic);
    const ofProxy = this.armed.get(proxy) ?? new Map<string, unknown>();
    this.armed.set(proxy, ofProxy);
    const delay = Math.max(0, expiresAt - this.timers.now());
    const handle = this.timers.setTimeout(() => {
      if (ofProxy.get(toxic) === handle) ofProxy.delete(toxic);
      this.onEnd(proxy, toxic, expiresAt);
    }, delay);
    ofProxy.set(toxic, handle);
  }

  /** Disarms one lease: the toxic was removed, or replaced by one without a ttl. */
  release(proxy: string, toxic: string): void {
    const ofProxy = this.armed.get(proxy);
    const handle = ofProxy?.get(toxic);
    if (handle === undefined) return;
    this.timers.clearTimeout(handle);
    ofProxy!.delete(toxic);
  }

  /** Disarms every lease of `proxy`, or of every proxy. */
  releaseAll(proxy?: string): void {
    for (const [name, ofProxy] of this.armed) {
      if (proxy !== undefined && name !== proxy) continue;
      for (const handle of ofProxy.values()) this.timers.clearTimeout(handle);
      this.armed.delete(name);
    }
  }
}
