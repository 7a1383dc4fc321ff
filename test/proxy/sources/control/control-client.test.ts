import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../../../demo/echo-upstream.js';
import { startProxy, type ProxyOptions, type RunningProxy } from '../../../../proxy/proxy-app.js';
import { send } from '../../../helpers/http-client.js';
import { startUpstreams, tempDir } from '../../../helpers/mesh-fixture.js';
import { waitFor } from '../../../helpers/wait.js';
import { startStandInControl, type StandInControl } from './stand-in-control.js';

const TOKEN = 'control-secret';

interface Health {
  ready: boolean;
  notReadyReason?: string;
  halted: boolean;
  haltedLocally?: boolean;
  meshVersion: number;
  control: { url: string; connected: boolean; since: string | null; version: number; lastError: string | null };
}

describe('a proxy on a control plane', () => {
  let upstreams: Map<string, EchoUpstream>;
  let control: StandInControl;
  const proxies: RunningProxy[] = [];
  const dir = tempDir();
  let clock = 1_000_000;

  const start = async (options: Partial<ProxyOptions> = {}) => {
    const proxy = await startProxy({
      listen: { host: '127.0.0.1', port: 0 },
      admin: { host: '127.0.0.1', port: 0 },
      accessLog: { kind: 'off' },
      now: () => clock,
      control: { urls: [control.url], token: TOKEN, id: `proxy-${proxies.length}`, reportEveryMs: 100 },
      ...options,
    });
    proxies.push(proxy);
    return proxy;
  };
  const health = async (proxy: RunningProxy) => (await send(proxy.adminUrl, { path: '/healthz' })).json<Health>();
  const call = (proxy: RunningProxy, service = 'payments') => send(proxy.proxyUrl, { path: '/', headers: { host: service } });
  const instanceOf = async (proxy: RunningProxy, service = 'payments') => (await call(proxy, service)).headers['x-instance'];
  const meshText = (...ids: string[]) =>
    `services:\n  payments:\n    instances:\n${ids.map((id) => `      - { id: ${id}, address: "127.0.0.1:${upstreams.get(id)!.port}" }`).join('\n')}\n`;

  before(async () => {
    upstreams = await startUpstreams([
      { service: 'payments', id: 'pay-1' },
      { service: 'payments', id: 'pay-2' },
      { service: 'payments', id: 'pay-3' },
    ]);
  });
  afterEach(async () => {
    for (const p of proxies.splice(0)) await p.close(1000);
    await control?.close();
  });
  after(async () => {
    for (const u of upstreams.values()) await u.close();
    dir.remove();
  });

  it('is not ready until the control plane sends a mesh, then routes with it and acknowledges the version', async () => {
    control = await startStandInControl({ token: TOKEN });
    const proxy = await start();
    await waitFor(async () => (await health(proxy)).control.connected, 'the proxy is connected');
    const waiting = await health(proxy);
    assert.equal(waiting.ready, false);
    assert.match(waiting.notReadyReason ?? '', /control plane has no mesh configuration yet/);
    assert.equal((await call(proxy)).status, 503, 'no configuration yet: not ready');

    control.push({ version: 7, mesh: { text: meshText('pay-1'), file: 'mesh.yaml' } });
    await waitFor(() => control.acks.length > 0, 'the proxy acknowledges');
    assert.deepEqual(control.acks[0], { version: 7, applied: true });
    assert.equal(await instanceOf(proxy), 'pay-1');
    const ready = await health(proxy);
    assert.equal(ready.ready, true);
    assert.equal(ready.control.version, 7);
    assert.equal(ready.meshVersion, 7);
    const connect = control.connects[0]!;
    assert.equal(connect.authorization, `Bearer ${TOKEN}`);
    assert.equal(connect.query.get('id'), 'proxy-0');
    assert.equal(connect.query.get('applied'), '0');
    assert.equal(connect.query.get('admin'), proxy.adminUrl);
  });

  it('refuses an invalid mesh with file:line:column, keeps serving the one it has, and ignores an older version', async () => {
    control = await startStandInControl({ token: TOKEN, initial: { version: 3, mesh: { text: meshText('pay-1'), file: 'mesh.yaml' } } });
    const proxy = await start();
    await waitFor(() => control.acks.length === 1, 'version 3 is acknowledged');
    control.push({ version: 4, mesh: { text: 'services:\n  payments:\n    instances:\n      - { id: pay-1, address: nowhere }\n', file: 'mesh.yaml' } });
    await waitFor(() => control.acks.length === 2, 'version 4 is answered');
    const nack = control.acks[1]!;
    assert.equal(nack.applied, false);
    assert.equal(nack.version, 4);
    assert.match(nack.reason ?? '', /^mesh\.yaml:4:\d+ services\.payments\.instances\[0\]\.address: "nowhere" is not host:port/);
    assert.equal(await instanceOf(proxy), 'pay-1');
    assert.equal((await health(proxy)).control.version, 3);

    control.push({ version: 5, mesh: { text: meshText('pay-2'), file: 'mesh.yaml' } });
    control.push({ version: 2, mesh: { text: meshText('pay-3'), file: 'mesh.yaml' } });
    control.push({ version: 6, mesh: { text: meshText('pay-2'), file: 'mesh.yaml' } });
    await waitFor(() => control.acks.length === 4, 'versions 5 and 6 are acknowledged');
    assert.deepEqual(control.acks.slice(2).map((a) => a.version), [5, 6], 'version 2 came after 5 on the same stream: ignored');
    assert.equal(await instanceOf(proxy), 'pay-2');
  });

  it('merges registrations into the mesh: new services, subsets waiting for instances, and a registration replacing a static instance', async () => {
    const text = `${meshText('pay-1')}    routes:\n      - to: [{ labels: { version: v2 } }]\n`;
    control = await startStandInControl({ token: TOKEN, initial: { version: 1, mesh: { text, file: 'mesh.yaml' } } });
    const proxy = await start();
    await waitFor(() => control.acks.length === 1, 'the mesh is acknowledged');
    assert.deepEqual(control.acks[0], { version: 1, applied: true }, 'a subset no instance has yet is accepted');
    assert.equal((await call(proxy)).status, 503, 'the subset has no instance yet');

    const address = (id: string) => `127.0.0.1:${upstreams.get(id)!.port}`;
    control.push({
      version: 2,
      mesh: { text, file: 'mesh.yaml' },
      registrations: [
        { service: 'payments', id: 'pay-1', address: address('pay-2'), labels: { version: 'v2' } },
        { service: 'search', id: 'search-1', address: address('pay-3'), labels: {} },
      ],
    });
    await waitFor(() => control.acks.length === 2, 'the registrations are acknowledged');
    assert.deepEqual(control.acks[1], { version: 2, applied: true });
    assert.equal(await instanceOf(proxy), 'pay-2', 'the registration with the static id wins');
    assert.equal(await instanceOf(proxy, 'search'), 'pay-3', 'a service only registrations name gets the default policy');

    control.push({ version: 3, mesh: { text, file: 'mesh.yaml' }, registrations: [] });
    await waitFor(() => control.acks.length === 3, 'the registration ending is acknowledged');
    assert.equal((await call(proxy, 'search')).status, 404, 'the registered service left with its registration');
  });

  it('keeps its --mesh fallback when the control plane has no mesh, and merges registrations onto it', async () => {
    control = await startStandInControl({ token: TOKEN });
    const meshFile = dir.file('fallback.yaml', meshText('pay-1'));
    const proxy = await start({ meshFile });
    assert.equal((await health(proxy)).ready, true, 'the file is the configuration until the control plane has one');
    assert.equal(await instanceOf(proxy), 'pay-1');
    control.push({ version: 9, mesh: null, registrations: [{ service: 'payments', id: 'pay-1', address: `127.0.0.1:${upstreams.get('pay-3')!.port}`, labels: {} }] });
    await waitFor(() => control.acks.length === 1, 'the snapshot is acknowledged');
    assert.equal(await instanceOf(proxy), 'pay-3');
    assert.equal((await health(proxy)).ready, true);
  });

  it('runs the pushed faults, refuses admin fault writes naming the control plane, and follows halt', async () => {
    control = await startStandInControl({ token: TOKEN, initial: { version: 1, mesh: { text: meshText('pay-1'), file: 'mesh.yaml' } } });
    const proxy = await start();
    await waitFor(() => control.acks.length === 1, 'the mesh is acknowledged');
    control.push({ version: 2, mesh: { text: meshText('pay-1'), file: 'mesh.yaml' }, faults: [{ id: 'boom', spec: { target: 'payments', abort: { status: 503 } }, remainingMs: 60_000 }] });
    await waitFor(() => control.acks.length === 2, 'the fault is acknowledged');
    const faulted = await call(proxy);
    assert.equal(faulted.status, 503);
    assert.equal(faulted.headers['x-faultmesh-fault'], 'boom');
    const listed = (await send(proxy.adminUrl, { path: '/v1/faults' })).json<{ faults: Array<{ id: string; expiresAt: string }> }>();
    assert.deepEqual(listed.faults.map((f) => f.id), ['boom']);
    assert.equal(listed.faults[0]!.expiresAt, new Date(clock + 60_000).toISOString());

    const refused = await send(proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: 'payments', abort: { status: 500 }, ttl: '10s' }) });
    assert.equal(refused.status, 409);
    assert.equal(refused.json().code, 'MANAGED_BY_CONTROL');
    assert.match(String(refused.json().message), new RegExp(control.url.replace(/\./g, '\\.')));
    assert.equal((await send(proxy.adminUrl, { method: 'DELETE', path: '/v1/faults/boom' })).status, 409);
    assert.equal((await send(proxy.adminUrl, { method: 'POST', path: '/v1/reload' })).status, 409);

    // The counts run on across snapshots that keep the rule, and reach the control plane in reports.
    control.push({ version: 3, mesh: { text: meshText('pay-1'), file: 'mesh.yaml' }, faults: [{ id: 'boom', spec: { target: 'payments', abort: { status: 503 } }, remainingMs: 50_000 }] });
    await waitFor(() => control.acks.length === 3, 'version 3 is acknowledged');
    assert.equal((await call(proxy)).status, 503);
    await waitFor(() => control.reports.some((r) => r.faults.boom?.hit === 2), 'a report carries both hits');
    assert.ok(control.reports.at(-1)!.instances.some((i) => i.service === 'payments' && i.id === 'pay-1' && i.state === 'healthy'));

    control.push({ version: 4, mesh: { text: meshText('pay-1'), file: 'mesh.yaml' }, faults: [{ id: 'boom', spec: { target: 'payments', abort: { status: 503 } }, remainingMs: 50_000 }], halted: true });
    await waitFor(() => control.acks.length === 4, 'the halt is acknowledged');
    assert.equal((await call(proxy)).status, 200, 'halted: no fault applies, whatever the snapshot lists');
    assert.equal((await health(proxy)).halted, true);
  });

  it('halts on its own admin when the control plane cannot (its store out of reach), against every snapshot, until resumed there', async () => {
    const boom = { id: 'boom', spec: { target: 'payments', abort: { status: 503 } }, remainingMs: 60_000 };
    control = await startStandInControl({ token: TOKEN, initial: { version: 1, mesh: { text: meshText('pay-1'), file: 'mesh.yaml' }, faults: [boom] } });
    const proxy = await start();
    await waitFor(() => control.acks.length === 1, 'version 1 is acknowledged');
    assert.equal((await call(proxy)).status, 503);
    const halted = await send(proxy.adminUrl, { method: 'POST', path: '/v1/halt' });
    assert.equal(halted.status, 200, halted.text());
    assert.equal((await call(proxy)).status, 200, 'the fault is gone at once');
    assert.equal((await health(proxy)).haltedLocally, true);
    control.push({ version: 2, mesh: { text: meshText('pay-1'), file: 'mesh.yaml' }, faults: [boom] });
    await waitFor(() => control.acks.length === 2, 'version 2 is acknowledged');
    assert.equal((await call(proxy)).status, 200, 'a snapshot does not undo a halt made here');
    assert.equal((await health(proxy)).halted, true);
    assert.equal((await send(proxy.adminUrl, { method: 'POST', path: '/v1/resume' })).status, 200);
    assert.equal((await call(proxy)).status, 503, "resumed here: what the control plane last said is back");
    assert.equal((await health(proxy)).halted, false);
  });

  it('refuses a whole version when one of its faults is invalid', async () => {
    control = await startStandInControl({ token: TOKEN, initial: { version: 1, mesh: { text: meshText('pay-1'), file: 'mesh.yaml' } } });
    const proxy = await start();
    await waitFor(() => control.acks.length === 1, 'the mesh is acknowledged');
    control.push({
      version: 2,
      mesh: { text: meshText('pay-2'), file: 'mesh.yaml' },
      faults: [{ id: 'bad', spec: { target: 'payments', abort: { status: 99 } }, remainingMs: 60_000 }],
    });
    await waitFor(() => control.acks.length === 2, 'version 2 is answered');
    assert.equal(control.acks[1]!.applied, false);
    assert.match(control.acks[1]!.reason ?? '', /fault "bad": abort\.status: abort status must be 200 to 599/);
    assert.equal(await instanceOf(proxy), 'pay-1', 'the mesh of the refused version was not applied either');
  });

  it('fails static and safe: with the control plane gone it keeps routing, and each fault ends at its last known lease end', async () => {
    control = await startStandInControl({ token: TOKEN });
    control.push({ version: 1, mesh: { text: meshText('pay-1'), file: 'mesh.yaml' }, faults: [{ id: 'slow', spec: { target: 'payments', abort: { status: 503 } }, remainingMs: 10_000 }] });
    const proxy = await start();
    await waitFor(() => control.acks.length === 1, 'the snapshot is acknowledged');
    control.leases({ remaining: { slow: 20_000 } });
    await waitFor(async () => (await send(proxy.adminUrl, { path: '/v1/faults/slow' })).json().expiresAt === new Date(clock + 20_000).toISOString(), 'the renewal moved the lease end');

    await control.close();
    await waitFor(async () => !(await health(proxy)).control.connected, 'the proxy saw the control plane go');
    assert.equal((await call(proxy)).status, 503, 'the fault holds until its lease ends');
    clock += 19_999;
    assert.equal((await call(proxy)).status, 503);
    clock += 1;
    const after = await call(proxy);
    assert.equal(after.status, 200, 'the lease ended: the fault is gone though nobody said so');
    assert.equal(after.headers['x-instance'], 'pay-1', 'the last configuration still routes');
    assert.match((await health(proxy)).control.lastError ?? '', /127\.0\.0\.1/);
  });

  it('reconnects across the control URLs and resyncs from the version it has', async () => {
    const down = await startStandInControl();
    const downUrl = down.url;
    await down.close(); // nothing listens there now
    control = await startStandInControl({ token: TOKEN, initial: { version: 5, mesh: { text: meshText('pay-1'), file: 'mesh.yaml' } } });
    const proxy = await start({ control: { urls: [downUrl, control.url], token: TOKEN, id: 'roamer' } });
    await waitFor(() => control.acks.length === 1, 'the second URL is reached');
    control.push({ version: 6, mesh: { text: meshText('pay-2'), file: 'mesh.yaml' } });
    await waitFor(() => control.acks.length === 2, 'version 6 is acknowledged');
    control.dropStreams();
    await waitFor(() => control.connects.length === 2 && control.acks.length === 3, 'the proxy came back and resynced');
    assert.equal(control.connects[1]!.query.get('applied'), '6');
    assert.equal(await instanceOf(proxy), 'pay-2');
  });

  it('routes by a pushed override until its lease ends, then by the mesh text weights', async () => {
    const text = 'services:\n  payments:\n    instances:\n' +
      `      - { id: pay-1, address: "127.0.0.1:${upstreams.get('pay-1')!.port}", labels: { version: v1 } }\n` +
      `      - { id: pay-2, address: "127.0.0.1:${upstreams.get('pay-2')!.port}", labels: { version: v2 } }\n` +
      '    routes:\n      - to: [{ labels: { version: v1 }, weight: 100 }, { labels: { version: v2 }, weight: 0.0001 }]\n';
    control = await startStandInControl({ token: TOKEN });
    control.push({ version: 1, mesh: { text, file: 'mesh.yaml' }, overrides: [{ service: 'payments', route: 0, to: [{ labels: { version: 'v2' }, weight: 100 }], remainingMs: 60_000 }] });
    const proxy = await startProxy({
      listen: { host: '127.0.0.1', port: 0 },
      admin: { host: '127.0.0.1', port: 0 },
      accessLog: { kind: 'off' },
      control: { urls: [control.url], token: TOKEN, id: 'canary' },
    });
    proxies.push(proxy);
    await waitFor(() => control.acks.length === 1, 'the override is acknowledged');
    for (let i = 0; i < 5; i++) assert.equal(await instanceOf(proxy), 'pay-2');
    control.leases({ overrides: { 'payments/0': 300 } });
    await waitFor(async () => (await instanceOf(proxy)) === 'pay-1', 'the override ended at its lease and the text weights are back');
  });

  it('says why it is not ready when the control plane refuses its token', async () => {
    control = await startStandInControl({ token: TOKEN });
    const proxy = await start({ control: { urls: [control.url], id: 'no-token' } });
    await waitFor(async () => /401 UNAUTHORIZED/.test((await health(proxy)).control.lastError ?? ''), 'the refusal is shown');
    const h = await health(proxy);
    assert.equal(h.ready, false);
    assert.match(h.notReadyReason ?? '', /never reached the control plane .*401 UNAUTHORIZED.*no --mesh fallback/);
  });

  it('answers calls 503 NOT_READY with the reason, not "unknown service", while it has no configuration', async () => {
    control = await startStandInControl({ token: TOKEN });
    const proxy = await start({ control: { urls: [control.url], id: 'no-token' } });
    await waitFor(async () => (await health(proxy)).control.lastError !== null, 'the proxy tried the control plane');
    const refused = await call(proxy);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['x-faultmesh-error'], 'NOT_READY');
    assert.match(refused.json<{ message: string }>().message, /not ready: never reached the control plane .*401 UNAUTHORIZED/);
  });

  it('logs the first failure to reach the control plane once, not once per retry', async () => {
    control = await startStandInControl({ token: TOKEN });
    const lines: string[] = [];
    await start({ control: { urls: [control.url], id: 'no-token', log: (line) => lines.push(line) } });
    const attempts = () => control.calls.filter((c) => c === 'GET /v1/stream').length;
    await waitFor(() => attempts() >= 3, 'the proxy retried twice');
    const failures = lines.filter((l) => /cannot reach the control plane/.test(l));
    assert.equal(failures.length, 1, lines.join('\n'));
    assert.match(failures[0]!, /answered 401 UNAUTHORIZED/);
  });

  it('logs each reason once while it cycles through several control URLs, however many times it retries', async () => {
    control = await startStandInControl({ token: TOKEN });
    const other = await startStandInControl({ token: TOKEN });
    try {
      const lines: string[] = [];
      await start({ control: { urls: [control.url, other.url], id: 'no-token', log: (line) => lines.push(line) } });
      const attempts = (c: StandInControl) => c.calls.filter((call) => call === 'GET /v1/stream').length;
      // Each URL refused three times: before, the reason alternated between the two URLs and every attempt printed a line.
      await waitFor(() => attempts(control) >= 3 && attempts(other) >= 3, 'the proxy went round both URLs three times');
      const failures = lines.filter((l) => /cannot reach the control plane/.test(l));
      assert.equal(failures.length, 2, lines.join('\n'));
      assert.ok(failures.some((l) => l.includes(control.url)) && failures.some((l) => l.includes(other.url)), failures.join('\n'));
    } finally {
      await other.close();
    }
  });

  it('logs a reason again once it has connected in between', async () => {
    const down = await startStandInControl();
    const downUrl = down.url;
    await down.close(); // nothing listens there now
    control = await startStandInControl({ token: TOKEN, initial: { version: 1, mesh: { text: meshText('pay-1'), file: 'mesh.yaml' } } });
    const lines: string[] = [];
    await start({ control: { urls: [downUrl, control.url], token: TOKEN, id: 'roamer', log: (line) => lines.push(line) } });
    const unreachable = () => lines.filter((l) => l.startsWith(`cannot reach the control plane: cannot reach ${downUrl}`)).length;
    await waitFor(() => control.acks.length === 1, 'the second URL is reached');
    assert.equal(unreachable(), 1, lines.join('\n'));
    control.dropStreams();
    await waitFor(() => control.acks.length === 2, 'the proxy came back through the unreachable URL');
    assert.equal(unreachable(), 2, `the first failure after a connection is news again:\n${lines.join('\n')}`);
  });
});
