import type { KeyValue, Store } from '../store/store.js';
import { isBookkeeping, type FaultValue, type HaltValue, type Keys, type MeshValue, type OverrideValue, type RegistrationValue } from '../keys.js';
import type { Timers } from '../../proxy/core/timers.js';
import type { LeaseRemaining, Snapshot } from './snapshot.js';

/** A leased thing as the control plane holds it: when its lease ends, on the control plane's clock. */
interface Leased {
  readonly lease: string | undefined;
  endsAt: number;
}

export interface DesiredFault extends Leased {
  readonly id: string;
  readonly value: FaultValue;
  /** The revision that put it: a proxy that applied this version or later holds it. */
  readonly modRevision: number;
}

export interface DesiredOverride extends Leased {
  readonly value: OverrideValue;
}

export interface DesiredRegistration {
  readonly value: RegistrationValue;
  readonly lease: string | undefined;
}

/** The desired state at one store revision, as every proxy should have it. */
export interface Desired {
  readonly version: number;
  /** When this version was built: how long a proxy has been behind is counted from it. */
  readonly builtAt: number;
  readonly mesh: (MeshValue & { readonly version: number }) | null;
  readonly registrations: readonly DesiredRegistration[];
  readonly faults: readonly DesiredFault[];
  readonly halt: HaltValue | undefined;
  readonly overrides: readonly DesiredOverride[];
}

const HISTORY = 1000;

/**
 * Watches the store and keeps the desired state built at its latest
 * revision, telling subscribers on every new version. Rebuilds are one at a
 * time and coalesced: changes that arrive during a build are covered by one
 * more build, so a burst of writes costs two builds, not one per write.
 */
