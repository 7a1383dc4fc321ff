import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import { startProxy, type RunningProxy } from '../../../proxy/proxy-app.js';
import { send, type Reply } from '../../helpers/http-client.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir, type InstanceSpec } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { startStandInControl } from '../sources/control/stand-in-control.js';

const TOKEN = 'override-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const specs: InstanceSpec[] = [
  { service: 'catalog', id: 'cat-v1', labels: { version: 'v1' } },
  { service: 'catalog', id: 'cat-v2', labels: { version: 'v2' } },
];
/** Route 0 has one subset, route 1 denies, route 2 splits: all to v1, v2 waiting at weight 0. */
const routes = (split = '[{ labels: { version: v1 }, weight: 100 }, { labels: { version: v2 }, weight: 0 }]') =>
  ['routes:', '  - match: { path: /one }', '    to: [{ labels: { version: v1 } }]', '  - match: { path: /private }', '    deny: 403', `  - to: ${split}`].join('\n');

const canary = (weight: number) => [
  { labels: { version: 'v1' }, weight: 100 - weight },
  { labels: { version: 'v2' }, weight },
];

interface Described {
  service: string;
  route: number;
  to: Array<{ labels: Record<string, string>; weight: number }>;
  by?: string;
  at: string;
  expiresAt: string;
  remainingMs: number;
}

