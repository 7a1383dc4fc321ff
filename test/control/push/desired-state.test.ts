import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { keysUnder } from '../../../control/keys.js';
import { DesiredState } from '../../../control/push/desired-state.js';
import { MemoryStore } from '../../../control/store/memory/memory-store.js';
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
