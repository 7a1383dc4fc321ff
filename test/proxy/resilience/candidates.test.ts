import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policySchema } from '../../../proxy/config/policy-schema.js';
import { toEndpoint, type Endpoint } from '../../../proxy/registry/endpoint.js';
import { observeLatency, peakEwmaCost } from '../../../proxy/resilience/peak-ewma.js';
import { selectCandidates } from '../../../proxy/routing/candidates.js';

const endpoint = (id: string, region: string, zone: string): Endpoint =>
  toEndpoint('svc', { id, address: { host: '127.0.0.1', port: 1, text: '127.0.0.1:1' }, labels: {}, region, zone });

// Two zones in eu-west, one in us-east.
const all = [endpoint('a1', 'eu', 'eu-a'), endpoint('a2', 'eu', 'eu-a'), endpoint('a3', 'eu', 'eu-a'), endpoint('b1', 'eu', 'eu-b'), endpoint('c1', 'us', 'us-a'), endpoint('c2', 'us', 'us-a')];
const ids = (eps: readonly Endpoint[]) => eps.map((e) => e.id).join(',');
const locality = (l: Record<string, unknown>) => policySchema.parse({ locality: l }).locality;
const except = (...down: string[]) => (e: Endpoint) => !down.includes(e.id);
const inEuA = { region: 'eu', zone: 'eu-a' };

describe('candidate instances', () => {
  it('keeps traffic in the caller zone while enough of it is healthy', () => {
    const set = selectCandidates(all, except(), locality({ prefer: 'zone' }), 50, inEuA);
    assert.deepEqual([ids(set.endpoints), set.tier, set.panic], ['a1,a2,a3', 'zone', false]);
  });

  it('leaves ejected instances out of the local tier', () => {
    assert.equal(ids(selectCandidates(all, except('a1'), locality({ prefer: 'zone', failoverBelowHealthy: '60%' }), 50, inEuA).endpoints), 'a2,a3');
  });

  it('spills over to the region when the zone falls below failoverBelowHealthy', () => {
    // eu-a: 1 of 3 healthy (33%); eu: 2 of 4 (50%).
    const set = selectCandidates(all, except('a1', 'a2'), locality({ prefer: 'zone', failoverBelowHealthy: 50 }), 50, inEuA);
    assert.deepEqual([ids(set.endpoints), set.tier], ['a3,b1', 'region']);
  });

  it('spills over to every healthy instance when the region degrades too', () => {
    const set = selectCandidates(all, except('a1', 'a2', 'b1'), locality({ prefer: 'zone', failoverBelowHealthy: 70 }), 60, inEuA);
    assert.deepEqual([ids(set.endpoints), set.tier, set.panic], ['a3,c1,c2', 'all', false]);
  });

  it('prefers the region alone when asked to', () => {
    assert.equal(ids(selectCandidates(all, except(), locality({ prefer: 'region' }), 50, { region: 'us', zone: undefined }).endpoints), 'c1,c2');
  });

  it('ignores locality without a preference or a known caller', () => {
    assert.equal(selectCandidates(all, except(), locality({ prefer: 'none' }), 50, inEuA).endpoints.length, 6);
    assert.equal(selectCandidates(all, except(), locality({ prefer: 'zone' }), 50, { region: undefined, zone: undefined }).endpoints.length, 6);
  });

  it('uses every instance again (panic) when more than maxEjectionPercent are out', () => {
    const half = selectCandidates(all, except('a1', 'a2', 'a3'), locality({}), 50, inEuA);
    assert.deepEqual([half.endpoints.length, half.panic], [3, false]);
    const most = selectCandidates(all, except('a1', 'a2', 'a3', 'b1'), locality({}), 50, inEuA);
    assert.deepEqual([most.endpoints.length, most.panic], [6, true]);
    const none = selectCandidates(all, () => false, locality({}), 100, inEuA);
    assert.deepEqual([none.endpoints.length, none.panic], [6, true]);
  });
});

describe('peak-EWMA cost', () => {
  it('jumps to a slow sample at once and comes down gradually', () => {
    const e = endpoint('x', 'eu', 'eu-a');
    observeLatency(e.health, 10, 0);
    observeLatency(e.health, 300, 1000);
    assert.equal(peakEwmaCost(e, 1000), 300);
    observeLatency(e.health, 10, 2000);
    const after = peakEwmaCost(e, 2000);
    assert.ok(after < 300 && after > 250, `one fast sample 1 s later pulls 300 down a little: ${after}`);
  });

  it('decays toward zero without samples, so a once-slow instance is tried again', () => {
    const e = endpoint('x', 'eu', 'eu-a');
    observeLatency(e.health, 300, 0);
    assert.ok(peakEwmaCost(e, 60_000) < 1);
  });

  it('multiplies by the requests in flight; an unmeasured instance is free only while idle', () => {
    const e = endpoint('x', 'eu', 'eu-a');
    assert.equal(peakEwmaCost(e, 0), 0);
    e.load.active = 1;
    assert.equal(peakEwmaCost(e, 0), 60);
    observeLatency(e.health, 5, 0);
    assert.equal(peakEwmaCost(e, 0), 10);
    e.load.active = 0;
  });
});
