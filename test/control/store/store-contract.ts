import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { StoreError, type KeyValue, type Store, type WatchEvent } from '../../../control/store/store.js';
import { waitFor } from '../../helpers/wait.js';

/** One fresh store for one test, with the backend's own sense of time. */
export interface StoreUnderTest {
  readonly store: Store;
  /** Lets `ms` of lease time pass: memory moves its fake clock; a backend on real time really waits. */
  advance(ms: number): Promise<void>;
  /** Drops the history up to `revision` (a real-time backend compacts), so a watch from before it cannot resume. */
  compact(revision: number): Promise<void>;
  /** Removes what the backend left behind (a temp dir, a key prefix). The contract closes the store itself. */
  dispose?(): Promise<void>;
}

export interface ContractOptions {
  /** The lease ttl the tests use: anything for a fake clock; for a real-time backend, whole seconds above its minimum. */
  readonly ttlMs: number;
  /** How coarsely the backend reports a lease's remaining time (1000 for one that counts in seconds). */
  readonly ttlGranularityMs: number;
}

type Recorder = { events: WatchEvent[]; revisions: number[]; errors: StoreError[]; onEvents(events: readonly WatchEvent[], revision: number): void; onError(e: StoreError): void };

function recorder(): Recorder {
  const r: Recorder = {
    events: [],
    revisions: [],
    errors: [],
    onEvents: (events, revision) => {
      for (const e of events) assert.ok(revisionOf(e) <= revision, `a delivery's revision ${revision} covers its events`);
      r.events.push(...events);
      r.revisions.push(revision);
    },
    onError: (e) => r.errors.push(e),
  };
  return r;
}

const revisionOf = (e: WatchEvent) => (e.type === 'put' ? e.kv.modRevision : e.modRevision);
/** Events as short strings, e.g. `put a@5`, `delete b@6`, for readable comparisons. */
const summary = (events: readonly WatchEvent[]) => events.map((e) => (e.type === 'put' ? `put ${e.kv.key}@${e.kv.modRevision}` : `delete ${e.key}@${e.modRevision}`));
const plain = (kv: KeyValue | undefined) => kv && { key: kv.key, value: kv.value, createRevision: kv.createRevision, modRevision: kv.modRevision, lease: kv.lease ?? null };
const isCode = (code: StoreError['code']) => (err: unknown) => err instanceof StoreError && err.code === code;

/**
 * The behaviour every Store backend must have, as node:test cases. A
 * backend is correct when it passes this, unchanged (the Kuma pattern):
 * it uses only the Store interface, and waits on conditions, so a backend
 * on real time (a networked store) runs it with real waits and short ttls.
 *
 * @example storeContract('memory', async () => { const clock = fakeTimers(); const store = new MemoryStore({ timers: clock }); return { store, advance: clock.advance, compact: async (r) => store.compact(r) }; });
 */
