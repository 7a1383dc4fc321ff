import { randomBytes } from 'node:crypto';
import { CompiledRule } from './compiled-rule.js';
export class FaultStoreError extends Error {
    code;
    name = 'FaultStoreError';
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}
const NONE = [];
/** The same rule but for its lease: a snapshot restates the ttl each time. */
const sameRule = (a, b) => JSON.stringify({ ...a, ttl: 0 }) === JSON.stringify({ ...b, ttl: 0 });
export class MemoryFaultStore {
    now;
    random;
    onChange;
    byId = new Map();
    /** Per target: the rules for it followed by the "*" rules, rebuilt on change so lookups allocate nothing. */
    byTarget = new Map();
    wildcard = NONE;
    isHalted = false;
    /** The control plane's last snapshot, when one manages this store (replace was called). */
    snapshot;
    /** Halted on this proxy's own admin while a control plane manages it: holds whatever it pushes, until resumed here. */
    haltedHere = false;
    constructor(now, random, 
    /** Told after every change of the rules or the halt state (the fault source's change notice). */
    onChange = () => { }) {
        this.now = now;
        this.random = random;
        this.onChange = onChange;
    }
    get halted() {
        return this.isHalted;
    }
    add(spec, ttlMs) {
        if (this.isHalted)
            throw new FaultStoreError('FAULTS_HALTED', 'fault injection is halted: POST /v1/resume before adding faults');
        this.sweep();
        const id = spec.id ?? `fault-${randomBytes(4).toString('hex')}`;
        if (this.byId.has(id))
            throw new FaultStoreError('FAULT_EXISTS', `a fault with id "${id}" already exists: renew it, or remove it first`);
        const now = this.now();
        const rule = new CompiledRule(id, spec, now, now + ttlMs, this.random);
        this.byId.set(id, rule);
        this.reindex();
        return rule;
    }
    renew(id, ttlMs) {
        const rule = this.get(id);
        if (!rule)
            throw new FaultStoreError('FAULT_NOT_FOUND', `no active fault with id "${id}" (it may have expired)`);
        rule.expiresAt = this.now() + ttlMs;
        this.onChange();
        return rule;
    }
    remove(id) {
        const removed = this.byId.delete(id);
        if (removed)
            this.reindex();
        return removed;
    }
    clear() {
        const n = this.list().length;
        this.byId.clear();
        this.reindex();
        return n;
    }
    get(id) {
        const rule = this.byId.get(id);
        return rule && rule.isLive(this.now()) ? rule : undefined;
    }
    list() {
        const now = this.now();
        return [...this.byId.values()].filter((r) => r.isLive(now));
    }
    rulesFor(service) {
        return this.byTarget.get(service) ?? this.wildcard;
    }
    /**
     * On a proxy a control plane manages, the halt is this proxy's own
     * emergency stop, for when the control plane cannot take one (its store
     * out of reach): it holds against every snapshot until resume() here,
     * which brings back what the control plane last said.
     */
    halt() {
        if (this.snapshot)
            this.haltedHere = true;
        this.isHalted = true;
        return this.clear();
    }
    resume() {
        if (this.snapshot) {
            this.haltedHere = false;
            this.replace(this.snapshot.rules, this.snapshot.halted);
            return;
        }
        this.isHalted = false;
        this.onChange();
    }
    /** Halted on this proxy's admin, over what a control plane pushes (see halt). */
    get haltedLocally() {
        return this.haltedHere;
    }
    /**
     * Replaces every rule and the halt state at once, as a control plane's
     * snapshot states them. A rule that keeps its id and spec keeps its object,
     * so its counters (matched, hit, active) run on; only its lease moves.
     * Halted drops every rule, whatever the snapshot lists.
     */
    replace(rules, halted) {
        this.snapshot = { rules, halted };
        const now = this.now();
        const next = new Map();
        const effective = halted || this.haltedHere;
        if (!effective) {
            for (const { id, spec, expiresAt } of rules) {
                const old = this.byId.get(id);
                const same = old !== undefined && sameRule(old.spec, spec);
                const rule = same ? old : new CompiledRule(id, spec, now, expiresAt, this.random);
                rule.expiresAt = expiresAt;
                next.set(id, rule);
            }
        }
        this.isHalted = effective;
        this.byId.clear();
        for (const [id, rule] of next)
            this.byId.set(id, rule);
        this.reindex();
    }
    /** Moves a rule's lease end (a renewal the control plane pushed); false when the rule is not here. */
    extend(id, expiresAt) {
        const rule = this.byId.get(id);
        if (!rule)
            return false;
        rule.expiresAt = expiresAt;
        this.onChange();
        return true;
    }
    /** Drops expired rules; they already stopped applying when their lease ran out. */
    sweep() {
        const now = this.now();
        let n = 0;
        for (const [id, rule] of this.byId)
            if (!rule.isLive(now) && this.byId.delete(id))
                n++;
        if (n)
            this.reindex();
        return n;
    }
    reindex() {
        const rules = [...this.byId.values()];
        this.wildcard = rules.filter((r) => r.spec.target === '*');
        const byTarget = new Map();
        for (const r of rules) {
            if (r.spec.target === '*')
                continue;
            const list = byTarget.get(r.spec.target) ?? [];
            list.push(r);
            byTarget.set(r.spec.target, list);
        }
        for (const list of byTarget.values())
            list.push(...this.wildcard);
        this.byTarget = byTarget;
        this.onChange();
    }
}
//# sourceMappingURL=fault-store.js.map