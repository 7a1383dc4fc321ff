import type { KeyValue, PutOptions, Store, WatchErrorListener, WatchListener } from './store.js';

/** A Store that hands every call to another; a layer overrides only what it changes (replica/lease-deadlines.ts, replica/last-seen-reads.ts). */
export class DelegatingStore implements Store {
  readonly shared: boolean | undefined;
  readonly revision: () => Promise<number>;

  constructor(protected readonly inner: Store) {
    this.shared = inner.shared;
    this.revision = () => inner.revision();
  }

  get(key: string): Promise<KeyValue | undefined> {
    return this.inner.get(key);
  }
  list(prefix: string): Promise<{ readonly items: readonly KeyValue[]; readonly revision: number }> {
    return this.inner.list(prefix);
  }
  put(key: string, value: unknown, options?: PutOptions): Promise<number> {
    return this.inner.put(key, value, options);
  }
  delete(key: string, options?: { readonly expectModRevision?: number }): Promise<boolean> {
    return this.inner.delete(key, options);
  }
  grantLease(ttlMs: number): Promise<{ readonly id: string; readonly ttlMs: number }> {
    return this.inner.grantLease(ttlMs);
  }
  keepAlive(id: string): Promise<{ readonly ttlMs: number }> {
    return this.inner.keepAlive(id);
  }
  revokeLease(id: string): Promise<void> {
    return this.inner.revokeLease(id);
  }
  leaseTtl(id: string): Promise<number | undefined> {
    return this.inner.leaseTtl(id);
  }
  watch(prefix: string, fromRevision: number, onEvents: WatchListener, onError?: WatchErrorListener): () => void {
    return this.inner.watch(prefix, fromRevision, onEvents, onError);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
