import { MemoryFaultStore } from '../faults/fault-store.js';
import { Listeners } from '../sources/listeners.js';
/**
 * A cluster worker's mesh: whatever the primary last sent. Like
 * ControlMeshSource it only pushes (no reload: the primary reads the file);
 * a snapshot the worker's table cannot be built from throws, and the
 * worker gives up rather than serve another mesh than its siblings.
 */
export class WorkerMeshSource {
    snapshot;
    listeners = new Listeners();
    constructor(snapshot) {
        this.snapshot = snapshot;
    }
    current() {
        return this.snapshot;
    }
    onSnapshot(listener) {
        return this.listeners.add(listener);
    }
    push(snapshot) {
        const failed = this.listeners.emit(snapshot);
        if (failed.length)
            throw failed[0];
        this.snapshot = snapshot;
    }
    close() { }
}
/**
 * The seed of a seeded rule on worker `index`: each worker draws from its
 * own stream, so N workers do not repeat one pattern N times, and worker i
 * repeats its own pattern run to run (README, "Workers").
 *
 * @example workerSeed(42, 1) // '42/w1'
 */
export const workerSeed = (seed, index) => `${seed}/w${index}`;
/**
 * A cluster worker's fault rules: each state from the primary replaces the
 * whole index (rules, leases, halt), as a control plane's snapshot does,
 * and a rule that stays keeps its counters. The primary owns the rules and
 * their sweeping; a lease still ends here at its own clock time.
 */
export class WorkerFaultSource {
    index;
    store;
    owner = { kind: 'admin' };
    constructor(index, now, random) {
        this.index = index;
        this.store = new MemoryFaultStore(now, random);
    }
    apply(rules, halted) {
        this.store.replace(rules.map((r) => ({ id: r.id, expiresAt: r.expiresAt, spec: r.spec.seed === undefined ? r.spec : { ...r.spec, seed: workerSeed(r.spec.seed, this.index) } })), halted);
    }
    onChange() {
        return () => { };
    }
    sweep() {
        this.store.sweep();
    }
    close() { }
}
//# sourceMappingURL=worker-sources.js.map