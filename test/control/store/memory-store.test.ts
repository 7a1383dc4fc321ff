import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MemoryStore } from '../../../control/store/memory/memory-store.js';
import { SNAPSHOT_FILE } from '../../../control/store/memory/snapshot-file.js';
import { StoreError } from '../../../control/store/store.js';
import type { Timers } from '../../../proxy/core/timers.js';
import { ConfigError } from '../../../proxy/config/config-error.js';
import { fakeTimers } from '../../helpers/fake-timers.js';
import { tempDir } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { storeContract } from './store-contract.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const dirs = tempDir();
after(() => dirs.remove());
let dirCount = 0;
const freshDir = () => join(dirs.path, `data-${++dirCount}`);

storeContract('memory', async () => {
  const clock = fakeTimers();
  const store = new MemoryStore({ timers: clock });
  return { store, advance: clock.advance, compact: async (revision) => store.compact(revision) };
});

// The same behaviour with every write saved to disk.
storeContract('memory (with a data dir)', async () => {
  const clock = fakeTimers();
  const dataDir = freshDir();
  const store = new MemoryStore({ timers: clock, dataDir });
  return { store, advance: clock.advance, compact: async (revision) => store.compact(revision), dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
});

describe('the memory store', () => {
  describe('its snapshot file (--data DIR)', () => {
    it('keeps the keys without a lease across a restart, with their revisions, and drops the leased ones', async () => {
      const dataDir = freshDir();
      const first = new MemoryStore({ timers: fakeTimers(), dataDir });
      await first.put('mesh', { text: 'services: {}\n', file: 'mesh.yaml' });
      await first.put('halt', { halted: true });
      const lease = await first.grantLease(60_000);
      await first.put('faults/f1', { spec: { target: 'payments' } }, { lease: lease.id });
      await first.put('registrations/payments/p1', { address: '127.0.0.1:1' }, { lease: lease.id });
      // Saved while it had no lease, then put on one: no longer kept.
      await first.put('overrides/cart/0', { to: [] });
      await first.put('overrides/cart/0', { to: [] }, { lease: lease.id });
      const mesh = await first.get('mesh');
      const last = await first.revision();
      await first.close();

      const second = new MemoryStore({ timers: fakeTimers(), dataDir });
      after(() => second.close());
      assert.deepEqual((await second.list('')).items.map((kv) => kv.key), ['halt', 'mesh']);
      assert.deepEqual(await second.get('mesh'), mesh, 'value and revisions as they were');
      assert.equal(await second.leaseTtl(lease.id), undefined, 'leases do not survive a restart');
      await assert.rejects(second.keepAlive(lease.id), (err: unknown) => err instanceof StoreError && err.code === 'LEASE_NOT_FOUND');
      assert.equal(await second.revision(), last + 1, 'one past the saved revision: the dropped leased keys are a change');
    });

    it('never repeats a version after a restart, and a watch from before the restart is told it cannot resume', async () => {
      const dataDir = freshDir();
      const first = new MemoryStore({ timers: fakeTimers(), dataDir });
      await first.put('mesh', 'v1');
      const lease = await first.grantLease(60_000);
      // Leased writes are not saved, but the revisions they took are.
      for (let i = 0; i < 5; i++) await first.put(`faults/f${i}`, i, { lease: lease.id });
      const seenByProxies = await first.revision();
      await first.close();

      const second = new MemoryStore({ timers: fakeTimers(), dataDir });
      after(() => second.close());
      assert.ok((await second.revision()) > seenByProxies, `revision ${await second.revision()} is past ${seenByProxies}`);
      assert.ok((await second.put('mesh', 'v2')) > seenByProxies);
      assert.throws(() => second.watch('', seenByProxies, () => {}), (err: unknown) => err instanceof StoreError && err.code === 'COMPACTED');
    });

    it('replaces the file whole: no temporary file is left, and a write the disk refuses changes nothing', async () => {
      const dataDir = freshDir();
      const store = new MemoryStore({ timers: fakeTimers(), dataDir });
      after(() => store.close());
      await store.put('mesh', 'good');
      assert.deepEqual(readdirSync(dataDir), [SNAPSHOT_FILE]);
      const file = join(dataDir, SNAPSHOT_FILE);
      const saved = readFileSync(file, 'utf8');
      const revision = await store.revision();

      // A directory where the temporary file goes: the write fails before the rename.
      mkdirSync(`${file}.tmp`);
      await assert.rejects(store.put('mesh', 'bad'), (err: unknown) => err instanceof StoreError && err.code === 'UNAVAILABLE' && err.message.includes(file));
      await assert.rejects(store.put('halt', { halted: true }), (err: unknown) => err instanceof StoreError && err.code === 'UNAVAILABLE');
      assert.equal((await store.get('mesh'))?.value, 'good');
      assert.equal(await store.get('halt'), undefined);
      assert.equal(await store.revision(), revision);
      assert.equal(readFileSync(file, 'utf8'), saved, 'the old file is untouched');

      rmSync(`${file}.tmp`, { recursive: true });
      await store.put('mesh', 'better');
      assert.match(readFileSync(file, 'utf8'), /"better"/);
    });

    it('still ends a lease when the disk refuses to save that (fail safe), and saves it with the next write', async () => {
      const dataDir = freshDir();
      const clock = fakeTimers();
      const store = new MemoryStore({ timers: clock, dataDir });
      after(() => store.close());
      const lease = await store.grantLease(1000);
      await store.put('faults/f', 1, { lease: lease.id });
      const file = join(dataDir, SNAPSHOT_FILE);
      mkdirSync(`${file}.tmp`);
      await clock.advance(1000);
      assert.equal(await store.get('faults/f'), undefined, 'the fault ended at its lease');
      rmSync(`${file}.tmp`, { recursive: true });
      const revision = await store.put('mesh', 'm');
      assert.match(readFileSync(file, 'utf8').split('\n')[0]!, new RegExp(`"revision":${revision}\\b`));
    });

    it('starts empty at revision 1 when the data dir has no snapshot yet, and creates the dir', async () => {
      const dataDir = join(freshDir(), 'nested');
      const store = new MemoryStore({ timers: fakeTimers(), dataDir });
      after(() => store.close());
      assert.equal(await store.revision(), 1);
      assert.deepEqual((await store.list('')).items, []);
      await store.put('mesh', 'm');
      assert.ok(existsSync(join(dataDir, SNAPSHOT_FILE)));
    });

    const header = (revision: number, entries: number) => JSON.stringify({ format: 'faultmesh-store', version: 1, revision, entries });
    const entry = (key: string, mod = 2, create = 2) => JSON.stringify({ key, createRevision: create, modRevision: mod, value: 'v' });
    const damaged: Array<{ what: string; text: string | Buffer; at: string; says: RegExp }> = [
      { what: 'a line that is not JSON', text: [header(5, 2), entry('mesh'), '{"key":"halt","createRevision":3,'].join('\n'), at: ':3:', says: /not JSON/ },
      { what: 'a file cut off after a line', text: [header(5, 2), entry('mesh')].join('\n') + '\n', at: ':2:1', says: /header says 2 entries and the file holds 1/ },
      { what: 'another kind of file', text: '{"services":{}}\n', at: ':1:1 format:', says: /not a faultmesh store snapshot/ },
      { what: 'an empty file', text: '', at: ':1:1', says: /empty/ },
      { what: 'a key twice', text: [header(5, 2), entry('mesh'), entry('mesh', 3)].join('\n'), at: ':3:1 key:', says: /appears twice/ },
      { what: 'a key changed after the snapshot', text: [header(5, 1), entry('mesh', 9)].join('\n'), at: ':2:1 modRevision:', says: /after the snapshot's revision 5/ },
      { what: 'an entry without its value', text: [header(5, 1), JSON.stringify({ key: 'mesh', createRevision: 2, modRevision: 2 })].join('\n'), at: ':2:1 value:', says: /missing/ },
      { what: 'a bad revision in the header', text: [header(0, 0)].join('\n'), at: ':1:1 revision:', says: /whole number/ },
      { what: 'binary data', text: Buffer.from([0x7b, 0x00, 0x01, 0x02]), at: ':1:', says: /binary file/ },
    ];
    for (const { what, text, at, says } of damaged) {
      it(`refuses to start on a damaged snapshot, naming the file, line and column: ${what}`, () => {
        const dataDir = freshDir();
        mkdirSync(dataDir);
        const file = join(dataDir, SNAPSHOT_FILE);
        writeFileSync(file, text);
        assert.throws(
          () => new MemoryStore({ timers: fakeTimers(), dataDir }),
          (err: unknown) => err instanceof ConfigError && err.message.includes(`${file}${at}`) && says.test(err.message),
        );
        assert.equal(readFileSync(file).equals(Buffer.from(text)), true, 'the damaged file is left for the user to look at');
      });
    }
  });

  describe('leases on the injected clock', () => {
    it("waits the whole ttl of a lease longer than setTimeout's limit", async () => {
      const clock = fakeTimers();
      const store = new MemoryStore({ timers: clock });
      after(() => store.close());
      const lease = await store.grantLease(40 * DAY_MS);
      await store.put('faults/long', 1, { lease: lease.id });
      await clock.advance(DAY_MS);
      assert.ok(await store.get('faults/long'), 'alive after a day');
      await clock.advance(30 * DAY_MS);
      assert.ok(await store.get('faults/long'), 'alive after 31 days, past the timer limit');
      await clock.advance(9 * DAY_MS);
      assert.equal(await store.get('faults/long'), undefined, 'gone at 40 days');
    });

    it('ends a lease whose timer is late the moment it is next used', async () => {
      let now = 0;
      const stalled: Timers = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
      const store = new MemoryStore({ timers: stalled });
      after(() => store.close());
      const lease = await store.grantLease(1000);
      await store.put('faults/f', 1, { lease: lease.id });
      now = 1000;
      await assert.rejects(store.keepAlive(lease.id), (err: unknown) => err instanceof StoreError && err.code === 'LEASE_NOT_FOUND');
      assert.equal(await store.get('faults/f'), undefined, 'its keys went with it');
    });

    it('stops its lease timers on close', async () => {
      const clock = fakeTimers();
      const store = new MemoryStore({ timers: clock });
      await store.grantLease(1000);
      await store.grantLease(2000);
      assert.equal(clock.pending(), 2);
      await store.close();
      assert.equal(clock.pending(), 0);
    });
  });

  describe('its bounded history', () => {
    it('keeps the last N events: a watch from before them gets COMPACTED, one from inside them replays', async () => {
      const store = new MemoryStore({ timers: fakeTimers(), historyEvents: 3 });
      after(() => store.close());
      const revisions: number[] = [];
      for (let i = 0; i < 6; i++) revisions.push(await store.put(`k${i}`, i));
      const errors: StoreError[] = [];
      store.watch('', revisions[1]!, () => assert.fail('no events for a watch that cannot resume'), (e) => errors.push(e));
      await waitFor(() => errors.length === 1, 'the old watch is refused');
      assert.equal(errors[0]?.code, 'COMPACTED');
      const replayed: string[] = [];
      store.watch('', revisions[2]!, (events) => replayed.push(...events.map((e) => (e.type === 'put' ? e.kv.key : e.key))));
      await waitFor(() => replayed.length === 3, 'the kept events replay');
      assert.deepEqual(replayed, ['k3', 'k4', 'k5']);
    });

    it('throws COMPACTED at once from a watch without an error listener', async () => {
      const store = new MemoryStore({ timers: fakeTimers() });
      after(() => store.close());
      await store.put('a', 1);
      const r = await store.put('a', 2);
      store.compact(r);
      assert.throws(() => store.watch('', r - 2, () => {}), (err: unknown) => err instanceof StoreError && err.code === 'COMPACTED' && /list again/.test(err.message));
    });
  });

  it('hands out frozen values, so no reader can change what the others read', async () => {
    const store = new MemoryStore({ timers: fakeTimers() });
    after(() => store.close());
    await store.put('mesh', { text: 'a', nested: { list: [1] } });
    const kv = await store.get('mesh');
    const value = kv?.value as { text: string; nested: { list: number[] } };
    assert.throws(() => {
      value.nested.list.push(2);
    }, TypeError);
    assert.deepEqual((await store.get('mesh'))?.value, { text: 'a', nested: { list: [1] } });
  });
});
