import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { parseMesh } from '../../../proxy/config/load-mesh.js';
import { MeshState } from '../../../proxy/mesh-state.js';
import { FileMeshSource } from '../../../proxy/sources/file-mesh-source.js';
import { localFaultSource } from '../../../proxy/sources/fault-source.js';
import { Listeners } from '../../../proxy/sources/listeners.js';
import type { MeshSnapshot, MeshSource } from '../../../proxy/sources/mesh-source.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

const deps = { random: () => 0, now: () => 0, onEject: () => {} };
const mesh = (...ids: string[]) => `services:\n  payments:\n    instances:\n${ids.map((id, i) => `      - { id: ${id}, address: "127.0.0.1:${9001 + i}" }`).join('\n')}\n`;

/** A source the test drives by hand: what a control plane does, without one. */
function handSource(): MeshSource & { deliver(snapshot: MeshSnapshot): void } {
  let current: MeshSnapshot | undefined;
  const listeners = new Listeners<MeshSnapshot>();
  return {
    current: () => current,
    onSnapshot: (l) => listeners.add(l),
    close: () => {},
    deliver(snapshot) {
      current = snapshot;
      const failed = listeners.emit(snapshot);
      if (failed.length) throw failed[0];
    },
  };
}

describe('mesh sources and the state built from them', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('a file source versions each good load, and a bad one leaves the running snapshot and tells nobody', () => {
    const file = dir.file('mesh.yaml', mesh('pay-1'));
    const source = new FileMeshSource(file);
    const seen: number[] = [];
    source.onSnapshot((s) => seen.push(s.version));
    assert.equal(source.current().version, 1);
    writeFileSync(file, mesh('pay-1', 'pay-2'));
    assert.deepEqual(source.reload(), { ok: true, services: 1 });
    writeFileSync(file, 'services: [');
    const bad = source.reload();
    assert.equal(bad.ok, false);
    assert.equal(source.current().version, 2);
    assert.equal(source.current().config.services.payments!.instances.length, 2);
    assert.deepEqual(seen, [2]);
  });

  it('the mesh state has no services until its source has a snapshot, then rebuilds the table on each one', () => {
    const source = handSource();
    const state = new MeshState(source, deps);
    assert.equal(state.table().services.size, 0);
    assert.equal(state.snapshot, undefined);
    assert.equal(state.reload, undefined, 'a pushing source has nothing to reload');
    source.deliver({ version: 4, config: parseMesh(mesh('pay-1', 'pay-2')), origin: 'test' });
    const first = state.table().services.get('payments')!;
    first.endpoints[0]!.health.ejections = 3;
    source.deliver({ version: 5, config: parseMesh(mesh('pay-1', 'pay-2', 'pay-3')), origin: 'test' });
    const second = state.table().services.get('payments')!;
    assert.notEqual(second, first, 'a new table');
    assert.equal(second.endpoints.length, 3);
    assert.equal(second.endpoints[0]!.health.ejections, 3, 'an instance that stays keeps its health');
    assert.equal(second.budget, first.budget, 'the retry budget carries over');
    assert.equal(state.table().services.get('payments'), second);
    assert.equal((state.snapshot as MeshSnapshot | undefined)?.version, 5);
  });

  it('a local fault source tells its listeners of every change', () => {
    const source = localFaultSource(() => 0, () => 0);
    let changes = 0;
    source.onChange(() => changes++);
    source.store.add({ target: 'payments', match: {}, percentage: 100, phase: 'request', ttl: 1000, abort: { status: 503 } }, 1000);
    source.store.halt();
    source.store.resume();
    assert.equal(changes, 3);
    assert.equal(source.owner.kind, 'admin');
  });
});
