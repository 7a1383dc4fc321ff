import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { keysUnder } from '../../../control/keys.js';
import { DesiredState } from '../../../control/push/desired-state.js';
import { adoptPeerVersion } from '../../../control/replica/replica-status.js';
import { MemoryStore } from '../../../control/store/memory/memory-store.js';
import { fakeTimers } from '../../helpers/fake-timers.js';

const fault = (id: string) => ({ spec: { id, target: 'payments' }, addedAt: new Date(0).toISOString(), ownLease: false });

describe("a replica that starts on a state a peer published", () => {
  const keys = keysUnder();
  const stores: MemoryStore[] = [];
  const states: DesiredState[] = [];
  after(async () => {
    for (const d of states) d.stop();
    for (const s of stores) await s.close();
  });
  const started = async (store: MemoryStore) => {
    const d = new DesiredState(store, keys, () => 0);
    states.push(d);
    await d.start();
    return d;
  };
  /** A store holding fault "a", and a peer that built that state and published its number. */
  async function withPeer() {
    const store = new MemoryStore({ timers: fakeTimers() });
    stores.push(store);
    await store.put(keys.fault('a'), fault('a'));
    const peer = await started(store);
    await store.put(keys.replica('peer'), { url: 'http://127.0.0.1:1', at: 0, version: peer.current.version, digest: peer.current.digest, proxies: [] });
    return { store, peer };
  }

  it("takes the peer's number for the same state, when only bookkeeping was written since", async () => {
    const { store, peer } = await withPeer();
    const own = await started(store);
    assert.ok(own.current.version > peer.current.version, 'labelled with the store revision at first');
    await adoptPeerVersion(store, keys, own);
    assert.equal(own.current.version, peer.current.version);
  });

  it('keeps its own number when a desired change came after the peer published, though the state is back to the same digest', async () => {
    const { store, peer } = await withPeer();
    await store.put(keys.fault('b'), fault('b'));
    await store.delete(keys.fault('b'));
    const own = await started(store);
    assert.equal(own.current.digest, peer.current.digest, 'the same state as the peer published');
    const before = own.current.version;
    await adoptPeerVersion(store, keys, own);
    assert.equal(own.current.version, before, 'not the older number: proxies that saw b come and go must not be sent back in time');
  });
});
