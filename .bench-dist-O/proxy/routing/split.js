import { hasLabels } from '../config/mesh-schema.js';
import { createBalancer } from './balancer.js';
import { CandidateCache } from './candidates.js';
/** A subset's labels as one metric label value: `k=v` pairs sorted by key, joined by `,` (`version=v2`). */
export function subsetName(labels) {
    return Object.keys(labels)
        .sort()
        .map((k) => `${k}=${labels[k]}`)
        .join(',');
}
/**
 * One subset of a split: its members, their candidate cache and its own
 * balancer. Built once with the table, so the hot path hands it around
 * without allocating; `name` is precomputed for per-subset metrics.
 */
export class RouteSubset {
    labels;
    weight;
    upTo;
    /** subsetName of the labels; undefined for the "all instances" subset (no labels), which metrics skip. */
    name;
    candidates;
    balancer;
    constructor(labels, weight, 
    /** Running total of weights up to and including this subset. */
    upTo, members, config) {
        this.labels = labels;
        this.weight = weight;
        this.upTo = upTo;
        this.name = Object.keys(labels).length ? subsetName(labels) : undefined;
        this.candidates = new CandidateCache(members, config.detector, config.locality);
        this.balancer = createBalancer(config.kind, config.random, config.now);
    }
    get members() {
        return this.candidates.members;
    }
    /** An instance of this subset for this attempt; `avoid` is the one the previous attempt failed on. */
    pick(caller, avoid) {
        return this.balancer.pick(this.candidates.get(caller).endpoints, avoid);
    }
}
/**
 * Traffic split over label subsets: a subset is drawn by weight, then the
 * service's balancer picks among that subset's healthy, preferred
 * instances. One subset with no labels is "all". A subset of weight 0 (a
 * canary waiting for traffic) is never drawn.
 */
export class Split {
    subsets;
    total;
    /** The subset a roll at the very top of the range falls back on: the last one with a weight. */
    last;
    random;
    constructor(specs, endpoints, config) {
        this.random = config.random;
        let upTo = 0;
        this.subsets = specs.map((spec) => {
            const weight = spec.weight ?? 1;
            upTo += weight;
            return new RouteSubset(spec.labels, weight, upTo, endpoints.filter((e) => hasLabels(e.labels, spec.labels)), config);
        });
        this.total = upTo;
        this.last = [...this.subsets].reverse().find((s) => s.weight > 0) ?? this.subsets[this.subsets.length - 1];
    }
    /** The subset this attempt goes to, drawn by weight; undefined only for a split with no subsets. */
    draw() {
        if (this.subsets.length === 1)
            return this.subsets[0];
        const roll = this.random() * this.total;
        // A weight-0 subset has the upTo of the one before it, so `roll < upTo` never holds first for it.
        for (const subset of this.subsets)
            if (roll < subset.upTo)
                return subset;
        return this.last;
    }
    /** An instance for this attempt; `avoid` is the one the previous attempt failed on. */
    pick(caller, avoid) {
        return this.draw()?.pick(caller, avoid);
    }
    describe() {
        return this.subsets.map((s) => ({ labels: s.labels, weight: s.weight, percent: this.total > 0 ? round((100 * s.weight) / this.total) : 0, instances: s.members.map((e) => e.id) }));
    }
}
const round = (n) => Math.round(n * 100) / 100;
//# sourceMappingURL=split.js.map