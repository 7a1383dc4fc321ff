import { hasLabels } from '../config/mesh-schema.js';
import type { Endpoint } from '../registry/endpoint.js';
import { createBalancer, type Balancer, type BalancerKind, type Random } from './balancer.js';

export interface SubsetSpec {
  readonly labels: Readonly<Record<string, string>>;
  readonly weight?: number | undefined;
}

interface Subset {
  readonly labels: Readonly<Record<string, string>>;
  readonly weight: number;
  /** Running total of weights up to and including this subset. */
  readonly upTo: number;
  readonly endpoints: readonly Endpoint[];
  readonly balancer: Balancer;
}

/**
 * Traffic split over label subsets: a subset is drawn by weight, then the
 * service's balancer picks within it. One subset with no labels is "all".
 */
export class Split {
  private readonly subsets: readonly Subset[];
  private readonly total: number;

  constructor(specs: readonly SubsetSpec[], endpoints: readonly Endpoint[], kind: BalancerKind, private readonly random: Random) {
    let upTo = 0;
    this.subsets = specs.map((spec) => {
      const members = endpoints.filter((e) => hasLabels(e.labels, spec.labels));
      const weight = spec.weight ?? 1;
      upTo += weight;
      return { labels: spec.labels, weight, upTo, endpoints: members, balancer: createBalancer(kind, members, random) };
    });
    this.total = upTo;
  }

  pick(): Endpoint | undefined {
    if (this.subsets.length === 1) return this.subsets[0]!.balancer.pick();
    const roll = this.random() * this.total;
    for (const subset of this.subsets) if (roll < subset.upTo) return subset.balancer.pick();
    return this.subsets[this.subsets.length - 1]?.balancer.pick();
  }

  describe() {
    return this.subsets.map((s) => ({ labels: s.labels, weight: s.weight, percent: round((100 * s.weight) / this.total), instances: s.endpoints.map((e) => e.id) }));
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
