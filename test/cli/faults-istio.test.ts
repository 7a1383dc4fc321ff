import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { EchoUpstream } from '../../demo/echo-upstream.js';
import type { RunningProxy } from '../../proxy/proxy-app.js';
import { startTestControl, type TestControl } from '../control/control-fixture.js';
import { runCli } from '../helpers/cli.js';
import { send } from '../helpers/http-client.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir, type InstanceSpec } from '../helpers/mesh-fixture.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/istio/${name}`, import.meta.url));
const DELAY = fixture('ratings-test-delay.yaml');
const ABORT = fixture('ratings-test-abort.yaml');
const SPECS: InstanceSpec[] = [
  { service: 'ratings', id: 'ratings-v1', labels: { version: 'v1' } },
  { service: 'reviews', id: 'reviews-v1', labels: { version: 'v1' } },
];

type Listed = Record<string, unknown> & { id: string };

describe('faultmesh faults add of a VirtualService file, as kubectl apply', () => {
  const dir = tempDir();
  let upstreams: Map<string, EchoUpstream>;
  let a: RunningProxy;
  let b: RunningProxy;
  const admins = () => ['--admin', a.adminUrl, '--admin', b.adminUrl];

  before(async () => {
    upstreams = await startUpstreams(SPECS);
    const mesh = dir.file('mesh.yaml', meshYaml(SPECS, upstreams));
    a = await startTestProxy(mesh);
    b = await startTestProxy(mesh);
  });
  after(async () => {
    await a?.close(1000);
    await b?.close(1000);
    for (const u of upstreams?.values() ?? []) await u.close();
    dir.remove();
  });
  afterEach(async () => {
    for (const p of [a, b]) {
      await send(p.adminUrl, { method: 'POST', path: '/v1/resume' });
      await send(p.adminUrl, { method: 'DELETE', path: '/v1/faults' });
    }
  });

  const faultsOn = async (p: RunningProxy) => (await send(p.adminUrl, { path: '/v1/faults' })).json<{ faults: Listed[] }>().faults;
  const add = async (file: string, ...flags: string[]) => runCli(['faults', 'add', file, ...flags]);
  const addRule = async (p: RunningProxy, rule: Record<string, unknown>) => assert.equal((await send(p.adminUrl, { method: 'POST', path: '/v1/faults', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) })).status, 201);

  it('replaces the delay an earlier faults add of VirtualService ratings made with the abort, on every proxy, and says what it replaced', async () => {
    const delay = await add(DELAY, ...admins());
    assert.equal(delay.code, 0, delay.stderr);
    const abort = await add(ABORT, ...admins());
    assert.equal(abort.code, 0, abort.stderr);
    for (const p of [a, b]) {
      assert.match(abort.stdout, new RegExp(`${p.adminUrl}: added ratings-0, expires`));
      assert.match(abort.stdout, new RegExp(`${p.adminUrl}: replaced ratings-0 \\(ratings: delay 100% where headers\\.end-user=jason\\), from an earlier faults add of VirtualService/ratings`));
      const faults = await faultsOn(p);
      assert.deepEqual(faults.map((f) => [f.id, f.abort, f.delay, f.origin]), [['ratings-0', { status: 500 }, undefined, 'VirtualService/ratings']]);
    }
    const jason = await send(a.proxyUrl, { path: '/', headers: { host: 'ratings', 'end-user': 'jason' } });
    assert.equal(jason.status, 500);
    assert.equal(jason.headers['x-faultmesh-fault'], 'ratings-0');
  });

  it('leaves alone the rules it did not make: one with its id prefix but no mark, and the faults of another VirtualService', async () => {
    await addRule(a, { id: 'ratings-1', target: 'ratings', reset: true, ttl: '1m' });
    await addRule(a, { id: 'reviews-0', target: 'reviews', abort: { status: 503 }, ttl: '1m', origin: 'VirtualService/reviews' });
    assert.equal((await add(DELAY, '--admin', a.adminUrl)).code, 0);
    const run = await add(ABORT, '--admin', a.adminUrl);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((await faultsOn(a)).map((f) => f.id).sort(), ['ratings-0', 'ratings-1', 'reviews-0']);
    assert.deepEqual((await faultsOn(a)).find((f) => f.id === 'ratings-0')?.abort, { status: 500 });
    assert.doesNotMatch(run.stdout, /replaced (ratings-1|reviews-0)/);
  });

  it('changes nothing, and names the rule, when one it did not make holds a new id', async () => {
    await addRule(a, { id: 'ratings-0', target: 'ratings', reset: true, ttl: '1m' });
    const run = await add(ABORT, ...admins());
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`${a.adminUrl}: ratings-0 is in force, and no faults add of VirtualService/ratings added it: remove it first \\(faultmesh faults rm ratings-0\\)`));
    assert.match(run.stderr, /faults add: not applied \(1 rule in .*ratings-test-abort\.yaml\)/);
    assert.deepEqual((await faultsOn(a)).map((f) => [f.id, f.reset]), [['ratings-0', true]]);
    assert.deepEqual(await faultsOn(b), []);
  });

  it('puts the old rule back, for the lease it had left, when a proxy refuses the new one: nothing is half-applied', async () => {
    assert.equal((await add(DELAY, '--admin', a.adminUrl)).code, 0);
    const [before] = await faultsOn(a);
    assert.equal((await send(b.adminUrl, { method: 'POST', path: '/v1/halt' })).status, 200);
    const run = await add(ABORT, ...admins());
    assert.equal(run.code, 1);
    assert.match(run.stderr, /FAULTS_HALTED/);
    assert.match(run.stderr, new RegExp(`${a.adminUrl}: rolled back ratings-0\\n${a.adminUrl}: put back ratings-0`));
    const [back, ...more] = await faultsOn(a);
    assert.deepEqual(more, []);
    assert.deepEqual([back?.id, back?.delay, back?.abort, back?.origin, back?.match], ['ratings-0', before!.delay, undefined, 'VirtualService/ratings', { headers: { 'end-user': 'jason' } }]);
    assert.ok(Date.parse(String(back!.expiresAt)) <= Date.parse(String(before!.expiresAt)) + 1000, 'no longer than the lease it had');
    assert.deepEqual(await faultsOn(b), []);
  });

  it("lists each rule with its match and where it came from", async () => {
    assert.equal((await add(ABORT, '--admin', a.adminUrl)).code, 0);
    const list = await runCli(['faults', 'list', '--admin', a.adminUrl]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /ratings-0 {2}target=ratings {2}abort 500 {2}100% {2}request {2}where headers\.end-user=jason {2}from VirtualService\/ratings {2}expires in \d+s {2}matched=0 hit=0 active=0/);
  });
});

describe('faultmesh faults add of a VirtualService file through the control plane', () => {
  let control: TestControl;
  before(async () => (control = await startTestControl()));
  after(async () => control?.stop());

  it('replaces the rules of the earlier faults add there too', async () => {
    assert.equal((await runCli(['faults', 'add', DELAY, '--control', control.url])).code, 0);
    const run = await runCli(['faults', 'add', ABORT, '--control', control.url]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /replaced ratings-0 \(ratings: delay 100% where headers\.end-user=jason\)/);
    const faults = (await control.call('GET', '/v1/faults')).json<{ faults: Listed[] }>().faults;
    assert.deepEqual(faults.map((f) => [f.id, f.abort, f.delay, f.origin]), [['ratings-0', { status: 500 }, undefined, 'VirtualService/ratings']]);
  });
});
