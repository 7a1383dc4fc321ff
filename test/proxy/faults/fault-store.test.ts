import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faultRuleSchema } from '../../../proxy/faults/fault-rule-schema.js';
import { FaultStoreError, MemoryFaultStore } from '../../../proxy/faults/fault-store.js';

const rule = (over: Record<string, unknown> = {}) => faultRuleSchema.parse({ target: 'payments', abort: { status: 503 }, ttl: '10s', ...over });

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('fault store', () => {
  it('stops applying a rule the moment its lease runs out, before any sweep', () => {
    const c = clock();
    const store = new MemoryFaultStore(c.now, Math.random);
    const r = store.add(rule({ id: 'a' }), 10_000);
    c.advance(9_999);
    assert.equal(r.isLive(c.now()), true);
    assert.equal(store.get('a')?.id, 'a');
    c.advance(1);
    assert.equal(r.isLive(c.now()), false);
    assert.equal(store.get('a'), undefined);
    assert.equal(store.list().length, 0);
    assert.equal(store.sweep(), 1);
  });

  it('extends a lease on renew', () => {
    const c = clock();
    const store = new MemoryFaultStore(c.now, Math.random);
    store.add(rule({ id: 'a' }), 10_000);
    c.advance(8_000);
    store.renew('a', 10_000);
    c.advance(8_000);
    assert.ok(store.get('a'));
    c.advance(2_000);
    assert.throws(() => store.renew('a', 10_000), (e: unknown) => e instanceof FaultStoreError && e.code === 'FAULT_NOT_FOUND');
  });

  it('indexes rules by target, with "*" rules after each target\'s own', () => {
    const store = new MemoryFaultStore(Date.now, Math.random);
    store.add(rule({ id: 'all', target: '*' }), 10_000);
    store.add(rule({ id: 'pay' }), 10_000);
    store.add(rule({ id: 'inv', target: 'inventory' }), 10_000);
    assert.deepEqual(store.rulesFor('payments').map((r) => r.id), ['pay', 'all']);
    assert.deepEqual(store.rulesFor('search').map((r) => r.id), ['all']);
    store.remove('all');
    assert.deepEqual(store.rulesFor('search'), []);
    assert.deepEqual(store.rulesFor('payments').map((r) => r.id), ['pay']);
  });

  it('refuses a duplicate id and generates one when absent', () => {
    const store = new MemoryFaultStore(Date.now, Math.random);
    store.add(rule({ id: 'a' }), 10_000);
    assert.throws(() => store.add(rule({ id: 'a' }), 10_000), (e: unknown) => e instanceof FaultStoreError && e.code === 'FAULT_EXISTS');
    assert.match(store.add(rule(), 10_000).id, /^fault-[0-9a-f]{8}$/);
  });

  it('halts: removes every rule and refuses new ones until resumed', () => {
    const store = new MemoryFaultStore(Date.now, Math.random);
    store.add(rule({ id: 'a' }), 10_000);
    store.add(rule({ id: 'b' }), 10_000);
    assert.equal(store.halt(), 2);
    assert.equal(store.halted, true);
    assert.deepEqual(store.rulesFor('payments'), []);
    assert.throws(() => store.add(rule({ id: 'c' }), 10_000), (e: unknown) => e instanceof FaultStoreError && e.code === 'FAULTS_HALTED');
    store.resume();
    assert.equal(store.add(rule({ id: 'c' }), 10_000).id, 'c');
  });
});
