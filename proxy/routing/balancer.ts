import type { Endpoint } from '../registry/endpoint.js';

/** Picks one endpoint of a fixed set; one balancer per set, so state is per set. */
export interface Balancer {
  pick(): Endpoint | undefined;
}

export type BalancerKind = 'round-robin' | 'least-request';
export type Random = () => number;

export function createBalancer(kind: BalancerKind, endpoints: readonly Endpoint[], random: Random): Balancer {
  switch (kind) {
    case 'round-robin':
      return new RoundRobin(endpoints);
    case 'least-request':
      return new LeastRequest(endpoints, random);
  }
}

class RoundRobin implements Balancer {
  private next = 0;
  constructor(private readonly endpoints: readonly Endpoint[]) {}

  pick(): Endpoint | undefined {
    const n = this.endpoints.length;
    if (n === 0) return undefined;
    const e = this.endpoints[this.next % n];
    this.next = (this.next + 1) % n;
    return e;
  }
}

/**
 * Power of two choices: compare two random endpoints and take the one with
 * fewer requests in flight. Nearly as good as scanning all, at O(1), and it
 * avoids the herd that "always the least loaded" causes.
 */
class LeastRequest implements Balancer {
  constructor(
    private readonly endpoints: readonly Endpoint[],
    private readonly random: Random,
  ) {}

  pick(): Endpoint | undefined {
    const n = this.endpoints.length;
    if (n <= 1) return this.endpoints[0];
    const i = Math.floor(this.random() * n);
    let j = Math.floor(this.random() * (n - 1));
    if (j >= i) j++;
    const a = this.endpoints[i]!;
    const b = this.endpoints[j]!;
    if (a.load.active !== b.load.active) return a.load.active < b.load.active ? a : b;
    return a;
  }
}
