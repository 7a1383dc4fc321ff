import type { KeyValue, Store } from '../store/store.js';
import { isDesired, type Keys } from '../keys.js';
import { realTimers, type Timers } from '../../proxy/core/timers.js';
import { buildDesired, newestChange, readEnds, type Desired, type Leased } from './desired-build.js';
import type { LeaseRemaining, Snapshot } from './snapshot.js';

export type { Desired, DesiredFault, DesiredOverride, DesiredRegistration } from './desired-build.js';

const HISTORY = 1000;
/** How soon a build that failed (the store out of reach) is tried again. */
const RETRY_MS = 500;

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
  /** The newest desired change this replica knows of (watch events, or a relabelled list). */
  private seen = 0;
  private relabel = false;
  private stopped = false;
  /** Every key as the last successful list saw it: what reads are answered from while the store is out of reach. */
  lastListed: readonly KeyValue[] = [];
  private timers: Timers | undefined;
  private pollTimer: unknown;
  lastError: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly keys: Keys,
    private readonly now: () => number,
    /** On a shared store: the lease deadlines the control plane recorded (replica/lease-deadlines.ts). */
    private readonly deadlines?: () => Promise<ReadonlyMap<string, number>>,
    private readonly retryTimers: Timers = realTimers,
  ) {
    this.state = { version: 0, builtAt: now(), mesh: null, registrations: [], faults: [], halt: undefined, overrides: [], digest: '' };
  }

  async start(): Promise<void> {
    await this.refresh(true);
    this.watchFrom(this.state.version);
  }

  /**
   * Takes another replica's number for the state this one just started on:
   * a start labels its state with the store's revision, which bookkeeping
   * moves too, so two replicas would number one state differently until
   * the next change. Only before anyone was sent a version.
   */
  adopt(version: number, digest: string): boolean {
    if (this.listeners.size > 0 || digest !== this.state.digest || version >= this.state.version) return false;
    this.history.delete(this.state.version);
    this.state = { ...this.state, version };
    this.history.set(version, { builtAt: this.state.builtAt, halted: this.state.halt !== undefined });
    return true;
  }

  /** Resolves once this replica has built `version` or later (true), or after `ms` (false): a proxy moving here from a replica a watch ahead. */
  async waitForVersion(version: number, ms: number): Promise<boolean> {
    if (this.state.version >= version) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => (off(), resolve(false)), ms);
      const off = this.subscribe((d) => {
        if (d.version < version) return;
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
  }

  /**
   * The watch that keeps the state current. Nothing may end it for good
   * while the control plane runs: a watch that fell behind the history
   * (COMPACTED) or that the store ended (etcd cancelling it, a lost member)
   * starts again from a fresh list, labelled anew since changes may have
   * been missed; a build that failed (the store out of reach for a moment)
   * is tried again. Snapshots are whole, so nothing is lost either way.
   */
  private watchFrom(version: number): void {
    this.stopWatch = this.store.watch(
      this.keys.prefix,
      version,
      // Only desired keys make a version: bookkeeping (the epoch, replicas' status, lease deadlines) or another mesh's keys under this prefix would push every proxy the same state again.
      (events) => {
        let newest = 0;
        for (const e of events) if (isDesired(this.keys, e.type === 'put' ? e.kv.key : e.key)) newest = Math.max(newest, e.type === 'put' ? e.kv.modRevision : e.modRevision);
        if (newest === 0) return;
        this.seen = Math.max(this.seen, newest);
        this.refreshOrRetry(false);
      },
      (err) => {
        this.lastError = err.message;
        if (this.stopped) return;
        this.stopWatch = undefined;
        this.refreshOrRetry(true, () => this.watchFrom(this.state.version));
      },
    );
  }

  /** A rebuild, then `then`; a rebuild that fails is tried again after RETRY_MS until one succeeds or the state stops. */
  private refreshOrRetry(relabel: boolean, then?: () => void): void {
    this.refresh(relabel).then(
      () => then?.(),
      () => {
        if (this.stopped) return;
        const timer = this.retryTimers.setTimeout(() => this.refreshOrRetry(relabel, then), RETRY_MS);
        (timer as { unref?: () => void }).unref?.();
      },
    );
  }

  stop(): void {
    this.stopped = true;
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

  /**
   * Rebuilds from the store; resolves once a build that started after this
   * call is done. A build is labelled with the revision of the newest
   * desired change it holds (a watch event's, or a key's), not the list's:
   * bookkeeping writes move the store's revision too, and two replicas must
   * number one state alike. `relabel`: the list's own revision (a start,
   * or a watch that missed events).
   */
  refresh(relabel = false): Promise<void> {
    if (relabel) this.relabel = true;
    if (this.queued) return this.queued;
    const next = this.chain.then(async () => {
      // One turn of the event loop first: writes already read from their sockets in this turn then
      // join this build. Without it each write under load was a build and a push to every proxy of
      // its own, ~37 ms of CPU with 510 proxies, which capped sustained writes at ~25/s (bench:control).
      await new Promise<void>((resolve) => setImmediate(resolve));
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
    // A read that failed tells proxies nothing: they keep each lease's last known end, and the next poll reads again.
    if (!(await this.readEnds())) return;
    const { faults, overrides } = this.state;
    const remaining: Record<string, number> = {};
    const byRoute: Record<string, number> = {};
    const now = this.now();
    for (const f of faults) remaining[f.id] = Math.max(0, f.endsAt - now);
    for (const o of overrides) byRoute[`${o.value.service}/${o.value.route}`] = Math.max(0, o.endsAt - now);
    for (const listener of this.leaseListeners) listener({ remaining, overrides: byRoute });
  }

  /** Reads the current leases' ends; false (and lastError) when the store could not say. */
  private async readEnds(): Promise<boolean> {
    try {
      await readEnds(this.store, [...this.state.faults, ...this.state.overrides], this.now, await this.deadlines?.());
      return true;
    } catch (err) {
      this.lastError = (err as Error).message;
      return false;
    }
  }

  /** The snapshot a proxy receives, with every lease's remainder counted at `now`. */
  snapshot(d: Desired = this.state, now = this.now()): Snapshot {
    const left = (l: Leased) => Math.max(0, l.endsAt - now);
    return {
      version: d.version,
      mesh: d.mesh ? { text: d.mesh.text, file: d.mesh.file } : null,
      registrations: d.registrations.map(({ value: r }) => ({ service: r.service, id: r.id, address: r.address, ...(r.region ? { region: r.region } : {}), ...(r.zone ? { zone: r.zone } : {}), labels: r.labels })),
      // Ended leases are left out, though no build has dropped them yet (their delete is on its way, or the store is out of reach).
      faults: d.faults.filter((f) => left(f) > 0).map((f) => ({ id: f.id, spec: f.value.spec, remainingMs: left(f) })),
      halted: d.halt !== undefined,
      overrides: d.overrides.filter((o) => left(o) > 0).map((o) => ({ service: o.value.service, route: o.value.route, to: o.value.to, remainingMs: left(o) })),
    };
  }

  private async rebuild(): Promise<void> {
    try {
      await this.build();
    } catch (err) {
      this.lastError = (err as Error).message;
      throw err;
    }
  }

  private async build(): Promise<void> {
    const listed = await this.store.list(this.keys.prefix);
    this.lastListed = listed.items;
    if (this.relabel) {
      this.relabel = false;
      this.seen = Math.max(this.seen, listed.revision);
    }
    const version = Math.max(this.seen, newestChange(listed.items, (key) => isDesired(this.keys, key)));
    if (version > this.state.version) {
      const next = await buildDesired(listed.items, version, this.keys, this.store, this.now, await this.deadlines?.());
      this.state = next;
      this.history.set(next.version, { builtAt: next.builtAt, halted: next.halt !== undefined });
      if (this.history.size > HISTORY) this.history.delete(this.history.keys().next().value!);
      for (const listener of this.listeners) listener(next);
    }
    this.lastError = undefined;
  }
}
