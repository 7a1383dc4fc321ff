import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { keysUnder } from '../../../control/keys.js';
import { DesiredState } from '../../../control/push/desired-state.js';
import { MemoryStore } from '../../../control/store/memory/memory-store.js';
import { StoreError, type WatchErrorListener, type WatchListener } from '../../../control/store/store.js';
import type { Timers } from '../../../proxy/core/timers.js';
import { fakeTimers } from '../../helpers/fake-timers.js';
import { waitFor } from '../../helpers/wait.js';

const fault = (id: string) => ({ spec: { id, target: 'bench' }, addedAt: new Date(0).toISOString(), ownLease: false });

describe('the desired state', () => {
  const store = new MemoryStore({ timers: fakeTimers() });
  const keys = keysUnder();
  const desired = new DesiredState(store, keys, () => 0);
  after(async () => {
    desired.stop();
    await store.close();
  });

  it('covers writes that arrive in one turn of the event loop with one build, not a build and a push to every proxy per write', async () => {
    await desired.start();
    const builds: number[] = [];
    desired.subscribe((d) => builds.push(d.version));
    // Two writes in two callbacks of one turn, as two write requests read in one poll of the sockets.
    const revisions = await new Promise<number[]>((resolve, reject) => {
      const out: number[] = [];
      setImmediate(() => void store.put(keys.fault('a'), fault('a')).then((r) => out.push(r), reject));
      setImmediate(() => void store.put(keys.fault('b'), fault('b')).then((r) => resolve([...out, r]), reject));
    });
    await waitFor(() => desired.current.version === revisions[1], 'the second write is built');
    assert.deepEqual(builds, [revisions[1]], 'one build, at the second write');
    assert.deepEqual(desired.current.faults.map((f) => f.id), ['a', 'b']);
  });

  it('still builds a lone write without any timer firing (the clock here is fake and never moves)', async () => {
    const revision = await store.put(keys.fault('c'), fault('c'));
    await waitFor(() => desired.current.version === revision, 'the lone write is built');
    assert.ok(desired.current.faults.some((f) => f.id === 'c'));
  });
});

