import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { AUTH, faulted, startFaultFixture, type FaultFixture } from '../../helpers/fault-fixture.js';
import { send } from '../../helpers/http-client.js';
import { startMeshFixture, type MeshFixture } from '../../helpers/mesh-fixture.js';

/** A 0 ms delay faults a request without changing its answer, so we still see which instance served it. */
const marker = { delay: { fixed: '0ms' } };

describe('fault matching', () => {
  let f: FaultFixture;
  before(async () => (f = await startFaultFixture()));
  afterEach(() => f.clearFaults());
  after(() => f.stop());

  /** Sends `n` requests; returns, per instance, how many were faulted and how many not. */
  async function byInstance(n: number, headers: Record<string, string> = {}, path = '/', method = 'GET') {
    const seen: Record<string, { faulted: number; clean: number }> = {};
    for (let i = 0; i < n; i++) {
      const reply = await f.call(path, headers, method);
      assert.equal(reply.status, 200);
      const s = (seen[String(reply.headers['x-instance'])] ??= { faulted: 0, clean: 0 });
      if (faulted(reply)) s.faulted++;
      else s.clean++;
    }
    return seen;
  }

  it('hosts: faults one instance while the other stays clean', async () => {
    await f.addFault({ target: 'payments', match: { hosts: ['pay-1'] }, ...marker });
    assert.deepEqual(await byInstance(6), { 'pay-1': { faulted: 3, clean: 0 }, 'pay-2': { faulted: 0, clean: 3 } });
  });

  it('hosts: also takes an instance address', async () => {
    await f.addFault({ target: 'payments', match: { hosts: [`127.0.0.1:${f.upstreams.get('pay-2')!.port}`] }, ...marker });
    assert.deepEqual(await byInstance(4), { 'pay-1': { faulted: 0, clean: 2 }, 'pay-2': { faulted: 2, clean: 0 } });
  });

  it('regions: matches the chosen instance\'s region', async () => {
    await f.addFault({ target: 'payments', match: { regions: ['us-east'] }, ...marker });
    assert.deepEqual(await byInstance(4), { 'pay-1': { faulted: 0, clean: 2 }, 'pay-2': { faulted: 2, clean: 0 } });
  });

  it('zones: matches the chosen instance\'s zone', async () => {
    await f.addFault({ target: 'payments', match: { zones: ['eu-west-1a'] }, ...marker });
    assert.deepEqual(await byInstance(4), { 'pay-1': { faulted: 2, clean: 0 }, 'pay-2': { faulted: 0, clean: 2 } });
  });

  const requestMatchers: Array<[string, Record<string, unknown>, () => Promise<unknown>, () => Promise<unknown>]> = [
    ['customers', { customers: ['acme'] }, () => f.call('/', { 'x-customer-id': 'acme' }), () => f.call('/', { 'x-customer-id': 'globex' })],
    ['sources', { sources: ['checkout'] }, () => f.call('/', { 'x-faultmesh-source': 'checkout' }), () => f.call('/', { 'x-faultmesh-source': 'frontend' })],
    ['paths', { paths: ['/api/pay/*'] }, () => f.call('/api/pay/42?x=1'), () => f.call('/api/refund/42')],
    ['methods', { methods: ['POST'] }, () => f.call('/', {}, 'POST'), () => f.call('/')],
    ['headers', { headers: { 'x-debug': '1' } }, () => f.call('/', { 'x-debug': '1' }), () => f.call('/', { 'x-debug': '0' })],
  ];
  for (const [name, match, hit, miss] of requestMatchers) {
    it(`${name}: faults matching requests only`, async () => {
      const id = await f.addFault({ target: 'payments', match, ...marker });
      assert.equal(faulted((await hit()) as never), true, 'the matching request was faulted');
      assert.equal(faulted((await miss()) as never), false, 'the other request was not');
      const counts = (await send(f.proxy.adminUrl, { path: `/v1/faults/${id}` })).json<{ counts: { matched: number; hit: number } }>().counts;
      assert.deepEqual(counts, { matched: 1, hit: 1, active: 0 } as never);
    });
  }

  it('combined matchers must all hold', async () => {
    await f.addFault({ target: 'payments', match: { regions: ['eu-west'], methods: ['POST'] }, ...marker });
    assert.deepEqual(await byInstance(4, {}, '/', 'POST'), { 'pay-1': { faulted: 2, clean: 0 }, 'pay-2': { faulted: 0, clean: 2 } });
    assert.deepEqual(await byInstance(4), { 'pay-1': { faulted: 0, clean: 2 }, 'pay-2': { faulted: 0, clean: 2 } });
  });

  it('"*" aims at every service', async () => {
    await f.addFault({ target: '*', abort: { status: 418 } });
    assert.equal((await f.call()).status, 418);
  });

  it('percentage faults a share of matching requests within binomial bounds', async () => {
    await f.addFault({ target: 'payments', percentage: 30, ...marker });
    const n = 300;
    let hits = 0;
    for (let i = 0; i < n; i++) if (faulted(await f.call())) hits++;
    // mean 90, sd 7.9: four sd either side
    assert.ok(hits >= 58 && hits <= 122, `${hits} of ${n} faulted at 30%`);
  });

  it('a seed makes the same request sequence hit the same requests', async () => {
    const pattern = async () => {
      const id = await f.addFault({ id: 'seeded', target: 'payments', percentage: 50, seed: 7, ...marker });
      let bits = '';
      for (let i = 0; i < 40; i++) bits += faulted(await f.call()) ? '1' : '0';
      await send(f.proxy.adminUrl, { method: 'DELETE', path: `/v1/faults/${id}`, headers: AUTH });
      return bits;
    };
    const first = await pattern();
    assert.equal(await pattern(), first);
    assert.ok(first.includes('0') && first.includes('1'), first);
    const ones = [...first].filter((c) => c === '1').length;
    assert.ok(ones > 8 && ones < 32, `${ones} of 40 at 50%`);
  });
});

describe('fault matching by instance labels', () => {
  let m: MeshFixture;
  before(async () => {
    m = await startMeshFixture(
      [
        { service: 'catalog', id: 'cat-v1', labels: { version: 'v1', track: 'stable' } },
        { service: 'catalog', id: 'cat-v2', labels: { version: 'v2', track: 'canary' } },
      ],
      { proxy: { adminToken: 'labels-token' } },
    );
  });
  after(() => m.stop());

  it('faults only the instances that have every label given, with the same values', async () => {
    const add = (labels: Record<string, string>) =>
      send(m.proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: { authorization: 'Bearer labels-token', 'content-type': 'application/json' }, body: JSON.stringify({ target: 'catalog', match: { labels }, abort: { status: 503 }, ttl: '60s' }) });
    assert.equal((await add({ version: 'v2', track: 'stable' })).status, 201, 'a rule no instance fully matches');
    assert.equal((await add({ version: 'v2' })).status, 201);
    const seen: Record<string, number[]> = {};
    for (let i = 0; i < 8; i++) {
      const reply = await send(m.proxy.proxyUrl, { headers: { host: 'catalog' } });
      const instance = faulted(reply) ? 'faulted' : String(reply.headers['x-instance']);
      (seen[instance] ??= []).push(reply.status);
    }
    // Round-robin: half the calls go to each instance; the v2 ones are all faulted, the v1 ones never.
    assert.deepEqual(seen, { 'cat-v1': [200, 200, 200, 200], faulted: [503, 503, 503, 503] });
  });
});
