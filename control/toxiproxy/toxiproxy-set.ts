import { inListOrder, viewOfToxic, type ProxyView, type ToxicState, type ToxicView } from '../../toxiproxy/model.js';

/**
 * What `faultmesh toxiproxy --control` processes share: every proxy and
 * toxic, as the control plane stores them in one key (`toxiproxy/set`), and
 * as it hands them out (GET /v1/toxiproxy). One key, so that every change,
 * /populate and /reset included, is one compare-and-set: two processes
 * writing at once cannot lose one another's change.
 */

/** A toxic as stored: validated once, in chain order; a leased one names its lease, and its end (`expiresAt`) is on the control plane's clock. */
export interface StoredToxic extends ToxicState {
  /** The control-plane lease the toxic hangs on (a `ttl`); it is swept when the lease ends. */
  readonly lease?: string | undefined;
}

/** A proxy as stored: `listen` as it was asked for (port 0: each process binds a port of its own). */
export interface StoredProxy {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
  readonly toxics: readonly StoredToxic[];
}

export interface ToxiproxySet {
  /** Sorted by name. */
  readonly proxies: readonly StoredProxy[];
  /** Toxics removed because their lease ended, since the set began: every process shows it on /metrics. */
  readonly leasesEnded: number;
}

export const EMPTY_SET: ToxiproxySet = { proxies: [], leasesEnded: 0 };

/** A toxic as GET /v1/toxiproxy shows it: Toxiproxy's view, and what is left of its lease (so a process on another clock ends it in time). */
export type SnapshotToxic = ToxicView & { readonly remainingMs?: number };

export type SnapshotProxy = Omit<ProxyView, 'toxics'> & { readonly toxics: readonly SnapshotToxic[] };

/** GET /v1/toxiproxy: the whole set at one revision (the modRevision of its key; 0 before the first change). */
export interface ToxiproxySnapshot {
  readonly revision: number;
  readonly leasesEnded: number;
  readonly proxies: readonly SnapshotProxy[];
}

/** The stored value, as written by this module (anything else reads as empty). */
export function setOf(value: unknown): ToxiproxySet {
  const v = value as Partial<ToxiproxySet> | undefined;
  return v && Array.isArray(v.proxies) ? { proxies: v.proxies, leasesEnded: typeof v.leasesEnded === 'number' ? v.leasesEnded : 0 } : EMPTY_SET;
}

/** Whether a toxic is still in force at `now`: its lease has not run out. */
export const inForce = (t: StoredToxic, now: number): boolean => t.expiresAt === undefined || t.expiresAt > now;

/** A proxy as the Toxiproxy API shows it, with `listen` as stored: the control plane listens nowhere. */
export function viewOfStored(p: StoredProxy, now: number): ProxyView {
  return { name: p.name, listen: p.listen, upstream: p.upstream, enabled: p.enabled, toxics: inListOrder(p.toxics.filter((t) => inForce(t, now))).map(viewOfToxic) };
}

export function snapshotOf(set: ToxiproxySet, revision: number, now: number): ToxiproxySnapshot {
  return {
    revision,
    leasesEnded: set.leasesEnded,
    proxies: set.proxies.map((p) => ({
      ...viewOfStored(p, now),
      toxics: inListOrder(p.toxics.filter((t) => inForce(t, now))).map((t) => ({ ...viewOfToxic(t), ...(t.expiresAt !== undefined ? { remainingMs: t.expiresAt - now } : {}) })),
    })),
  };
}

/** Every lease the set's toxics hang on. */
export const leasesOf = (set: ToxiproxySet): Set<string> => new Set(set.proxies.flatMap((p) => p.toxics.flatMap((t) => (t.lease === undefined ? [] : [t.lease]))));

export const byName = (a: { readonly name: string }, b: { readonly name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
