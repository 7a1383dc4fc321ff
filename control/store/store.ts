/**
 * The control plane's state, behind one interface that every backend
 * implements (memory today, etcd next) and proves with one contract suite
 * (test/control/store/store-contract.ts). The semantics are etcd's, so the
 * etcd backend is a thin mapping: one global revision that every write moves
 * by one, compare-and-set on a key's modRevision, leases that delete their
 * keys when they end, and watches that resume from a revision.
 *
 * Keys are relative (`mesh`, `faults/<id>`): a backend may put them under a
 * prefix of its own (etcd: `/faultmesh/`), which callers never see.
 */

/** One key as stored. `value` is JSON data; treat it as read-only (the memory store hands out frozen values). */
export interface KeyValue {
  readonly key: string;
  readonly value: unknown;
  /** The revision of the write that last changed this key. */
  readonly modRevision: number;
  /** The revision of the write that created this key (kept across updates, new after a delete). */
  readonly createRevision: number;
  /** The lease the key hangs on: it is deleted when the lease ends. */
  readonly lease?: string | undefined;
}

/** A change seen by a watch: every event of one write carries that write's revision. */
export type WatchEvent =
  | { readonly type: 'put'; readonly kv: KeyValue }
  | { readonly type: 'delete'; readonly key: string; readonly modRevision: number };

export type StoreErrorCode =
  /** A compare-and-set found the key at another revision (or present/absent when it should not be); nothing was written. */
  | 'CONFLICT'
  /** The lease expired, was revoked, or never existed. */
  | 'LEASE_NOT_FOUND'
  /** A watch asked for history the store no longer holds: list again, then watch from that revision. */
  | 'COMPACTED'
  /** The store is closed, or its backend cannot be reached or written. */
  | 'UNAVAILABLE';

/** A refused store operation, with a stable `code` callers branch on. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** True when `err` is a StoreError with `code`. */
export const isStoreError = (err: unknown, code?: StoreErrorCode): err is StoreError =>
  err instanceof StoreError && (code === undefined || err.code === code);

export interface PutOptions {
  /** Attach the key to this lease (LEASE_NOT_FOUND if it is gone). Without it, a put detaches the key from any lease. */
  readonly lease?: string;
  /** 0: the key must not exist; n: its modRevision must be n. Otherwise CONFLICT and nothing is written. */
  readonly expectModRevision?: number;
}

/**
 * Called with the events of one or more writes, oldest first. `revision` is
 * the store's revision as of this call: every change under the prefix up to
 * it has now been delivered. Must not throw.
 */
export type WatchListener = (events: readonly WatchEvent[], revision: number) => void;

/** Ends a watch: COMPACTED (resume impossible: list again), UNAVAILABLE (store closed or lost). No event follows. */
export type WatchErrorListener = (error: StoreError) => void;

/**
 * @example
 * const { items, revision } = await store.list('faults/');
 * const stop = store.watch('faults/', revision, (events) => apply(events), (err) => resync(err));
 */
export interface Store {
  /**
   * Other processes (other control-plane replicas) read and write this
   * store too: etcd. The control plane then keeps an epoch in the store,
   * probes the store's health, polls leases that other replicas renew, and
   * publishes its proxies' status there.
   */
  readonly shared?: boolean;
  get(key: string): Promise<KeyValue | undefined>;
  /** Keys starting with `prefix`, sorted by key, with the revision they were read at. */
  list(prefix: string): Promise<{ readonly items: readonly KeyValue[]; readonly revision: number }>;
  /** Writes a JSON-serialisable value (TypeError otherwise). Returns the new revision. */
  put(key: string, value: unknown, options?: PutOptions): Promise<number>;
  /** False (and no new revision) when the key was not there. CONFLICT as for put. */
  delete(key: string, options?: { readonly expectModRevision?: number }): Promise<boolean>;
  /** A lease of `ttlMs` (a positive whole number; RangeError otherwise). Ids are never reused, not even across restarts. */
  grantLease(ttlMs: number): Promise<{ readonly id: string; readonly ttlMs: number }>;
  /** Restarts the lease's ttl; LEASE_NOT_FOUND once it has expired or been revoked. Returns the remaining ttl (= full ttl). Does not move the revision. */
  keepAlive(id: string): Promise<{ readonly ttlMs: number }>;
  /** Ends the lease now and deletes every key attached to it, in one revision (watch sees the deletes). LEASE_NOT_FOUND if already gone. */
  revokeLease(id: string): Promise<void>;
  /** Remaining ms, undefined when the lease is gone. */
  leaseTtl(id: string): Promise<number | undefined>;
  /**
   * Delivers events with modRevision > fromRevision under `prefix`, in order,
   * then live ones, each exactly once and never inside the call itself.
   * When the history no longer holds fromRevision, the watch ends with
   * COMPACTED: given to `onError` when there is one (etcd can only say so
   * later), else thrown at once by backends that know at once (memory).
   * Returns a stop function; after it, nothing more is delivered.
   */
  watch(prefix: string, fromRevision: number, onEvents: WatchListener, onError?: WatchErrorListener): () => void;
  /** The revision of the latest write (1 for a store that was never written, like etcd). */
  readonly revision: () => Promise<number>;
  /** Ends every watch (UNAVAILABLE to their onError) and lease timer; every later call fails with UNAVAILABLE. */
  close(): Promise<void>;
}
