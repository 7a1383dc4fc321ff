import { explainIssues, formatPath } from '../../config/config-error.js';
import { faultRuleSchema } from '../../faults/fault-rule-schema.js';
import { MemoryFaultStore } from '../../faults/fault-store.js';
import { Listeners } from '../listeners.js';
/** A rule in a snapshot that this proxy cannot run (a newer control plane's field, say): the version is refused whole. */
export class FaultSpecError extends Error {
    code = 'FAULT_SPEC_INVALID';
    name = 'FaultSpecError';
}
/**
 * Fault rules as the control plane pushes them. Each snapshot replaces the
 * local index whole (rules, leases, halt); a rule that stays keeps its
 * counters. A rule ends at now + the remaining lease the control plane
 * stated, and only a pushed renewal moves that: a proxy that loses the
 * control plane drops each rule at its last known lease end (fail safe).
 */
export class ControlFaultSource {
    timers;
    store;
    owner;
    listeners = new Listeners();
    constructor(url, timers, random) {
        this.timers = timers;
        this.store = new MemoryFaultStore(() => timers.now(), random, () => void this.listeners.emit());
        this.owner = { kind: 'control', url };
    }
    onChange(listener) {
        return this.listeners.add(listener);
    }
    /** Checks every rule of `snapshot` as POST /v1/faults would; throws FaultSpecError naming the first bad one. */
    prepare(snapshot) {
        const rules = snapshot.faults
            .filter((f) => f.remainingMs > 0)
            .map((f) => {
            // The lease is the snapshot's, not the spec's: a placeholder ttl satisfies the schema and is replaced.
            const parsed = faultRuleSchema.safeParse({ ...f.spec, id: f.id, ttl: '1s' });
            if (!parsed.success) {
                const first = explainIssues(parsed.error.issues, f.spec)[0];
                throw new FaultSpecError(`fault "${f.id}": ${first ? `${formatPath(first.path) || 'rule'}: ${first.message}` : 'invalid'}`);
            }
            return { id: f.id, spec: { ...parsed.data, ttl: f.remainingMs }, remainingMs: f.remainingMs };
        });
        return { rules, halted: snapshot.halted };
    }
    commit(prepared) {
        const now = this.timers.now();
        this.store.replace(prepared.rules.map((r) => ({ id: r.id, spec: r.spec, expiresAt: now + r.remainingMs })), prepared.halted);
    }
    /** A renewal pushed by the control plane (`leases` event): each named rule ends `ms` from now. */
    extend(remaining) {
        const now = this.timers.now();
        for (const [id, ms] of Object.entries(remaining))
            this.store.extend(id, now + ms);
    }
    sweep() {
        this.store.sweep();
    }
    close() { }
}
//# sourceMappingURL=control-fault-source.js.map