import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type RunningControlPlane } from '../../../control/control-plane.js';
import { keysUnder } from '../../../control/keys.js';
import { MemoryStore } from '../../../control/store/memory/memory-store.js';
import { createProxy } from '../../../control/toxiproxy/set-changes.js';
import { ToxiproxyStore } from '../../../control/toxiproxy/toxiproxy-store.js';
import { ControlFailure } from '../../../toxiproxy/control/control-api.js';
import { startToxiproxyServer } from '../../../toxiproxy/server.js';
import { send } from '../../helpers/http-client.js';
import { freePort } from '../../toxiproxy/loopback.js';
import { waitFor } from '../../helpers/wait.js';
import { metric, proxyOn, roundTrip, seenOnAll, SharedFixture, type SharedServer } from './toxiproxy-fixture.js';

describe('toxiproxy servers when the control plane fails them', () => {
  const f = new SharedFixture();
  let upstream: string;
  before(async () => {
    await f.start();
    upstream = (await f.loopback.echo()).address;
  });
  after(() => f.close());

  it('refuses to start when the control plane cannot be reached, naming it', async () => {
    const port = await freePort();
    const start = startToxiproxyServer({ listen: { host: '127.0.0.1', port: 0 }, version: '0', control: { urls: [`http://127.0.0.1:${port}`] } });
    await assert.rejects(start, (err: unknown) => err instanceof ControlFailure && err.kind === 'UNREACHABLE' && err.message === `the control plane at http://127.0.0.1:${port} cannot be reached (ECONNREFUSED)`);
  });

  it('keeps serving what it knew while the control plane is down, says so, refuses changes with 503, and catches up when it is back', async () => {
    const s = await f.server();
    await s.api.post('/proxies', { name: 'kept', upstream });
    const listen = (await proxyOn(s, 'kept'))!.listen;
    const plane = f.control.plane;
    const port = Number(new URL(plane.url).port);
    await plane.close();

    await waitFor(async () => (await metric(s, 'faultmesh_toxiproxy_control_connected')) === 0, '/metrics says the control plane is lost');
    assert.ok(s.logs.some((l) => /^toxiproxy: lost the control plane: .*cannot be reached.*; serving the 1 proxies last known \(revision \d+\) until it is back$/.test(l)), s.logs.join('\n'));
    const health = (await s.api.get('/healthz')).json<{ control: { connected: boolean } }>();
    assert.equal(health.control.connected, false);
    const c = await f.loopback.dial(listen);
    await roundTrip(c, 'still served');
    const refused = await s.api.post('/proxies', { name: 'new', upstream });
    assert.equal(refused.status, 503);
    assert.match(refused.json<{ error: string }>().error, /cannot be reached .*keeps serving the proxies and toxics it last knew/);
    assert.ok((await proxyOn(s, 'kept')) !== undefined, 'reads answer from the set last known');

    // Meanwhile the set changed in the store (another replica took a write).
    const store = f.control.plane.store;
    await new ToxiproxyStore(store, keysUnder(), () => f.control.clock.now()).change([], (set) => createProxy(set, { name: 'made-meanwhile', listen: '127.0.0.1:0', upstream }, () => assert.fail('no lease')));
    const back: RunningControlPlane = await startControlPlane({ listen: { host: '127.0.0.1', port }, store, timers: f.control.clock });
    try {
      await seenOnAll([s], 'made-meanwhile', (p) => p?.enabled === true, 'the server caught up with the change made while it was away');
      assert.equal(await metric(s, 'faultmesh_toxiproxy_control_connected'), 1);
      assert.ok(s.logs.some((l) => /^toxiproxy: the control plane at http:\/\/127\.0\.0\.1:\d+ is back: revision \d+ applied$/.test(l)), s.logs.join('\n'));
      assert.equal((await s.api.post('/proxies', { name: 'new', upstream })).status, 201, 'changes are taken again');
    } finally {
      await f.loopback.stop(s.server);
      await back.close();
    }
  });

  it('gives a control plane that came back empty (no --data) the proxies it served, without the leased toxics', async () => {
    const first = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, store: new MemoryStore({ timers: f.control.clock }), timers: f.control.clock });
    const port = Number(new URL(first.url).port);
    const s = await f.server({}, [first.url]);
    await s.api.post('/proxies', { name: 'kept', upstream, toxics: [{ name: 'stays', type: 'latency' }, { name: 'leased', type: 'timeout', ttl: '1h' }] });
    await first.close();
    await first.store.close();
    const empty = await startControlPlane({ listen: { host: '127.0.0.1', port }, store: new MemoryStore({ timers: f.control.clock }), timers: f.control.clock });
    try {
      await waitFor(async () => (await send(empty.url, { path: '/v1/toxiproxy' })).json<{ proxies: unknown[] }>().proxies.length === 1, 'the server gave the empty control plane its proxy');
      const set = (await send(empty.url, { path: '/v1/toxiproxy' })).json<{ proxies: { name: string; toxics: { name: string }[] }[] }>();
      assert.deepEqual(set.proxies.map((p) => [p.name, p.toxics.map((t) => t.name)]), [['kept', ['stays']]]);
      await waitFor(async () => (await proxyOn(s, 'kept'))?.toxics.length === 1, 'the server serves what the control plane has now');
      assert.ok(s.logs.some((l) => /came back without its toxiproxy set \(no --data\?\): gave it the 1 proxies this server served$/.test(l)), s.logs.join('\n'));
    } finally {
      await f.loopback.stop(s.server);
      await empty.close();
      await empty.store.close();
    }
  });
});