export function storeContract(name: string, makeStore: () => Promise<StoreUnderTest>, options: ContractOptions = { ttlMs: 10_000, ttlGranularityMs: 0 }): void {
  const ttl = options.ttlMs;
  const slack = options.ttlGranularityMs;

  describe(`the ${name} store (the store contract)`, () => {
    let t: StoreUnderTest;
    let store: Store;
    beforeEach(async () => {
      t = await makeStore();
      store = t.store;
    });
    afterEach(async () => {
      await store.close();
      await t.dispose?.();
    });

    describe('keys and revisions', () => {
      it('moves the revision by exactly one per write, and each key keeps its create revision across updates', async () => {
        const r0 = await store.revision();
        assert.equal(await store.put('a', { n: 1 }), r0 + 1);
        assert.equal(await store.put('b', 'text'), r0 + 2);
        assert.equal(await store.put('a', { n: 2 }), r0 + 3);
        assert.equal(await store.delete('b'), true);
        assert.equal(await store.revision(), r0 + 4);
        assert.deepEqual(plain(await store.get('a')), { key: 'a', value: { n: 2 }, createRevision: r0 + 1, modRevision: r0 + 3, lease: null });
        assert.equal(await store.get('b'), undefined);
      });

      it('leaves the revision alone when a delete finds nothing, and a key put again after a delete is created anew', async () => {
        const created = await store.put('a', 1);
        await store.delete('a');
        const r = await store.revision();
        assert.equal(await store.delete('a'), false);
        assert.equal(await store.delete('never'), false);
        assert.equal(await store.revision(), r, 'deleting nothing is not a write');
        const again = await store.put('a', 2);
        assert.equal(again, r + 1);
        assert.equal((await store.get('a'))?.createRevision, again, `not the first creation at ${created}`);
      });

      it('lists only the keys under a prefix, sorted by key, with the revision they were read at', async () => {
        for (const key of ['faults/b', 'faults/a', 'faultsx', 'mesh', 'faults/c/d']) await store.put(key, key);
        const { items, revision } = await store.list('faults/');
        assert.deepEqual(items.map((kv) => kv.key), ['faults/a', 'faults/b', 'faults/c/d']);
        assert.deepEqual(items.map((kv) => kv.value), ['faults/a', 'faults/b', 'faults/c/d']);
        assert.equal(revision, await store.revision());
        assert.deepEqual((await store.list('')).items.map((kv) => kv.key), ['faults/a', 'faults/b', 'faults/c/d', 'faultsx', 'mesh']);
        assert.deepEqual((await store.list('nothing/')).items, []);
      });

      it('stores a copy of the JSON value: changing the object after the put changes nothing stored', async () => {
        const value = { text: 'line 1\nline 2 — ünïcode', list: [1, null, { deep: true }], empty: {} };
        await store.put('mesh', value);
        value.list.push(99);
        value.text = 'changed';
        assert.deepEqual((await store.get('mesh'))?.value, { text: 'line 1\nline 2 — ünïcode', list: [1, null, { deep: true }], empty: {} });
      });

      it('refuses a value that is not JSON with a TypeError, and writes nothing', async () => {
        const r = await store.revision();
        for (const bad of [undefined, () => 1, 10n]) await assert.rejects(store.put('x', bad), TypeError, String(bad));
        assert.equal(await store.revision(), r);
        assert.equal(await store.get('x'), undefined);
      });
    });

    describe('compare-and-set', () => {
      it('with expectModRevision 0 creates a key only when it does not exist; otherwise CONFLICT, and nothing is written', async () => {
        const first = await store.put('halt', { halted: true }, { expectModRevision: 0 });
        await assert.rejects(store.put('halt', { halted: false }, { expectModRevision: 0 }), isCode('CONFLICT'));
        assert.equal(await store.revision(), first);
        assert.deepEqual(plain(await store.get('halt')), { key: 'halt', value: { halted: true }, createRevision: first, modRevision: first, lease: null });
      });

      it('with expectModRevision n writes only over revision n; a stale or vanished n is a CONFLICT that writes nothing', async () => {
        const v1 = await store.put('mesh', 'one');
        const v2 = await store.put('mesh', 'two', { expectModRevision: v1 });
        await assert.rejects(store.put('mesh', 'stale', { expectModRevision: v1 }), isCode('CONFLICT'));
        assert.equal((await store.get('mesh'))?.value, 'two');
        await store.delete('mesh', { expectModRevision: v2 });
        const r = await store.revision();
        await assert.rejects(store.put('mesh', 'gone', { expectModRevision: v2 }), isCode('CONFLICT'));
        assert.equal(await store.get('mesh'), undefined);
        assert.equal(await store.revision(), r);
      });

      it('refuses a delete with a stale expectModRevision, and the key stays', async () => {
        const v1 = await store.put('a', 1);
        await store.put('a', 2);
        await assert.rejects(store.delete('a', { expectModRevision: v1 }), isCode('CONFLICT'));
        assert.equal((await store.get('a'))?.value, 2);
      });

      it('lets exactly one of two concurrent compare-and-set writes from the same revision win', async () => {
        for (let round = 0; round < 10; round++) {
          const base = await store.put('counter', round);
          const tries = await Promise.allSettled([store.put('counter', `A${round}`, { expectModRevision: base }), store.put('counter', `B${round}`, { expectModRevision: base })]);
          const won = tries.flatMap((r, i) => (r.status === 'fulfilled' ? [i === 0 ? `A${round}` : `B${round}`] : []));
          assert.equal(won.length, 1, `round ${round}: ${JSON.stringify(tries)}`);
          const lost = tries.find((r) => r.status === 'rejected');
          assert.ok(lost && isCode('CONFLICT')(lost.reason), 'the other one is a CONFLICT');
          assert.equal((await store.get('counter'))?.value, won[0]);
        }
        const creates = await Promise.allSettled([store.put('new', 'A', { expectModRevision: 0 }), store.put('new', 'B', { expectModRevision: 0 })]);
        assert.equal(creates.filter((r) => r.status === 'fulfilled').length, 1, 'one of two creations wins');
      });
    });

    describe('leases', () => {
      it('grants a lease whose keys carry its id, and counts its ttl down on the clock', async () => {
        const lease = await store.grantLease(ttl);
        assert.equal(lease.ttlMs, ttl);
        await store.put('registrations/payments/p1', { address: '127.0.0.1:1' }, { lease: lease.id });
        assert.equal((await store.get('registrations/payments/p1'))?.lease, lease.id);
        await t.advance(ttl / 2);
        const left = await store.leaseTtl(lease.id);
        assert.ok(left !== undefined && left > 0 && left <= ttl / 2 + slack, `half the ttl is left, not ${left}`);
      });

      it('restarts the ttl on keepAlive, so a renewed lease outlives its first term, then ends', async () => {
        const lease = await store.grantLease(ttl);
        await store.put('faults/f1', { spec: {} }, { lease: lease.id });
        await t.advance(ttl * 0.6);
        const renewed = await store.keepAlive(lease.id);
        assert.ok(renewed.ttlMs >= ttl - slack && renewed.ttlMs <= ttl, `the full ttl again, not ${renewed.ttlMs}`);
        await t.advance(ttl * 0.6);
        assert.ok(await store.get('faults/f1'), 'still there past the first term');
        assert.ok((await store.leaseTtl(lease.id)) !== undefined);
        await t.advance(ttl * 0.6);
        await waitFor(async () => (await store.get('faults/f1')) === undefined, 'the renewed lease ends');
      });

      it('deletes the keys of a lease that runs out in one revision, the watch sees the deletes, and other keys stay', async () => {
        await store.put('mesh', 'kept');
        const lease = await store.grantLease(ttl);
        await store.put('faults/a', 1, { lease: lease.id });
        await store.put('faults/b', 2, { lease: lease.id });
        const before = await store.revision();
        const seen = recorder();
        const stop = store.watch('', before, seen.onEvents, seen.onError);
        await t.advance(ttl);
        await waitFor(() => seen.events.length >= 2, 'the watch sees both deletes');
        stop();
        assert.deepEqual(summary(seen.events), [`delete faults/a@${before + 1}`, `delete faults/b@${before + 1}`]);
        assert.equal(await store.revision(), before + 1, 'one revision for the whole lease');
        assert.deepEqual((await store.list('')).items.map((kv) => kv.key), ['mesh']);
        assert.equal(await store.leaseTtl(lease.id), undefined);
      });

      it('answers LEASE_NOT_FOUND for a lease that ran out: keepAlive, revoke, and a put on it, which writes nothing', async () => {
        const lease = await store.grantLease(ttl);
        await t.advance(ttl);
        await waitFor(async () => (await store.leaseTtl(lease.id)) === undefined, 'the lease is gone');
        await assert.rejects(store.keepAlive(lease.id), isCode('LEASE_NOT_FOUND'));
        await assert.rejects(store.revokeLease(lease.id), isCode('LEASE_NOT_FOUND'));
        const r = await store.revision();
        await assert.rejects(store.put('faults/late', 1, { lease: lease.id }), isCode('LEASE_NOT_FOUND'));
        assert.equal(await store.get('faults/late'), undefined);
        assert.equal(await store.revision(), r);
      });

      it('revokes a lease at once: its keys are deleted in one revision and it can no longer be renewed', async () => {
        const lease = await store.grantLease(ttl);
        await store.put('overrides/cart/0', { to: [] }, { lease: lease.id });
        await store.put('faults/x', 1, { lease: lease.id });
        const before = await store.revision();
        const seen = recorder();
        store.watch('', before, seen.onEvents, seen.onError);
        await store.revokeLease(lease.id);
        assert.equal(await store.get('faults/x'), undefined);
        assert.equal(await store.get('overrides/cart/0'), undefined);
        assert.equal(await store.revision(), before + 1);
        await waitFor(() => seen.events.length >= 2, 'the watch sees the deletes');
        assert.deepEqual(summary(seen.events), [`delete faults/x@${before + 1}`, `delete overrides/cart/0@${before + 1}`]);
        await assert.rejects(store.keepAlive(lease.id), isCode('LEASE_NOT_FOUND'));
        assert.equal(await store.leaseTtl(lease.id), undefined);
      });

      it('ends a lease that holds no keys without a new revision', async () => {
        const r = await store.revision();
        const lease = await store.grantLease(ttl);
        await store.keepAlive(lease.id);
        await store.revokeLease(lease.id);
        assert.equal(await store.revision(), r, 'leases alone are not writes');
      });

      it('refuses a put on a lease that does not exist, and writes nothing', async () => {
        const revoked = await store.grantLease(ttl);
        await store.revokeLease(revoked.id);
        const r = await store.revision();
        for (const id of [revoked.id, 'not-a-lease']) await assert.rejects(store.put('faults/f', 1, { lease: id }), isCode('LEASE_NOT_FOUND'), id);
        assert.equal(await store.get('faults/f'), undefined);
        assert.equal(await store.revision(), r);
      });

      it('detaches a key put again without a lease, so it outlives the lease', async () => {
        const lease = await store.grantLease(ttl);
        await store.put('faults/f', 1, { lease: lease.id });
        await store.put('faults/f', 2);
        assert.equal((await store.get('faults/f'))?.lease, undefined);
        await store.revokeLease(lease.id);
        assert.equal((await store.get('faults/f'))?.value, 2);
      });

      it('refuses a ttl that is not a positive whole number of ms', async () => {
        for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) await assert.rejects(store.grantLease(bad), RangeError, String(bad));
      });
    });

    describe('watch', () => {
      it('replays what a watch from a past revision missed, in order, then live events, each once', async () => {
        const from = await store.put('a', 1);
        const rb = await store.put('b', 1);
        await store.delete('a');
        const lease = await store.grantLease(ttl);
        const rc = await store.put('c', 1, { lease: lease.id });
        const seen = recorder();
        store.watch('', from, seen.onEvents, seen.onError);
        // Written before the replay is delivered: it must come once, after it.
        const rd = await store.put('d', 1);
        await waitFor(() => seen.events.length >= 4, 'the replay and the live write arrive');
        assert.deepEqual(summary(seen.events), [`put b@${rb}`, `delete a@${rb + 1}`, `put c@${rc}`, `put d@${rd}`]);
        const put = seen.events[2];
        assert.ok(put?.type === 'put' && put.kv.lease === lease.id && put.kv.value === 1 && put.kv.createRevision === rc, 'a put event carries the whole key');
        const re = await store.put('e', 1);
        await waitFor(() => seen.events.length >= 5, 'a later live write arrives');
        assert.deepEqual(summary(seen.events.slice(4)), [`put e@${re}`]);
        assert.equal(seen.revisions.at(-1), re);
        assert.deepEqual(seen.errors, []);
      });

      it('delivers events after the write that made them, never inside it', async () => {
        const seen = recorder();
        store.watch('', await store.revision(), seen.onEvents, seen.onError);
        const writing = store.put('a', 1);
        assert.equal(seen.events.length, 0, 'a watcher cannot run inside a write');
        await writing;
        await waitFor(() => seen.events.length === 1, 'the write arrives');
      });

      it('sees only the keys under its prefix', async () => {
        const seen = recorder();
        store.watch('faults/', await store.revision(), seen.onEvents, seen.onError);
        await store.put('faults/x', 1);
        await store.put('faultsy', 1);
        await store.put('mesh', 1);
        await store.delete('faults/x');
        const last = await store.put('faults/z', 1);
        await waitFor(() => seen.events.some((e) => revisionOf(e) === last), 'the last write under the prefix arrives');
        assert.deepEqual(summary(seen.events).map((s) => s.split('@')[0]), ['put faults/x', 'delete faults/x', 'put faults/z']);
      });

      it('delivers nothing more once its stop function is called', async () => {
        const seen = recorder();
        const stop = store.watch('', await store.revision(), seen.onEvents, seen.onError);
        await store.put('a', 1);
        await waitFor(() => seen.events.length === 1, 'the first write arrives');
        stop();
        const sentinel = recorder();
        store.watch('', await store.revision(), sentinel.onEvents, sentinel.onError);
        await store.put('b', 1);
        await store.put('c', 1);
        await waitFor(() => sentinel.events.length === 2, 'a second watch sees the later writes');
        assert.deepEqual(summary(seen.events).map((s) => s.split('@')[0]), ['put a']);
        stop();
      });

      it('ends with COMPACTED when the history no longer holds the revision, and resumes from one it holds', async () => {
        const old = await store.revision();
        await store.put('a', 1);
        await store.put('a', 2);
        const kept = await store.put('a', 3);
        await t.compact(kept);
        const lost = recorder();
        store.watch('', old, lost.onEvents, lost.onError);
        await waitFor(() => lost.errors.length === 1, 'the watch is told it cannot resume');
        assert.equal(lost.errors[0]?.code, 'COMPACTED');
        const resumed = recorder();
        store.watch('', kept, resumed.onEvents, resumed.onError);
        const next = await store.put('a', 4);
        await waitFor(() => resumed.events.length === 1, 'a watch from the compaction point sees later writes');
        assert.deepEqual(summary(resumed.events), [`put a@${next}`]);
        assert.deepEqual(lost.events, [], 'the ended watch got no events');
        assert.deepEqual(resumed.errors, []);
      });
    });

    describe('closing', () => {
      it('ends every watch with UNAVAILABLE and refuses every later call with UNAVAILABLE', async () => {
        const seen = recorder();
        store.watch('', await store.revision(), seen.onEvents, seen.onError);
        const lease = await store.grantLease(ttl);
        await store.close();
        await waitFor(() => seen.errors.length === 1, 'the watch is told the store closed');
        assert.equal(seen.errors[0]?.code, 'UNAVAILABLE');
        const calls: Array<[string, () => Promise<unknown>]> = [
          ['get', () => store.get('a')],
          ['list', () => store.list('')],
          ['put', () => store.put('a', 1)],
          ['delete', () => store.delete('a')],
          ['grantLease', () => store.grantLease(ttl)],
          ['keepAlive', () => store.keepAlive(lease.id)],
          ['revokeLease', () => store.revokeLease(lease.id)],
          ['leaseTtl', () => store.leaseTtl(lease.id)],
          ['revision', () => store.revision()],
        ];
        for (const [what, call] of calls) await assert.rejects(call(), isCode('UNAVAILABLE'), what);
        await store.close();
      });
    });
  });
}
