import seedrandom from 'seedrandom';
import { hasLabels } from '../config/mesh-schema.js';
import { compileGlob } from '../routing/glob.js';
import { headerValue } from '../routing/route-match.js';
/**
 * A fault rule compiled once when it is added: its match as one predicate, its
 * own random stream when seeded, and its lease. Immutable but for counters
 * and the lease, which only the store extends.
 */
export class CompiledRule {
    id;
    spec;
    createdAt;
    expiresAt;
    counters = { matched: 0, hit: 0, active: 0 };
    matches;
    random;
    constructor(id, spec, createdAt, expiresAt, sharedRandom) {
        this.id = id;
        this.spec = spec;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.matches = compileFaultMatch(spec.match);
        this.random = spec.seed === undefined ? sharedRandom : seedrandom(String(spec.seed));
    }
    isLive(now) {
        return now < this.expiresAt;
    }
    /** Rolls the percentage; only called once the match holds, so a seed replays exactly. */
    rollsHit() {
        const p = this.spec.percentage;
        if (p >= 100)
            return true;
        if (p <= 0)
            return false;
        return this.random() * 100 < p;
    }
}
function compileFaultMatch(match) {
    const checks = [];
    const set = (values) => (values ? new Set(values) : undefined);
    const hosts = set(match.hosts);
    if (hosts)
        checks.push((f) => hosts.has(f.endpoint.id) || hosts.has(f.endpoint.address));
    const regions = set(match.regions);
    if (regions)
        checks.push((f) => f.endpoint.region !== undefined && regions.has(f.endpoint.region));
    const zones = set(match.zones);
    if (zones)
        checks.push((f) => f.endpoint.zone !== undefined && zones.has(f.endpoint.zone));
    const labels = match.labels;
    if (labels)
        checks.push((f) => hasLabels(f.endpoint.labels, labels));
    const customers = set(match.customers);
    if (customers)
        checks.push((f) => f.customer !== undefined && customers.has(f.customer));
    const sources = set(match.sources);
    if (sources)
        checks.push((f) => sources.has(f.source));
    const methods = set(match.methods);
    if (methods)
        checks.push((f) => methods.has(f.method));
    if (match.paths) {
        const globs = match.paths.map(compileGlob);
        checks.push((f) => globs.some((g) => g.test(f.path)));
    }
    for (const [name, value] of Object.entries(match.headers ?? {})) {
        const key = name.toLowerCase();
        checks.push((f) => headerValue(f.headers, key) === value);
    }
    return (f) => {
        for (const check of checks)
            if (!check(f))
                return false;
        return true;
    };
}
//# sourceMappingURL=compiled-rule.js.map