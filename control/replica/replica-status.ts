import type { Timers } from '../../proxy/core/timers.js';
import { isDesired, type Keys } from '../keys.js';
import type { ObservedProxies, ObservedProxy } from '../push/observed-proxies.js';
import { isStoreError, type Store } from '../store/store.js';

export const PUBLISH_EVERY_MS = 2_000;
/** Well under etcd's default request limit (1.5 MiB): a replica's key is one put. */
export const MAX_PUBLISHED_BYTES = 1_000_000;
/** A replica that dies takes its entry with it this long after its last renewal. */
export const REPLICA_LEASE_MS = 10_000;

/** `replicas/<id>`: one replica's proxies, as it saw them at `at`. */
export interface ReplicaValue {
  readonly url: string;
  readonly at: number;
  /** The version this replica built last, and its digest: a replica starting on the same state takes the same number. */
  readonly version?: number;
  readonly digest?: string;
  readonly proxies: readonly ObservedProxy[];
}

/**
 * On a shared store each replica knows only the proxies connected to it.
 * It publishes them as one key on a lease of its own, at most every 2 s
 * and only when something changed: one write per replica, not one per
 * proxy acknowledgement (500 proxies acking a version would be 500 etcd
 * writes). Status and /metrics on any replica read every replica's key, so
 * they cover the whole mesh; a proxy on another replica is as of its last
 * publish. The key is bookkeeping (keys.ts): no new version for proxies.
 */
export class ReplicaStatus {
  private lease: string | undefined;
  private renewedAt = 0;
  private last: string | undefined;
  private timer: unknown;
  private stopped = false;
  /** Why the last publish failed, for /healthz; undefined once one succeeds. */
  lastError: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly keys: Keys,
    private readonly observed: ObservedProxies,
    private readonly timers: Timers,
    readonly id: string,
    private readonly url: () => string,
    private readonly desired: () => { readonly version: number; readonly digest: string },
    private readonly everyMs = PUBLISH_EVERY_MS,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Stops publishing and removes this replica's entry (its lease), so its proxies are not shown twice after they move. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clearTimeout(this.timer);
    if (this.lease) await this.store.revokeLease(this.lease).catch(() => {});
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.timers.setTimeout(() => void this.publish().finally(() => this.schedule(this.everyMs)), ms);
    (this.timer as { unref?: () => void }).unref?.();
  }

  private async publish(): Promise<void> {
    const proxies = published(this.observed.list().filter((p) => p.connected).map(withoutConnection));
    const { version, digest } = this.desired();
    const text = JSON.stringify([version, proxies]);
    const now = this.timers.now();
    try {
      if (!this.lease) {
        this.lease = (await this.store.grantLease(REPLICA_LEASE_MS)).id;
        this.renewedAt = now;
        this.last = undefined;
      } else if (now - this.renewedAt >= REPLICA_LEASE_MS / 3) {
        await this.store.keepAlive(this.lease);
        this.renewedAt = now;
      }
      if (text === this.last) return;
      const value: ReplicaValue = { url: this.url(), at: now, version, digest, proxies };
      await this.store.put(this.keys.replica(this.id), value, { lease: this.lease });
      this.last = text;
      this.lastError = undefined;
    } catch (err) {
      // A lost lease (etcd unreachable past it): granted again next time, with the entry.
      if (isStoreError(err, 'LEASE_NOT_FOUND')) this.lease = undefined;
      this.lastError = `cannot publish this replica's proxies to the store: ${(err as Error).message}`;
    }
  }
}

/**
 * What other replicas need of each proxy, small enough for one etcd put:
 * instances only when they are not healthy (healthy is what a missing one
 * means), and past MAX_PUBLISHED_BYTES no instances and no fault counts at
 * all (`truncated`), rather than a put etcd refuses and a status that
 * silently stops following.
 */
export function published(proxies: readonly ObservedProxy[]): ObservedProxy[] {
  const slim = proxies.map((p) => ({ ...p, instances: p.instances.filter((i) => i.state !== 'healthy') }));
  if (Buffer.byteLength(JSON.stringify(slim)) <= MAX_PUBLISHED_BYTES) return slim;
  return slim.map((p) => ({ ...p, instances: [], faults: {}, truncated: true }));
}

/** ObservedProxies keeps its connection counter on each entry; it means nothing to another replica. */
function withoutConnection(p: ObservedProxy): ObservedProxy {
  const { connection: _connection, ...rest } = p as ObservedProxy & { connection?: number };
  return rest;
}

/**
 * Every proxy of the mesh: this replica's own, then those other replicas
 * published. This replica's connected entry wins over another's (a proxy
 * that just moved here is still in its old replica's last publish); among
 * other replicas, the latest connection wins. A store out of reach leaves
 * this replica's own view.
 */
export async function everyProxy(store: Store, keys: Keys, observed: ObservedProxies, self: string): Promise<ObservedProxy[]> {
  const local = observed.list().map(withoutConnection);
  if (!store.shared) return local;
  const byId = new Map(local.map((p) => [p.id, p]));
  let items: Awaited<ReturnType<Store['list']>>['items'] = [];
  try {
    items = (await store.list(keys.replicas)).items;
  } catch {
    return local;
  }
  for (const kv of items) {
    if (kv.key === keys.replica(self)) continue;
    const value = kv.value as ReplicaValue;
    for (const p of value.proxies ?? []) {
      const seen = byId.get(p.id);
      const newer = !seen || !seen.connected || (seen.replica !== undefined && p.connectedSince > seen.connectedSince);
      if (newer) byId.set(p.id, { ...p, replica: value.url });
    }
  }
  return [...byId.values()];
}

/**
 * At start, a replica labels its state with the store's revision, which
 * the other replicas' bookkeeping moves too: it takes the number a running
 * replica gave the same state (same digest), so both say one version. Not
 * a number from before a desired change that the state no longer shows (a
 * fault whose lease ended since brings the state back to an older digest):
 * that would send proxies back in time. A peer publishes at most every
 * 2 s, and a dead one's status outlives it until its lease ends.
 */
export async function adoptPeerVersion(store: Store, keys: Keys, desired: { adopt(version: number, digest: string): boolean; readonly current: { readonly version: number; readonly digest: string } }): Promise<void> {
  const { items } = await store.list(keys.replicas);
  const peers = items.map((kv) => kv.value as ReplicaValue).filter((v) => typeof v.version === 'number' && typeof v.digest === 'string');
  peers.sort((a, b) => a.version! - b.version!);
  const own = desired.current;
  for (const p of peers) {
    if (p.digest !== own.digest || p.version! >= own.version) continue;
    if (await desiredChangeAfter(store, keys, p.version!, own.version)) continue;
    if (desired.adopt(p.version!, p.digest!)) return;
  }
}

/**
 * Whether the store's history has a desired change after `from`, up to
 * `upTo`. Unknown (history compacted, the store out of reach, no answer
 * within `waitMs`) counts as changed: the replica then keeps its own number.
 */
function desiredChangeAfter(store: Store, keys: Keys, from: number, upTo: number, waitMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    let stop: (() => void) | undefined;
    const finish = (changed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stop?.();
      resolve(changed);
    };
    const timer = setTimeout(() => finish(true), waitMs);
    stop = store.watch(
      keys.prefix,
      from,
      (events, revision) => {
        for (const e of events) {
          const [key, rev] = e.type === 'put' ? [e.kv.key, e.kv.modRevision] : [e.key, e.modRevision];
          if (rev <= upTo && isDesired(keys, key)) return finish(true);
        }
        if (revision >= upTo) finish(false);
      },
      () => finish(true),
    );
    if (done) stop();
  });
}