describe('route overrides on a proxy\'s admin API', () => {
  const dir = tempDir();
  let upstreams: Map<string, EchoUpstream>;
  let meshFile: string;
  let proxy: RunningProxy;
  let now = 1_800_000_000_000;

  const put = (service: string, route: string | number, body: unknown, headers: Record<string, string> = AUTH): Promise<Reply> =>
    send(proxy.adminUrl, { method: 'PUT', path: `/v1/overrides/${service}/${route}`, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const listed = async () => (await send(proxy.adminUrl, { path: '/v1/overrides' })).json<{ overrides: Described[] }>().overrides;
  /** Sends `n` calls on the split route and counts them by the instance that answered. */
  const countByInstance = async (n: number) => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const reply = await send(proxy.proxyUrl, { headers: { host: 'catalog' } });
      assert.equal(reply.status, 200);
      const id = String(reply.headers['x-instance']);
      counts[id] = (counts[id] ?? 0) + 1;
    }
    return counts;
  };

  before(async () => {
    upstreams = await startUpstreams(specs);
    meshFile = dir.file('mesh.yaml', meshYaml(specs, upstreams, { catalog: routes() }));
  });
  afterEach(async () => {
    await proxy?.close(500);
  });
  after(async () => {
    for (const u of upstreams.values()) await u.close();
    dir.remove();
  });

  const start = async (options: Parameters<typeof startTestProxy>[1] = {}) => {
    writeFileSync(meshFile, meshYaml(specs, upstreams, { catalog: routes() }));
    proxy = await startTestProxy(meshFile, { adminToken: TOKEN, now: () => now, maxFaultTtlMs: 60_000, ...options });
  };

  it('changes the split until its ttl ends, then the mesh file\'s weights come back by themselves', async () => {
    await start();
    assert.deepEqual(await countByInstance(50), { 'cat-v1': 50 }, 'weight 0: the canary gets nothing');

    const reply = await put('catalog', 2, { to: canary(30), ttl: '30s', by: 'canary:catalog-v2' });
    assert.equal(reply.status, 200, reply.text());
    const body = reply.json<{ override: Described; warning?: string }>();
    assert.deepEqual(body.override, {
      service: 'catalog',
      route: 2,
      to: canary(30),
      by: 'canary:catalog-v2',
      at: new Date(now).toISOString(),
      expiresAt: new Date(now + 30_000).toISOString(),
      remainingMs: 30_000,
    });
    assert.equal(body.warning, undefined);

    const split = await countByInstance(200);
    // 30% of 200 is 60, sd 6.5: four sd either side.
    assert.ok(split['cat-v2']! >= 34 && split['cat-v2']! <= 86, JSON.stringify(split));
    assert.equal(split['cat-v1']! + split['cat-v2']!, 200);
    const shown = (await send(proxy.adminUrl, { path: '/v1/routes' })).json<{ services: Array<{ routes: Array<{ to?: Array<{ weight: number }> }> }> }>();
    assert.deepEqual(shown.services[0]!.routes[2]!.to!.map((s) => s.weight), [70, 30], '/v1/routes shows the weights in force');

    now += 10_000;
    assert.deepEqual((await listed()).map((o) => [o.route, o.remainingMs]), [[2, 20_000]]);
    now += 20_000;
    assert.deepEqual(await countByInstance(50), { 'cat-v1': 50 }, 'the ttl ran out: the file\'s weights again');
    assert.deepEqual(await listed(), []);
  });

  it('ends on the real clock too, with nothing to sweep it', async () => {
    await start({ now: Date.now });
    assert.equal((await put('catalog', 2, { to: canary(100), ttl: '300ms' })).status, 200);
    assert.deepEqual(await countByInstance(5), { 'cat-v2': 5 });
    await waitFor(async () => (await countByInstance(1))['cat-v1'] === 1, 'the route is back on the file\'s weights');
    assert.deepEqual(await listed(), []);
  });

  it('renews when put again, caps the ttl at --max-fault-ttl, and ends at once on DELETE', async () => {
    await start();
    assert.equal((await put('catalog', 2, { to: canary(100), ttl: '10s' })).status, 200);
    now += 8_000;
    assert.equal((await put('catalog', 2, { to: canary(100), ttl: '10s' })).status, 200);
    now += 8_000;
    assert.deepEqual(await countByInstance(3), { 'cat-v2': 3 }, 'renewed: still in force 16 s after the first put');

    const capped = await put('catalog', 2, { to: canary(50), ttl: '2h' });
    assert.equal(capped.json<{ override: Described }>().override.remainingMs, 60_000);
    assert.equal(capped.json().warning, 'ttl capped to 1m (--max-fault-ttl)');

    const removed = await send(proxy.adminUrl, { method: 'DELETE', path: '/v1/overrides/catalog/2', headers: AUTH });
    assert.deepEqual(removed.json(), { removed: 'catalog/2' });
    assert.deepEqual(await countByInstance(5), { 'cat-v1': 5 });
    const again = await send(proxy.adminUrl, { method: 'DELETE', path: '/v1/overrides/catalog/2', headers: AUTH });
    assert.equal(again.status, 404);
    assert.equal(again.json().code, 'OVERRIDE_NOT_FOUND');
  });

  it('needs the admin token to put or delete, not to list', async () => {
    await start();
    const refused = await put('catalog', 2, { to: canary(50), ttl: '10s' }, {});
    assert.equal(refused.status, 401);
    assert.equal(refused.json().code, 'UNAUTHORIZED');
    assert.equal((await put('catalog', 2, { to: canary(50), ttl: '10s' }, { authorization: 'Bearer wrong' })).status, 401);
    assert.equal((await send(proxy.adminUrl, { method: 'DELETE', path: '/v1/overrides/catalog/2' })).status, 401);
    assert.equal((await send(proxy.adminUrl, { path: '/v1/overrides' })).status, 200);
    assert.deepEqual(await listed(), [], 'nothing was applied');
  });

  const refusals: Array<[string, string | number, unknown, RegExp, string]> = [
    ['a route with one subset', 0, { to: canary(50), ttl: '10s' }, /route 0 of service "catalog" does not split/, 'route'],
    ['a deny route', 1, { to: canary(50), ttl: '10s' }, /the mesh has no route 1 with "to" in service "catalog"/, 'route'],
    ['a route that is not there', 7, { to: canary(50), ttl: '10s' }, /no route 7 with "to"/, 'route'],
    ['a service that is not there', 0, { to: canary(50), ttl: '10s' }, /no route 0 with "to" in service "nosuch"/, 'route'],
    ['a route that is not an index', 'first', { to: canary(50), ttl: '10s' }, /route "first" is not a route index/, 'route'],
    ['weights that are all 0', 2, { to: canary(0).map((s) => ({ ...s, weight: 0 })), ttl: '10s' }, /override refused/, 'to'],
    ['no ttl', 2, { to: canary(50) }, /override refused/, 'ttl'],
    ['a lease', 2, { to: canary(50), ttl: '10s', lease: 'abc' }, /override refused/, 'lease'],
    ['a weighted subset no instance has', 2, { to: [{ labels: { version: 'v1' }, weight: 50 }, { labels: { version: 'v3' }, weight: 50 }], ttl: '10s' }, /no instance of "catalog" has labels \{"version":"v3"\}/, 'to[1].labels'],
  ];
  for (const [what, route, body, message, field] of refusals) {
    it(`refuses ${what} with 400, naming the ${field}`, async () => {
      await start();
      const service = what.startsWith('a service') ? 'nosuch' : 'catalog';
      const reply = await put(service, route, body);
      assert.equal(reply.status, 400, reply.text());
      const answer = reply.json<{ code: string; message: string; errors: Array<{ field: string; message: string }> }>();
      assert.equal(answer.code, 'INVALID_OVERRIDE');
      assert.match(`${answer.message} ${JSON.stringify(answer.errors)}`, message);
      assert.ok(answer.errors.some((e) => e.field === field), JSON.stringify(answer.errors));
      assert.deepEqual(await listed(), []);
    });
  }

  it('keeps a live override across a reload, and drops it when its route no longer splits', async () => {
    await start();
    assert.equal((await put('catalog', 2, { to: canary(100), ttl: '30s', by: 'me' })).status, 200);
    writeFileSync(meshFile, meshYaml(specs, upstreams, { catalog: routes('[{ labels: { version: v1 }, weight: 90 }, { labels: { version: v2 }, weight: 10 }]') }));
    assert.deepEqual(proxy.reload!(), { ok: true, services: 1 });
    assert.deepEqual(await countByInstance(5), { 'cat-v2': 5 }, 'the override still applies on the new mesh');
    assert.deepEqual((await listed()).map((o) => o.by), ['me']);

    writeFileSync(meshFile, meshYaml(specs, upstreams, { catalog: routes('[{ labels: { version: v1 } }]') }));
    assert.deepEqual(proxy.reload!(), { ok: true, services: 1 });
    assert.deepEqual(await listed(), [], 'route 2 no longer splits: the override is gone');
    assert.deepEqual(await countByInstance(5), { 'cat-v1': 5 });
  });
});

