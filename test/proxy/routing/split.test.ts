import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import seedrandom from 'seedrandom';
import { defaultPolicy } from '../../../proxy/config/policy-schema.js';
import { toEndpoint, type Endpoint } from '../../../proxy/registry/endpoint.js';
import { OutlierDetector } from '../../../proxy/resilience/outlier-detector.js';
import type { Random } from '../../../proxy/routing/balancer.js';
import { Split, subsetName, type SubsetSpec } from '../../../proxy/routing/split.js';

const endpoint = (id: string, labels: Record<string, string>): Endpoint =>
  toEndpoint('svc', { id, address: { host: '127.0.0.1', port: 1, text: '127.0.0.1:1' }, labels, region: undefined, zone: undefined });

const eps = [endpoint('v1-a', { version: 'v1' }), endpoint('v2-a', { version: 'v2' }), endpoint('v3-a', { version: 'v3' })];

function split(specs: readonly SubsetSpec[], random: Random) {
  const policy = defaultPolicy();
  const detector = new OutlierDetector('svc', eps, policy.outlierDetection, () => 0, () => {});
  return new Split(specs, eps, { kind: 'round-robin', detector, locality: policy.locality, random, now: () => 0 });
}

const noCaller = { region: undefined, zone: undefined };

describe('a split with a weight-0 subset', () => {
  const specs = [
    { labels: { version: 'v1' }, weight: 100 },
    { labels: { version: 'v2' }, weight: 0 },
  ];

  it('never picks the weight-0 subset over many seeded draws', () => {
    const s = split(specs, seedrandom('weight-zero'));
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) ids.add(s.pick(noCaller, undefined)!.id);
    assert.deepEqual([...ids], ['v1-a']);
  });

  for (const [what, roll] of [
    ['a roll of 0', 0],
    ['the highest roll a random source can give', 1 - Number.EPSILON / 2],
  ] as const) {
    it(`never picks it on ${what}, wherever it sits in the list`, () => {
      for (const order of [specs, [...specs].reverse(), [{ labels: { version: 'v3' }, weight: 0 }, ...specs, { labels: { version: 'v3' }, weight: 0 }]]) {
        assert.equal(split(order, () => roll).draw()!.name, 'version=v1', JSON.stringify(order));
      }
    });
  }

  it('describes the weight-0 subset with a 0% share', () => {
    assert.deepEqual(
      split(specs, Math.random).describe().map((d) => [d.weight, d.percent]),
      [
        [100, 100],
        [0, 0],
      ],
    );
  });
});

describe('subset names', () => {
  it('are the labels as k=v pairs sorted by key, joined by commas', () => {
    assert.equal(subsetName({ version: 'v2', track: 'canary', app: 'shop' }), 'app=shop,track=canary,version=v2');
  });

  it('are left out for the "all instances" subset, which metrics skip', () => {
    assert.equal(split([{ labels: {} }], Math.random).draw()!.name, undefined);
    assert.equal(split([{ labels: { version: 'v2' } }], Math.random).draw()!.name, 'version=v2');
  });
});
