import { hasLabels } from '../config/mesh-schema.js';
import type { LocalityPolicy, LoadBalancerKind } from '../config/policy-schema.js';
import type { Endpoint } from '../registry/endpoint.js';
import type { OutlierDetector } from '../resilience/outlier-detector.js';
import { createBalancer, type Balancer, type Random } from './balancer.js';
import { CandidateCache, type Caller } from './candidates.js';

export interface SubsetSpec {
  readonly labels: Readonly<Record<string, string>>;
  readonly weight?: number | undefined;
}

interface Subset {
  readonly labels: Readonly<Record<string, string>>;
  readonly weight: number;
  /** Running total of weights up to and including this subset. */
  readonly upTo: number;
  readonly candidates: CandidateCache;
  readonly balancer: Balancer;
}

/** What a split needs to choose instances, shared by all of a service's splits. */
export interface PickerConfig {
  readonly kind: LoadBalancerKind;
  readonly detector: OutlierDetector;
  readonly locality: LocalityPolicy;
  readonly random: Random;
  readonly now: () => number;
}

/**
 * Traffic split over label subsets: a subset is drawn by weight, then the
 * service's balancer picks among that subset's healthy, preferred
 * instances. One subset with no labels is "all".
 */
export class Split {
  private readonly subsets: readonly Subset[];
  private readonly total: number;

  private readonly random: Random;

  constructor(specs: readonly SubsetSpec[], endpoints: readonly Endpoint[], config: PickerConfig) {
    this.random = config.random;
    let upTo = 0;
    this.subsets = specs.map((spec) => {
      const members = endpoints.filter((e) => hasLabels(e.labels, spec.labels));
      const weight = spec.weight ?? 1;
      upTo += weight;
      return { labels: spec.labels, weight, upTo, candidates: new CandidateCache(members, config.detector, config.locality), balancer: createBalancer(config.kind, config.random, config.now) };
    });
    this.total = upTo;
  }

  /** An instance for this attempt; `avoid` is the one the previous attempt failed on. */
  pick(caller: Caller, avoid: Endpoint | undefined): Endpoint | undefined {
    const subset = this.subsets.length === 1 ? this.subsets[0]! : this.draw();
    return subset.balancer.pick(subset.candidates.get(caller).endpoints, avoid);
  }

  private draw(): Subset {
    const roll = this.random() * this.total;
    for (const subset of this.subsets) if (roll < subset.upTo) return subset;
    return this.subsets[this.subsets.length - 1]!;
  }

  describe() {
    return this.subsets.map((s) => ({ labels: s.labels, weight: s.weight, percent: round((100 * s.weight) / this.total), instances: s.candidates.members.map((e) => e.id) }));
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