describe('a listen address that one server cannot bind', () => {
  const f = new SharedFixture();
  let a: SharedServer;
  let b: SharedServer;
  let upstream: string;
  before(async () => ({ a, b, upstream } = await f.pair()));
  after(() => f.close());

  it('is reported by that server (view, /metrics, log) while the other serves it, and is bound once the port is free', async () => {
    const port = await freePort();
    assert.equal((await a.api.post('/proxies', { name: 'fixed', listen: `127.0.0.1:${port}`, upstream })).status, 201);
    // Both servers are on this host: the first to bind has the port, the other is refused it.
    await seenOnAll([a, b], 'fixed', (p) => p !== undefined, 'both have the proxy');
    await waitFor(async () => (await Promise.all([a, b].map((s) => proxyOn(s, 'fixed')))).filter((p) => p?.listen_error).length === 1, 'exactly one server is refused the port');
    const [winner, loser] = (await proxyOn(a, 'fixed'))!.listen_error ? [b, a] : [a, b];
    const refused = (await proxyOn(loser, 'fixed'))!;
    assert.match(refused.listen_error, new RegExp(`^proxy fixed cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use$`));
    assert.equal(refused.enabled, true, 'the set still says enabled: the others serve it');
    assert.equal(await metric(loser, 'faultmesh_toxiproxy_listen_failed{proxy="fixed"}'), 1);
    assert.equal(await metric(winner, 'faultmesh_toxiproxy_listen_failed{proxy="fixed"}'), undefined);
    assert.ok(loser.logs.some((l) => l.includes(`proxy fixed cannot listen on 127.0.0.1:${port}: the address is already in use: the other processes`)), loser.logs.join('\n'));
    await roundTrip(await f.loopback.dial(`127.0.0.1:${port}`), 'served by the winner');
    assert.equal((await loser.api.post('/proxies', { name: 'other', upstream })).status, 201, 'the refused server takes other changes');

    await f.loopback.stop(winner.server);
    await waitFor(async () => (await proxyOn(loser, 'fixed'))?.listen_error === undefined, 'the other server binds the port on its next try', 30_000);
    assert.ok(loser.logs.some((l) => l === `toxiproxy: proxy fixed listens on 127.0.0.1:${port} now`), loser.logs.join('\n'));
    await roundTrip(await f.loopback.dial(`127.0.0.1:${port}`), 'served by the other');
  });
});