export class DesiredState {
  private state: Desired;
  private readonly listeners = new Set<(d: Desired) => void>();
  private readonly leaseListeners = new Set<(r: LeaseRemaining) => void>();
  /** version -> [builtAt, halted], for how long proxies are behind and whether the version they run is halted. */
  private readonly history = new Map<number, { builtAt: number; halted: boolean }>();
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private stopWatch: (() => void) | undefined;
  private timers: Timers | undefined;
  private pollTimer: unknown;
  lastError: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly keys: Keys,
    private readonly now: () => number,
  ) {
    this.state = { version: 0, builtAt: now(), mesh: null, registrations: [], faults: [], halt: undefined, overrides: [] };
  }

  async start(): Promise<void> {
    await this.refresh();
    this.watchFrom(this.state.version);
  }

  /** A watch that fell behind the store's history (COMPACTED) starts again from a fresh list: snapshots are whole, so nothing is missed. */
  private watchFrom(version: number): void {
    this.stopWatch = this.store.watch(
      this.keys.prefix,
      version,
      // Bookkeeping (the epoch, proxies' status) is no new version: rebuilding for it would push every proxy the same state again.
      (events) => {
        if (events.some((e) => !isBookkeeping(this.keys, e.type === 'put' ? e.kv.key : e.key))) void this.refresh().catch(() => {});
      },
      (err) => {
        this.lastError = err.message;
        if (err.code === 'COMPACTED') void this.refresh().then(() => this.watchFrom(this.state.version), () => {});
      },
    );
  }

  stop(): void {
    this.stopWatch?.();
    this.timers?.clearTimeout(this.pollTimer);
    this.timers = undefined;
  }

  /**
   * On a shared store another replica may renew a lease (the runner renews
   * through whichever it reaches): nothing in the store changes, so every
   * `everyMs` this replica reads the remainders of the leases it pushes
   * and tells its proxies, who would otherwise end the fault at the old end.
   */
  pollLeases(timers: Timers, everyMs: number): void {
    this.timers = timers;
    const tick = () => {
      this.pollTimer = timers.setTimeout(() => {
        const leased = [...this.state.faults, ...this.state.overrides].some((l) => l.lease !== undefined);
        void (leased ? this.refreshLeases() : Promise.resolve()).catch(() => {}).finally(() => this.timers && tick());
      }, everyMs);
      (this.pollTimer as { unref?: () => void }).unref?.();
    };
    tick();
  }

  get current(): Desired {
    return this.state;
  }

  subscribe(listener: (d: Desired) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onLeases(listener: (r: LeaseRemaining) => void): () => void {
    this.leaseListeners.add(listener);
    return () => this.leaseListeners.delete(listener);
  }

  /** When `version` was built, and whether it was halted; undefined once it is out of the bounded history. */
  versionInfo(version: number): { builtAt: number; halted: boolean } | undefined {
    return this.history.get(version);
  }

  /** When the oldest version after `version` that the bounded history holds was built: a proxy on `version` is behind since then. */
  firstBuiltAfter(version: number): number | undefined {
    for (const [v, info] of this.history) if (v > version) return info.builtAt;
    return undefined;
  }

  /** Rebuilds from the store; resolves once a build that started after this call is done. */
  refresh(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.chain.then(() => {
      this.queued = undefined;
      return this.rebuild();
    });
    this.queued = next;
    this.chain = next.catch(() => {});
    return next;
  }

  /**
   * After a lease was kept alive: reads what is left of every fault's and
   * override's lease and tells subscribers. A renewal is not a new version
   * (etcd keepalives do not bump the revision either).
   */
  async refreshLeases(): Promise<void> {
    await this.chain;
    const { faults, overrides } = this.state;
    await this.readEnds([...faults, ...overrides]);
    const remaining: Record<string, number> = {};
    const byRoute: Record<string, number> = {};
    const now = this.now();
    for (const f of faults) remaining[f.id] = Math.max(0, f.endsAt - now);
    for (const o of overrides) byRoute[`${o.value.service}/${o.value.route}`] = Math.max(0, o.endsAt - now);
    for (const listener of this.leaseListeners) listener({ remaining, overrides: byRoute });
  }

  /** The snapshot a proxy receives, with every lease's remainder counted at `now`. */
  snapshot(d: Desired = this.state, now = this.now()): Snapshot {
    const left = (l: Leased) => Math.max(0, l.endsAt - now);
    return {
      version: d.version,
      mesh: d.mesh ? { text: d.mesh.text, file: d.mesh.file } : null,
      registrations: d.registrations.map(({ value: r }) => ({ service: r.service, id: r.id, address: r.address, ...(r.region ? { region: r.region } : {}), ...(r.zone ? { zone: r.zone } : {}), labels: r.labels })),
      faults: d.faults.map((f) => ({ id: f.id, spec: f.value.spec, remainingMs: left(f) })),
      halted: d.halt !== undefined,
      overrides: d.overrides.map((o) => ({ service: o.value.service, route: o.value.route, to: o.value.to, remainingMs: left(o) })),
    };
  }

  private async rebuild(): Promise<void> {
    let listed: Awaited<ReturnType<Store['list']>>;
    try {
      listed = await this.store.list(this.keys.prefix);
    } catch (err) {
      this.lastError = (err as Error).message;
      throw err;
    }
    this.lastError = undefined;
    if (listed.revision <= this.state.version) return;
    const next = await this.build(listed.items, listed.revision);
    this.state = next;
    this.history.set(next.version, { builtAt: next.builtAt, halted: next.halt !== undefined });
    if (this.history.size > HISTORY) this.history.delete(this.history.keys().next().value!);
    for (const listener of this.listeners) listener(next);
  }

  private async build(items: readonly KeyValue[], version: number): Promise<Desired> {
    const k = this.keys;
    let mesh: Desired['mesh'] = null;
    let halt: HaltValue | undefined;
    const registrations: DesiredRegistration[] = [];
    const faults: DesiredFault[] = [];
    const overrides: DesiredOverride[] = [];
    for (const kv of items) {
      if (kv.key === k.mesh) mesh = { ...(kv.value as MeshValue), version: kv.modRevision };
      else if (kv.key === k.halt) halt = kv.value as HaltValue;
      else if (kv.key.startsWith(k.registrations)) registrations.push({ value: kv.value as RegistrationValue, lease: kv.lease });
      else if (kv.key.startsWith(k.faults)) faults.push({ id: kv.key.slice(k.faults.length), value: kv.value as FaultValue, modRevision: kv.modRevision, lease: kv.lease, endsAt: Infinity });
      else if (kv.key.startsWith(k.overrides)) overrides.push({ value: kv.value as OverrideValue, lease: kv.lease, endsAt: Infinity });
    }
    await this.readEnds([...faults, ...overrides]);
    // A lease that ended between the list and its read: its delete is on its way, and it is not pushed meanwhile.
    const live = <T extends Leased>(l: T) => l.endsAt > 0;
    return { version, builtAt: this.now(), mesh, registrations, faults: faults.filter(live), halt, overrides: overrides.filter(live) };
  }

  /** Each lease's remainder, read once per lease: a run's faults share its lease, and on etcd each read is a round trip. */
  private async readEnds(items: readonly Leased[]): Promise<void> {
    const reads = new Map<string, Promise<number | undefined>>();
    await Promise.all(
      items.map(async (l) => {
        if (l.lease === undefined) return;
        let read = reads.get(l.lease);
        if (!read) reads.set(l.lease, (read = this.store.leaseTtl(l.lease)));
        const ttl = await read;
        l.endsAt = ttl === undefined ? 0 : this.now() + ttl;
      }),
    );
  }
}
