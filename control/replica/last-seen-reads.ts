import { DelegatingStore } from '../store/delegating-store.js';
import type { KeyValue, Store } from '../store/store.js';
import type { StoreHealth } from './store-health.js';

/** What the API reads while its store is out of reach: the keys the last list saw, and when their leases were last known to end. */
export interface LastSeen {
  readonly items: () => readonly KeyValue[];
  /** The lease's recorded deadline among those items (replica/lease-deadlines.ts). */
  readonly deadline: (lease: string) => number | undefined;
  readonly now: () => number;
}

/**
 * The store as the control plane's API sees it on a shared store. While
 * the replica cannot reach etcd (StoreHealth), reads are answered from the
 * last state it saw, so `faultmesh status`, `mesh get` and `faults list`
 * still work when an operator needs them most, and `/healthz` says the
 * store is unavailable and since when; writes are refused before they get
 * here (store-gate.ts). A lease's remainder counts down to its recorded
 * deadline (or from the last time it was read).
 */
export class LastSeenReads extends DelegatingStore {
  private readonly ttls = new Map<string, { readonly ms: number; readonly at: number }>();

  constructor(
    inner: Store,
    private readonly health: StoreHealth,
    private readonly seen: LastSeen,
  ) {
    super(inner);
  }

  /** True while reads are answered from the last state seen. */
  get stale(): boolean {
    return !this.health.state.ok;
  }

  override async get(key: string): Promise<KeyValue | undefined> {
    if (this.stale) return this.seen.items().find((kv) => kv.key === key);
    return this.inner.get(key);
  }

  override async list(prefix: string): Promise<{ readonly items: readonly KeyValue[]; readonly revision: number }> {
    if (!this.stale) return this.inner.list(prefix);
    const items = this.seen.items().filter((kv) => kv.key.startsWith(prefix));
    return { items, revision: items.reduce((max, kv) => Math.max(max, kv.modRevision), 0) };
  }

  override async leaseTtl(id: string): Promise<number | undefined> {
    if (this.stale) {
      // The recorded deadline of every lease the control plane granted; else the countdown from the last read.
      const until = this.seen.deadline(id);
      const last = this.ttls.get(id);
      const left = until !== undefined ? until - this.seen.now() : last && last.ms - (this.seen.now() - last.at);
      return left !== undefined && left > 0 ? left : undefined;
    }
    const ms = await this.inner.leaseTtl(id);
    if (ms === undefined) this.ttls.delete(id);
    else this.ttls.set(id, { ms, at: this.seen.now() });
    // Bounded: leases read once and never again (ended ones) would pile up.
    if (this.ttls.size > 100_000) this.ttls.clear();
    return ms;
  }
}