describe('the desired state when its store falters', () => {
  /**
   * A memory store whose next `failLists` lists fail, whose next `staleTtls` lease reads answer "gone" (as an etcd
   * member that has not applied the grant yet does), and whose watches can be ended from outside, as etcd's can.
   */
  function falteringStore() {
    const inner = new MemoryStore({ timers: fakeTimers() });
    let failLists = 0;
    let staleTtls = 0;
    const enders: Array<() => void> = [];
    const store = new Proxy(inner, {
      get(target, name) {
        if (name === 'list')
          return async (prefix: string) => {
            if (failLists > 0) {
              failLists--;
              throw new StoreError('UNAVAILABLE', 'etcd at test: no member reachable');
            }
            return target.list(prefix);
          };
        if (name === 'leaseTtl')
          return async (id: string) => {
            if (staleTtls > 0) {
              staleTtls--;
              return undefined;
            }
            return target.leaseTtl(id);
          };
        if (name === 'watch')
          return (prefix: string, from: number, onEvents: WatchListener, onError?: WatchErrorListener) => {
            const stop = target.watch(prefix, from, onEvents, onError);
            enders.push(() => (stop(), onError?.(new StoreError('UNAVAILABLE', 'the watch was cancelled'))));
            return stop;
          };
        const v = Reflect.get(target, name) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    return { inner, store, failNextLists: (n: number) => (failLists = n), staleNextTtls: (n: number) => (staleTtls = n), endWatches: () => enders.splice(0).forEach((end) => end()) };
  }

  /** A desired state started over a faltering store, retrying on `clock`; both end with the test. */
  async function started(clock?: Timers) {
    const s = falteringStore();
    const keys = keysUnder();
    const desired = new DesiredState(s.store, keys, () => 0, undefined, clock);
    after(async () => (desired.stop(), await s.inner.close()));
    await desired.start();
    return { s, keys, desired };
  }

  /** Started, with one fault `id` on a lease of a minute built. */
  async function builtLeasedFault(id: string) {
    const { s, keys, desired } = await started();
    const lease = await s.inner.grantLease(60_000);
    const added = await s.inner.put(keys.fault(id), fault(id), { lease: lease.id });
    await waitFor(() => desired.current.version === added, 'the fault is built');
    return { s, desired, lease };
  }

  it('tries a failed build again, so the last write is not left out until some later write', async () => {
    const clock = fakeTimers();
    const { s, keys, desired } = await started(clock);
    s.failNextLists(2);
    const revision = await s.inner.put(keys.fault('late'), fault('late'));
    await waitFor(() => clock.pending() > 0, 'a retry is scheduled after the failed build');
    await clock.advance(500);
    await waitFor(() => clock.pending() > 0 || desired.current.version === revision, 'the second try failed too, or built');
    await clock.advance(500);
    await waitFor(() => desired.current.version === revision, 'a later try built the write');
    assert.deepEqual(desired.current.faults.map((f) => f.id), ['late']);
  });

  it('does not take a lease a member behind calls gone for ended while its key is still there: the build is tried again', async () => {
    const clock = fakeTimers();
    const { s, keys, desired } = await started(clock);
    const lease = await s.inner.grantLease(60_000);
    s.staleNextTtls(1);
    const revision = await s.inner.put(keys.fault('leased'), fault('leased'), { lease: lease.id });
    await waitFor(() => clock.pending() > 0, 'a retry is scheduled after the stale lease read');
    assert.notEqual(desired.current.version, revision, 'no version was built without the fault');
    assert.match(desired.lastError ?? '', /lease .* is gone, but the key is still attached to it/);
    await clock.advance(500);
    await waitFor(() => desired.current.version === revision, 'the next try built the write');
    assert.deepEqual(desired.current.faults.map((f) => f.id), ['leased']);
    assert.ok(desired.current.faults[0]!.endsAt > 0, 'with its lease');
  });

  it('tells proxies nothing of a lease a member behind calls gone, rather than that it ended', async () => {
    const { s, desired } = await builtLeasedFault('kept');
    const told: Array<Record<string, number>> = [];
    desired.onLeases((r) => told.push(r.remaining));
    s.staleNextTtls(1);
    await desired.refreshLeases();
    assert.equal(told.length, 0, 'no remainder was sent from the stale read');
    assert.ok(desired.current.faults[0]!.endsAt > 0, 'the fault keeps its end');
    await desired.refreshLeases();
    assert.equal(told.length, 1);
    assert.ok(told[0]!.kept! > 0, `the next read sends the real remainder (${told[0]!.kept} ms)`);
  });

  it('still leaves out a fault whose lease ended, once its key is gone too', async () => {
    const { s, desired, lease } = await builtLeasedFault('short');
    await s.inner.revokeLease(lease.id);
    await waitFor(() => desired.current.faults.length === 0, 'the revoked lease takes its fault out');
    assert.equal(desired.lastError, undefined);
  });

  it('watches again when the store ends its watch, and misses no change made meanwhile', async () => {
    const s = falteringStore();
    const keys = keysUnder();
    const desired = new DesiredState(s.store, keys, () => 0);
    after(async () => (desired.stop(), await s.inner.close()));
    await desired.start();
    s.endWatches();
    // Written while no watch was open: the new watch's list has it.
    await s.inner.put(keys.fault('meanwhile'), fault('meanwhile'));
    await waitFor(() => desired.current.faults.some((f) => f.id === 'meanwhile'), 'the change made meanwhile is built');
    const later = await s.inner.put(keys.fault('after'), fault('after'));
    await waitFor(() => desired.current.version === later, 'a change after the new watch is built too');
  });
});
