import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { adoptEjection, liveEjections } from '../../../proxy/cluster/ejections.js';
import type { ClusterState } from '../../../proxy/cluster/messages.js';
import { CrashGuard, MAX_CRASHES } from '../../../proxy/cluster/crash-guard.js';
import { StateFeed } from '../../../proxy/cluster/state-feed.js';
import { syncOverrides } from '../../../proxy/cluster/apply-state.js';
import { WorkerFaultSource } from '../../../proxy/cluster/worker-sources.js';
import { faultRuleSchema } from '../../../proxy/faults/fault-rule-schema.js';
import { MemoryFaultStore } from '../../../proxy/faults/fault-store.js';
import { MeshState } from '../../../proxy/mesh-state.js';
import { FileMeshSource } from '../../../proxy/sources/file-mesh-source.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

const dir = tempDir();
after(() => dir.remove());

const MESH = `services:
  pay:
    instances:
      - { id: pay-1, address: 127.0.0.1:1, labels: { version: v1 } }
      - { id: pay-2, address: 127.0.0.1:2, labels: { version: v2 } }
      - { id: pay-3, address: 127.0.0.1:3, labels: { version: v2 } }
    routes:
      - to: [{ labels: { version: v1 }, weight: 90 }, { labels: { version: v2 }, weight: 10 }]
    policy: { outlierDetection: { maxEjectionPercent: 34 } }
`;

/** A mesh state over MESH on a clock the test moves. */
function meshOn(clock: { now: number }) {
  const source = new FileMeshSource(dir.file(`mesh-${Math.random()}.yaml`, MESH));
  return new MeshState(source, { random: () => 0.5, now: () => clock.now, onEject: () => {} });
}

describe('cluster parts', () => {
  it('adopts another worker’s ejection until the same clock time, and the cap still holds', () => {
    const clock = { now: 1_000 };
    const mesh = meshOn(clock);
    const pay = mesh.table().services.get('pay')!;
    assert.equal(adoptEjection(mesh.table(), { service: 'pay', instance: 'pay-2', address: '127.0.0.1:2', until: 31_000, ejections: 1 }), true);
    const pay2 = pay.endpoints[1]!;
    assert.equal(pay.detector.isAvailable(pay2), false);
    assert.deepEqual(liveEjections(mesh.table()), [{ service: 'pay', instance: 'pay-2', address: '127.0.0.1:2', until: 31_000, ejections: 1 }]);
    assert.equal(adoptEjection(mesh.table(), { service: 'pay', instance: 'pay-3', address: '127.0.0.1:3', until: 31_000, ejections: 1 }), false, 'a second of three is over 34%');
    assert.equal(adoptEjection(mesh.table(), { service: 'pay', instance: 'pay-9', address: '127.0.0.1:9', until: 31_000, ejections: 1 }), false, 'unknown here');
    clock.now = 31_000;
    pay.detector.epoch();
    assert.equal(pay2.health.state, 'probation', 'back on probation at the until-time');
    assert.deepEqual(liveEjections(mesh.table()), []);
  });

  it('versions a state only when it changed, and sends the mesh only with the version that changed it', async () => {
    const clock = { now: 1_000 };
    const mesh = meshOn(clock);
    const store = new MemoryFaultStore(() => clock.now, Math.random);
    const sent: ClusterState[] = [];
    const feed = new StateFeed({ store, mesh, broadcast: (s) => sent.push(s) });
    assert.equal(feed.flush(), 1);
    assert.ok(sent[0]!.mesh, 'the first state carries the mesh');
    assert.equal(feed.flush(), 1, 'nothing changed: same version, nothing sent');
    store.add(faultRuleSchema.parse({ id: 'f', target: 'pay', abort: { status: 503 }, ttl: '1m' }), 60_000);
    feed.changed();
    feed.changed();
    await Promise.resolve();
    assert.equal(sent.length, 2, 'two notices, one state');
    assert.deepEqual(sent[1]!.rules.map((r) => [r.id, r.expiresAt]), [['f', 61_000]]);
    assert.equal('mesh' in sent[1]!, false, 'the mesh did not change');
    assert.equal(feed.full().mesh, mesh.snapshot, 'a joining worker gets the mesh');
    store.halt();
    assert.equal(feed.flush(), 3);
    assert.deepEqual([sent[2]!.halted, sent[2]!.rules], [true, []]);
  });

  it('makes a worker’s overrides the primary’s, ending at the same time', () => {
    const clock = { now: 1_000 };
    const mesh = meshOn(clock);
    const to = [{ labels: { version: 'v1' }, weight: 50 }, { labels: { version: 'v2' }, weight: 50 }];
    syncOverrides(mesh, [{ service: 'pay', route: 0, to, at: 'x', endsAt: 11_000 }], clock.now);
    assert.deepEqual(mesh.liveOverrides().map((o) => [o.service, o.route, o.endsAt]), [['pay', 0, 11_000]]);
    const table = mesh.table();
    syncOverrides(mesh, [{ service: 'pay', route: 0, to, at: 'x', endsAt: 11_000 }], clock.now);
    assert.equal(mesh.table(), table, 'the same override again rebuilds nothing');
    syncOverrides(mesh, [], clock.now);
    assert.deepEqual(mesh.liveOverrides(), []);
  });

  it('seeds each worker’s stream of a seeded rule with its index', () => {
    const rolls = (index: number) => {
      const source = new WorkerFaultSource(index, () => 0, Math.random);
      source.apply([{ id: 's', spec: faultRuleSchema.parse({ id: 's', target: 'pay', abort: { status: 503 }, percentage: 50, seed: 7, ttl: '1m' }), expiresAt: 60_000 }], false);
      const rule = source.store.get('s')!;
      return Array.from({ length: 32 }, () => rule.rollsHit());
    };
    assert.deepEqual(rolls(1), rolls(1), 'worker 1 repeats its pattern');
    assert.notDeepEqual(rolls(0), rolls(1), 'and does not repeat worker 0’s');
  });

  it('replaces crashed workers until more than five crash within 10 s', () => {
    const guard = new CrashGuard();
    const verdicts = Array.from({ length: MAX_CRASHES + 1 }, (_, i) => guard.record(1_000 + i * 100));
    assert.deepEqual(verdicts.slice(0, MAX_CRASHES).map((v) => v.kind === 'replace' && v.delayMs), [0, 250, 500, 750, 1000]);
    assert.equal(verdicts[MAX_CRASHES]!.kind, 'give-up');
    assert.deepEqual(new CrashGuard().record(0), { kind: 'replace', delayMs: 0 });
    const spaced = new CrashGuard();
    for (let i = 0; i < 10; i++) assert.equal(spaced.record(i * 10_000).kind, 'replace', 'one crash per 10 s is always replaced');
  });
});
