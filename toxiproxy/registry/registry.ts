import type { ProxyDraft, ProxyPatch, ProxyView, ToxicDraft, ToxicPatch, ToxicView } from '../model.js';
import type { ToxiproxyError } from '../toxiproxy-error.js';

/**
 * Where proxies and toxics live, and the one place they change. The API
 * reads and writes through this interface only: the local registry
 * (local-registry.ts) and the control plane's (control-registry.ts,
 * `--control URL`) serve the same routes. Every method may throw a
 * ToxiproxyError (404, 409, 400, 500; 503 when the control plane cannot be
 * reached), which the API answers as is.
 */
export interface ToxiproxyRegistry {
  /** Every proxy, by name. */
  proxies(): Promise<ProxyView[]>;
  proxy(name: string): Promise<ProxyView>;
  /** 409 when the name is taken; started unless `enabled: false`. */
  createProxy(draft: ProxyDraft): Promise<ProxyView>;
  /**
   * Creates or replaces each proxy in turn. One whose listen and upstream
   * match is kept, with its toxics; one that differs is replaced. Throws
   * PopulateError, with the proxies done before the failure.
   */
  populate(drafts: readonly ProxyDraft[]): Promise<ProxyView[]>;
  /** A changed listen or upstream restarts the proxy (its connections are dropped). */
  updateProxy(name: string, patch: ProxyPatch): Promise<ProxyView>;
  /** Stops the proxy, closing its connections. */
  removeProxy(name: string): Promise<void>;
  toxics(proxy: string): Promise<ToxicView[]>;
  toxic(proxy: string, toxic: string): Promise<ToxicView>;
  addToxic(proxy: string, draft: ToxicDraft): Promise<ToxicView>;
  /** Merges attributes, sets toxicity, renews the lease when the patch has a ttl. */
  updateToxic(proxy: string, toxic: string, patch: ToxicPatch): Promise<ToxicView>;
  removeToxic(proxy: string, toxic: string): Promise<void>;
  /** Every proxy enabled, every toxic gone. */
  reset(): Promise<void>;
  /** Stops every proxy; the registry is not used after. */
  close(): Promise<void>;
}

/** A /populate that failed part way: Toxiproxy answers the error with the proxies it had done. */
export class PopulateError extends Error {
  override readonly name = 'PopulateError';
  constructor(
    readonly error: ToxiproxyError,
    readonly proxies: readonly ProxyView[],
  ) {
    super(error.message);
  }
}
