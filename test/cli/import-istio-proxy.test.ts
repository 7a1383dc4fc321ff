import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { EchoUpstream } from '../../demo/echo-upstream.js';
import type { RunningProxy } from '../../proxy/proxy-app.js';
import { loadExperiment } from '../../runner/experiment/load-experiment.js';
import { runExperiment } from '../../runner/run-experiment.js';
import { runCli } from '../helpers/cli.js';
import { send } from '../helpers/http-client.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir, type InstanceSpec } from '../helpers/mesh-fixture.js';
import { waitFor } from '../helpers/wait.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/istio/${name}`, import.meta.url));
const TOKEN = 'istio-test-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** The Bookinfo services the Istio files route: ratings v1 and v2, reviews v1 and v2. */
const SPECS: InstanceSpec[] = [
  { service: 'ratings', id: 'ratings-v1', labels: { version: 'v1' } },
  { service: 'ratings', id: 'ratings-v2', labels: { version: 'v2' } },
  { service: 'reviews', id: 'reviews-v1', labels: { version: 'v1' } },
  { service: 'reviews', id: 'reviews-v2', labels: { version: 'v2' } },
];

describe('Istio files translated by faultmesh, on a real proxy', () => {
  const dir = tempDir();
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  let upstreams: Map<string, EchoUpstream>;
  let proxy: RunningProxy;
  const faultsFile = `${dir.path}/faults.yaml`;

  before(async () => {
    upstreams = await startUpstreams(SPECS);
    // The instances live in our own mesh file; the import writes Istio's routes and policies into it.
    const base = dir.file('base.yaml', meshYaml(SPECS, upstreams));
    const out = `${dir.path}/mesh.yaml`;
    const files = ['destination-rules.yaml', 'ratings-test-abort.yaml', 'reviews-90-10.yaml'].map(fixture);
    const run = await runCli(['import', 'istio', ...files, '--merge', base, '--out', out, '--faults-out', faultsFile]);
    assert.equal(run.code, 0, run.stderr);
    proxy = await startTestProxy(out, { adminToken: TOKEN });
  });
  after(async () => {
    agent.destroy();
    await proxy?.close(1000);
    for (const u of upstreams?.values() ?? []) await u.close();
    dir.remove();
  });

  const call = (service: string, user?: string) => send(proxy.proxyUrl, { path: '/', headers: { host: service, ...(user ? { 'end-user': user } : {}) }, agent });
  const clearFaults = async () => assert.equal((await send(proxy.adminUrl, { method: 'DELETE', path: '/v1/faults', headers: AUTH })).status, 200);
  const faultsAdd = async (file: string, ...flags: string[]) => {
    const run = await runCli(['faults', 'add', file, '--admin', proxy.adminUrl, '--token', TOKEN, ...flags]);
    assert.equal(run.code, 0, run.stderr);
    return run;
  };
  const liveSpecs = async () =>
    (await send(proxy.adminUrl, { path: '/v1/faults' })).json<{ faults: Array<Record<string, unknown>> }>().faults.map(({ createdAt: _c, expiresAt: _e, counts: _n, ...spec }) => spec);

  /** What jason and another user get from ratings over `n` calls each. */
  async function outcomes(n: number) {
    const jason: number[] = [];
    const others: string[] = [];
    for (let i = 0; i < n; i++) {
      const j = await call('ratings', 'jason');
      jason.push(j.status);
      if (j.status === 500) assert.equal(j.headers['x-faultmesh-fault'], 'ratings-0', 'the proxy marks the abort it made up');
      const o = await call('ratings', 'ann');
      assert.equal(o.headers['x-faultmesh-fault'], undefined);
      others.push(`${o.status} ${String(o.headers['x-instance'])}`);
    }
    return { jason, others };
  }

  it("aborts only jason's calls to ratings with the rules import wrote; everyone else reaches ratings v1", async () => {
    const run = await faultsAdd(faultsFile);
    assert.match(run.stdout, /added ratings-0, expires/);
    const { jason, others } = await outcomes(20);
    assert.deepEqual(new Set(jason), new Set([500]));
    assert.deepEqual(new Set(others), new Set(['200 ratings-v1']), 'the route of the VirtualService sends everyone else to subset v1 only');
    await clearFaults();
  });

  it('does the same with the VirtualService file itself given to faults add, as the same rule marked as from its VirtualService', async () => {
    await faultsAdd(faultsFile);
    const fromImport = await liveSpecs();
    await clearFaults();
    await faultsAdd(fixture('ratings-test-abort.yaml'), '--ttl', '10m');
    assert.deepEqual(await liveSpecs(), fromImport.map((spec) => ({ ...spec, origin: 'VirtualService/ratings' })));
    const { jason, others } = await outcomes(10);
    assert.deepEqual(new Set(jason), new Set([500]));
    assert.deepEqual(new Set(others), new Set(['200 ratings-v1']));
    await clearFaults();
  });

  it("delays jason's calls by the VirtualService's fixedDelay, and no one else's", async () => {
    await faultsAdd(fixture('ratings-test-delay.yaml'));
    const timed = async (user: string) => {
      const start = performance.now();
      const r = await call('ratings', user);
      return { r, ms: performance.now() - start };
    };
    const jason = await timed('jason');
    assert.equal(jason.r.status, 200);
    assert.equal(jason.r.headers['x-faultmesh-fault'], 'ratings-0');
    assert.ok(jason.ms >= 590, `jason waited ${jason.ms.toFixed(0)}ms, the delay is 600ms`);
    const ann = await call('ratings', 'ann');
    assert.equal(ann.headers['x-faultmesh-fault'], undefined);
    const [rule] = (await send(proxy.adminUrl, { path: '/v1/faults' })).json<{ faults: Array<{ counts: { matched: number; hit: number } }> }>().faults;
    assert.deepEqual(rule?.counts, { matched: 1, hit: 1, active: 0 }, "only jason's call matched the rule");
    await clearFaults();
  });

  it('splits reviews 90/10 between v1 and v2 within a 99.9% binomial interval over 1000 calls (seeded)', async () => {
    const n = 1000;
    let v2 = 0;
    for (let i = 0; i < n; i++) {
      const r = await call('reviews');
      assert.equal(r.status, 200);
      if (r.headers['x-instance'] === 'reviews-v2') v2++;
      else assert.equal(r.headers['x-instance'], 'reviews-v1');
    }
    // Binomial(1000, 0.1): mean 100, sd 9.49; z = 3.29 for 99.9% two-sided.
    const half = 3.2905 * Math.sqrt(n * 0.1 * 0.9);
    assert.ok(Math.abs(v2 - n * 0.1) <= half, `v2 took ${v2} of ${n}, outside ${(100 - half).toFixed(0)}..${(100 + half).toFixed(0)}`);
  });

  it("runs an experiment's istio fault block under the runner's lease, and removes it after its duration", async () => {
    const file = dir.file(
      'experiment.yaml',
      `title: jason's ratings fail
method:
  - type: action
    name: jason-500
    provider:
      type: fault
      admin: ${proxy.adminUrl}
      token: ${TOKEN}
      duration: 2s
      istio:
        host: ratings
        match: [{ headers: { end-user: { exact: jason } } }]
        fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }
`,
    );
    const journal = runExperiment(loadExperiment(file, { env: {} }), { leaseMs: 1500 });
    await waitFor(async () => (await liveSpecs()).length === 1, 'the fault is on the proxy');
    assert.equal((await call('ratings', 'jason')).status, 503);
    assert.equal((await call('ratings', 'ann')).status, 200);
    const done = await journal;
    assert.equal(done.status, 'completed', JSON.stringify(done.errors ?? done));
    assert.deepEqual(done.faults.map((f) => f.state), ['removed']);
    assert.ok((done.faults[0]!.counts?.hit ?? 0) >= 1);
    assert.deepEqual(await liveSpecs(), [], 'the run removed its fault');
  });
});
