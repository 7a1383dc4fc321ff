import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryFaultStore } from '../../../proxy/faults/fault-store.js';
import type { FaultRuleSpec } from '../../../proxy/faults/fault-rule-schema.js';

const spec = (status: number, ttl = 1000): FaultRuleSpec => ({ id: 'r', target: 'payments', match: {}, percentage: 100, phase: 'request', ttl, abort: { status } });

describe('replacing the fault index from a snapshot', () => {
  it('keeps the rule object and its counters when only the lease changed, and moves its lease end', () => {
    let now = 0;
    const store = new MemoryFaultStore(() => now, Math.random);
    store.replace([{ id: 'r', spec: spec(503, 5000), expiresAt: 5000 }], false);
    const rule = store.get('r')!;
    rule.counters.hit = 4;
    store.replace([{ id: 'r', spec: spec(503, 3000), expiresAt: 3000 }], false);
    assert.equal(store.get('r'), rule);
    assert.equal(store.get('r')!.counters.hit, 4);
    now = 3000;
    assert.equal(store.get('r'), undefined, 'the new lease end applies');
  });

  it('compiles a new rule when its spec changed, and drops rules the snapshot no longer lists', () => {
    const store = new MemoryFaultStore(() => 0, Math.random);
    store.replace([{ id: 'r', spec: spec(503), expiresAt: 1000 }, { id: 'other', spec: { ...spec(500), id: 'other' }, expiresAt: 1000 }], false);
    const first = store.get('r')!;
    store.replace([{ id: 'r', spec: spec(500), expiresAt: 1000 }], false);
    assert.notEqual(store.get('r'), first);
    assert.equal(store.get('r')!.spec.abort!.status, 500);
    assert.deepEqual(store.list().map((r) => r.id), ['r']);
    assert.deepEqual(store.rulesFor('payments').map((r) => r.id), ['r']);
  });

  it('a halted snapshot leaves no rule in force, and extend moves one lease end', () => {
    const store = new MemoryFaultStore(() => 0, Math.random);
    store.replace([{ id: 'r', spec: spec(503), expiresAt: 1000 }], true);
    assert.equal(store.halted, true);
    assert.deepEqual(store.rulesFor('payments'), []);
    store.replace([{ id: 'r', spec: spec(503), expiresAt: 1000 }], false);
    assert.equal(store.extend('r', 9000), true);
    assert.equal(store.get('r')!.expiresAt, 9000);
    assert.equal(store.extend('missing', 9000), false);
  });
});
