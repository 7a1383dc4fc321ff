import { MemoryFaultStore } from '../faults/fault-store.js';
import type { Random } from '../routing/balancer.js';
import type { FaultSource } from '../sources/fault-source.js';
import { Listeners } from '../sources/listeners.js';
import type { MeshSnapshot, MeshSource } from '../sources/mesh-source.js';
import type { RuleState } from './messages.js';

/**
 * A cluster worker's mesh: whatever the primary last sent. Like
 * ControlMeshSource it only pushes (no reload: the primary reads the file);
 * a snapshot the worker's table cannot be built from throws, and the
 * worker gives up rather than serve another mesh than its siblings.
 */
export class WorkerMeshSource implements MeshSource {
  private readonly listeners = new Listeners<MeshSnapshot>();

  constructor(private snapshot: MeshSnapshot | undefined) {}

  current(): MeshSnapshot | undefined {
    return this.snapshot;
  }

  onSnapshot(listener: (snapshot: MeshSnapshot) => void): () => void {
    return this.listeners.add(listener);
  }

  push(snapshot: MeshSnapshot): void {
    const failed = this.listeners.emit(snapshot);
    if (failed.length) throw failed[0];
    this.snapshot = snapshot;
  }

  close(): void {}
}

/**
 * The seed of a seeded rule on worker `index`: each worker draws from its
 * own stream, so N workers do not repeat one pattern N times, and worker i
 * repeats its own pattern run to run (README, "Workers").
 *
 * @example workerSeed(42, 1) // '42/w1'
 */
export const workerSeed = (seed: string | number, index: number): string => `${seed}/w${index}`;

/**
 * A cluster worker's fault rules: each state from the primary replaces the
 * whole index (rules, leases, halt), as a control plane's snapshot does,
 * and a rule that stays keeps its counters. The primary owns the rules and
 * their sweeping; a lease still ends here at its own clock time.
 */
export class WorkerFaultSource implements FaultSource {
  readonly store: MemoryFaultStore;
  readonly owner = { kind: 'admin' } as const;

  constructor(
    private readonly index: number,
    now: () => number,
    random: Random,
  ) {
    this.store = new MemoryFaultStore(now, random);
  }

  apply(rules: readonly RuleState[], halted: boolean): void {
    this.store.replace(
      rules.map((r) => ({ id: r.id, expiresAt: r.expiresAt, spec: r.spec.seed === undefined ? r.spec : { ...r.spec, seed: workerSeed(r.spec.seed, this.index) } })),
      halted,
    );
  }

  onChange(): () => void {
    return () => {};
  }

  sweep(): void {
    this.store.sweep();
  }

  close(): void {}
}
