import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import seedrandom from 'seedrandom';
import { toEndpoint, type Endpoint } from '../../../proxy/registry/endpoint.js';
import { defaultPolicy, type LoadBalancerKind } from '../../../proxy/config/policy-schema.js';
import { OutlierDetector } from '../../../proxy/resilience/outlier-detector.js';
import { createBalancer, type Random } from '../../../proxy/routing/balancer.js';
import { compileGlob } from '../../../proxy/routing/glob.js';
import { Split, type SubsetSpec } from '../../../proxy/routing/split.js';

const endpoint = (id: string, labels: Record<string, string> = {}): Endpoint =>
  toEndpoint('svc', { id, address: { host: '127.0.0.1', port: 1, text: '127.0.0.1:1' }, labels, region: undefined, zone: undefined });

/** A balancer over a fixed set, as a function of nothing. */
function balancer(kind: LoadBalancerKind, eps: readonly Endpoint[], random: Random) {
  const b = createBalancer(kind, random, () => 0);
  return { pick: () => b.pick(eps, undefined) };
}

/** A split with outlier detection at its defaults and no locality preference. */
function split(specs: readonly SubsetSpec[], eps: readonly Endpoint[], random: Random) {
  const policy = defaultPolicy();
  const detector = new OutlierDetector('svc', eps, policy.outlierDetection, () => 0, () => {});
  const s = new Split(specs, eps, { kind: 'round-robin', detector, locality: policy.locality, random, now: () => 0 });
  return { pick: () => s.pick({ region: undefined, zone: undefined }, undefined), describe: () => s.describe() };
}

function countPicks(pick: () => Endpoint | undefined, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const e = pick();
    assert.ok(e, 'a balancer over instances always picks one');
    counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
  }
  return counts;
}

describe('round-robin', () => {
  it('gives every instance the same share, in turn', () => {
    const b = balancer('round-robin', [endpoint('a'), endpoint('b'), endpoint('c')], Math.random);
    assert.deepEqual([b.pick()?.id, b.pick()?.id, b.pick()?.id, b.pick()?.id], ['a', 'b', 'c', 'a']);
    assert.deepEqual([...countPicks(() => b.pick(), 300).values()], [100, 100, 100]);
  });

  it('picks nothing when there are no instances', () => {
    assert.equal(balancer('round-robin', [], Math.random).pick(), undefined);
  });
});

describe('least-request (power of two choices)', () => {
  it('prefers the instance with fewer requests in flight', () => {
    const busy = endpoint('busy');
    const idle = endpoint('idle');
    busy.load.active = 10;
    const b = balancer('least-request', [busy, idle], seedrandom('p2c'));
    const counts = countPicks(() => b.pick(), 200);
    assert.equal(counts.get('idle'), 200);
  });

  it('spreads evenly when loads are equal', () => {
    const b = balancer('least-request', [endpoint('a'), endpoint('b'), endpoint('c'), endpoint('d')], seedrandom('even'));
    for (const n of countPicks(() => b.pick(), 4000).values()) assert.ok(n > 850 && n < 1150, `share ${n} of 4000 is not about a quarter`);
  });

  it('never sends to the busiest of several when others are free', () => {
    const eps = [endpoint('a'), endpoint('b'), endpoint('c')];
    eps[2]!.load.active = 5;
    const b = balancer('least-request', eps, seedrandom('worst'));
    assert.equal(countPicks(() => b.pick(), 500).get('c'), undefined);
  });
});

describe('weighted split', () => {
  it('splits traffic by weight within binomial bounds', () => {
    const v1 = [endpoint('v1-a', { version: 'v1' }), endpoint('v1-b', { version: 'v1' })];
    const v2 = [endpoint('v2-a', { version: 'v2' })];
    const s = split([{ labels: { version: 'v1' }, weight: 90 }, { labels: { version: 'v2' }, weight: 10 }], [...v1, ...v2], seedrandom('split'));
    const n = 10_000;
    const counts = countPicks(() => s.pick(), n);
    const toV2 = counts.get('v2-a') ?? 0;
    // 10% of 10,000 with sd = sqrt(n p (1-p)) = 30: 5 sd either side.
    assert.ok(Math.abs(toV2 - 1000) < 150, `v2 got ${toV2} of ${n}`);
    assert.equal((counts.get('v1-a') ?? 0) + (counts.get('v1-b') ?? 0), n - toV2);
  });

  it('repeats exactly with the same seed', () => {
    const eps = [endpoint('a', { v: 'a' }), endpoint('b', { v: 'b' })];
    const run = () => {
      const s = split([{ labels: { v: 'a' }, weight: 1 }, { labels: { v: 'b' }, weight: 3 }], eps, seedrandom('replay'));
      return Array.from({ length: 50 }, () => s.pick()?.id).join(',');
    };
    assert.equal(run(), run());
  });

  it('describes each subset with its share and members', () => {
    const s = split([{ labels: { v: 'a' }, weight: 1 }, { labels: { v: 'b' }, weight: 3 }], [endpoint('a', { v: 'a' }), endpoint('b', { v: 'b' })], Math.random);
    assert.deepEqual(s.describe(), [
      { labels: { v: 'a' }, weight: 1, percent: 25, instances: ['a'] },
      { labels: { v: 'b' }, weight: 3, percent: 75, instances: ['b'] },
    ]);
  });
});

describe('path globs', () => {
  const table: Array<[string, string, boolean]> = [
    ['/private/*', '/private/keys', true],
    ['/private/*', '/private/a/b', true],
    ['/private/*', '/privateer', false],
    ['/api/*/items', '/api/v1/items', true],
    ['/api/*/items', '/api/v1/x/items', false],
    ['/api/**/items', '/api/v1/x/items', true],
    ['/health', '/health', true],
    ['/health', '/healthz', false],
    ['/a.b', '/axb', false],
    ['/v?/x', '/v2/x', true],
  ];
  for (const [glob, path, expected] of table) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${path}`, () => assert.equal(compileGlob(glob).test(path), expected));
  }
});
