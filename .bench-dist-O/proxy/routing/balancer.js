import { peakEwmaCost } from '../resilience/peak-ewma.js';
export function createBalancer(kind, random, now) {
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
class RoundRobin {
    next = 0;
    pick(candidates, avoid) {
        const n = candidates.length;
        if (n === 0)
            return undefined;
        let e = candidates[this.next % n];
        this.next = (this.next + 1) % n;
        if (e === avoid && n > 1) {
            e = candidates[this.next];
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
class PowerOfTwo {
    random;
    compare;
    constructor(random, 
    /** Negative when `a` is the better choice. */
    compare) {
        this.random = random;
        this.compare = compare;
    }
    pick(candidates, avoid) {
        const n = candidates.length;
        if (n <= 1)
            return candidates[0];
        const i = Math.floor(this.random() * n);
        let j = Math.floor(this.random() * (n - 1));
        if (j >= i)
            j++;
        const a = candidates[i];
        const b = candidates[j];
        if (a === avoid)
            return b;
        if (b === avoid)
            return a;
        return this.compare(a, b) <= 0 ? a : b;
    }
}
//# sourceMappingURL=balancer.js.map