import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Toxiproxy } from 'toxiproxy-node-client';
import { waitFor } from '../../helpers/wait.js';
import { proxyOn, roundTrip, seenOnAll, SharedFixture, type SharedServer } from './toxiproxy-fixture.js';

// The real toxiproxy-node-client (npm), unchanged, against two --control servers: a suite
// written for one Toxiproxy works when its proxies are served by every process of the mesh.
describe('toxiproxy-node-client against two toxiproxy servers on one control plane', () => {
  const f = new SharedFixture();
  let a: SharedServer;
  let b: SharedServer;
  let onA: Toxiproxy;
  let onB: Toxiproxy;
  let upstream: string;
  before(async () => {
    ({ a, b, upstream } = await f.pair());
    onA = new Toxiproxy(a.server.url);
    onB = new Toxiproxy(b.server.url);
  });
  after(() => f.close());

  it('creates on one, reads and changes on the other, and measures the toxic through both', async () => {
    const proxy = await onA.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream });
    assert.match(proxy.listen, /^127\.0\.0\.1:[1-9]\d*$/);
    await waitFor(async () => Object.keys(await onB.getAll()).includes('echo'), 'B lists the proxy');
    await assert.rejects(onB.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream }), /status code 409/);

    const onBProxy = await onB.get('echo');
    const toxic = await onBProxy.addToxic({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } });
    assert.deepEqual(toxic.toJson(), { attributes: { latency: 300, jitter: 0 }, name: 'slow', stream: 'downstream', toxicity: 1, type: 'latency' });
    await seenOnAll([a], 'echo', (p) => p?.toxics.length === 1, 'A has the toxic');
    for (const listen of [proxy.listen, onBProxy.listen]) {
      const ms = await roundTrip(await f.loopback.dial(listen), 'slow');
      assert.ok(ms >= 290, `a round trip through ${listen} took ${ms.toFixed(0)} ms, with 300 ms of latency`);
    }
    await toxic.remove();
    await seenOnAll([a], 'echo', (p) => p?.toxics.length === 0, 'the toxic is gone from A');
  });

  it("updates with the proxy's own JSON (its listen as this server bound it) without pinning the other server to that port", async () => {
    const proxy = await onA.get('echo');
    const down = await proxy.update({ ...proxy.toJson(), enabled: false });
    assert.equal(down.enabled, false);
    await seenOnAll([b], 'echo', (p) => p?.enabled === false, 'B disabled it too');
    await onB.reset();
    await seenOnAll([a, b], 'echo', (p) => p?.enabled === true && p.listen_error === undefined, 'both serve it again, each on its port');
    assert.equal((await f.control.call('GET', '/v1/toxiproxy')).json<{ proxies: { listen: string }[] }>().proxies[0]!.listen, '127.0.0.1:0', 'the control plane still has port 0');
    assert.notEqual((await proxyOn(a, 'echo'))!.listen, (await proxyOn(b, 'echo'))!.listen);
  });

  it('populates from either server to the same proxy, idempotently, each keeping its port', async () => {
    const before = await Promise.all([onA, onB].map(async (c) => (await c.get('echo')).listen));
    const body = [{ name: 'echo', listen: '127.0.0.1:0', upstream }];
    const first = await onA.populate(body);
    const second = await onB.populate(body);
    assert.equal(first.echo!.listen, before[0]);
    assert.equal(second.echo!.listen, before[1]);
    assert.deepEqual(Object.keys(await onB.getAll()), ['echo']);
  });
});
