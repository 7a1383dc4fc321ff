import type { LoadBalancerKind } from '../config/policy-schema.js';
import type { Endpoint } from '../registry/endpoint.js';
import { peakEwmaCost } from '../resilience/peak-ewma.js';

/**
 * Picks one endpoint among the candidates it is handed (the healthy,
 * preferred instances of a subset; see candidates.ts). `avoid` is the
 * instance the previous attempt failed on: skipped when there is another.
 * One balancer per subset, so its state (a round-robin position) is too.
 */
export interface Balancer {
  pick(candidates: readonly Endpoint[], avoid: Endpoint | undefined): Endpoint | undefined;
}

export type Random = () => number;

export function createBalancer(kind: LoadBalancerKind, random: Random, now: () => number): Balancer {
  switch (kind) {
    case 'round-robin':
      return new RoundRobin();
    case 'least-request':
      return new PowerOfTwo(random, (a, b) => a.load.active - b.load.active);
    case 'peak-ewma':
      return new PowerOfTwo(random, (a, b) => {
        const t = now();
        return peakEwmaCost(a, t) - peakEwmaCost(b, t);
      });
  }
}

class RoundRobin implements Balancer {
  private next = 0;

  pick(candidates: readonly Endpoint[], avoid: Endpoint | undefined): Endpoint | undefined {
    const n = candidates.length;
    if (n === 0) return undefined;
    let e = candidates[this.next % n]!;
    this.next = (this.next + 1) % n;
    if (e === avoid && n > 1) {
      e = candidates[this.next]!;
      this.next = (this.next + 1) % n;
    }
    return e;
  }
}

/**
 * Power of two choices: compare two random candidates and take the cheaper
 * (fewer requests in flight, or lower peak-EWMA cost). Nearly as good as
 * scanning all, at O(1), and it avoids the herd that "always the best one"
 * causes when every proxy sees the same numbers.
 */
class PowerOfTwo implements Balancer {
  constructor(
    private readonly random: Random,
    /** Negative when `a` is the better choice. */
    private readonly compare: (a: Endpoint, b: Endpoint) => number,
  ) {}

  pick(candidates: readonly Endpoint[], avoid: Endpoint | undefined): Endpoint | undefined {
    const n = candidates.length;
    if (n <= 1) return candidates[0];
    const i = Math.floor(this.random() * n);
    let j = Math.floor(this.random() * (n - 1));
    if (j >= i) j++;
    const a = candidates[i]!;
    const b = candidates[j]!;
    if (a === avoid) return b;
    if (b === avoid) return a;
    return this.compare(a, b) <= 0 ? a : b;
  }
}