describe('route overrides on a proxy managed by a control plane', () => {
  it('answers writes 409 MANAGED_BY_CONTROL, and applies a pushed override with a weight-0 subset', async () => {
    const dir = tempDir();
    const upstreams = await startUpstreams(specs);
    const text = meshYaml(specs, upstreams, { catalog: routes('[{ labels: { version: v1 }, weight: 50 }, { labels: { version: v2 }, weight: 50 }]') });
    const control = await startStandInControl({ initial: { version: 1, mesh: { text, file: 'mesh.yaml' } } });
    const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, accessLog: { kind: 'off' }, control: { urls: [control.url], id: 'managed-1' } });
    try {
      await waitFor(() => control.acks.length === 1, 'the mesh is acknowledged');
      const refused = await send(proxy.adminUrl, { method: 'PUT', path: '/v1/overrides/catalog/2', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: canary(50), ttl: '10s' }) });
      assert.equal(refused.status, 409);
      assert.equal(refused.json().code, 'MANAGED_BY_CONTROL');
      assert.match(String(refused.json().message), new RegExp(control.url.replace(/\./g, '\\.')));
      assert.equal((await send(proxy.adminUrl, { method: 'DELETE', path: '/v1/overrides/catalog/2' })).status, 409);

      control.push({ version: 2, mesh: { text, file: 'mesh.yaml' }, overrides: [{ service: 'catalog', route: 2, to: canary(0), remainingMs: 60_000 }] });
      await waitFor(() => control.acks.length === 2, 'the override is acknowledged');
      assert.deepEqual(control.acks[1], { version: 2, applied: true });
      for (let i = 0; i < 5; i++) assert.equal((await send(proxy.proxyUrl, { headers: { host: 'catalog' } })).headers['x-instance'], 'cat-v1', 'the canary at weight 0 gets nothing');
    } finally {
      await proxy.close(500);
      await control.close();
      for (const u of upstreams.values()) await u.close();
      dir.remove();
    }
  });
});
