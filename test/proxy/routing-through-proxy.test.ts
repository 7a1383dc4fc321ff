import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../demo/echo-upstream.js';
import type { RunningProxy } from '../../proxy/proxy-app.js';
import { send } from '../helpers/http-client.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir, type InstanceSpec } from '../helpers/mesh-fixture.js';
import { waitFor } from '../helpers/wait.js';

async function instancesHit(proxy: RunningProxy, n: number, headers: Record<string, string>, path = '/'): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const reply = await send(proxy.proxyUrl, { path, headers });
    assert.equal(reply.status, 200, reply.text());
    const id = String(reply.headers['x-instance']);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('routing and load balancing through the proxy', () => {
  const dir = tempDir();
  const specs: InstanceSpec[] = [
    { service: 'inventory', id: 'inv-1' },
    { service: 'inventory', id: 'inv-2' },
    { service: 'inventory', id: 'inv-3' },
    { service: 'payments', id: 'pay-v1-a', labels: { version: 'v1' } },
    { service: 'payments', id: 'pay-v1-b', labels: { version: 'v1' } },
    { service: 'payments', id: 'pay-v2', labels: { version: 'v2' } },
    { service: 'search', id: 'search-fast' },
    { service: 'search', id: 'search-slow' },
  ];
  let upstreams: Map<string, EchoUpstream>;
  let proxy: RunningProxy;

  before(async () => {
    upstreams = await startUpstreams(specs);
    const yaml = meshYaml(specs, upstreams, {
      payments: [
        'routes:',
        '  - match: { headers: { x-customer-id: acme } }',
        '    to: [{ labels: { version: v2 } }]',
        '  - match: { path: /beta/* }',
        '    to: [{ labels: { version: v1 }, weight: 90 }, { labels: { version: v2 }, weight: 10 }]',
      ].join('\n'),
      search: 'policy: { loadBalancer: least-request }',
    });
    proxy = await startTestProxy(dir.file('mesh.yaml', yaml));
  });
  after(async () => {
    await proxy.close(1000);
    for (const u of upstreams.values()) await u.close();
    dir.remove();
  });

  it('spreads round-robin traffic evenly over all instances', async () => {
    const counts = await instancesHit(proxy, 30, { host: 'inventory' });
    assert.deepEqual(Object.fromEntries(counts), { 'inv-1': 10, 'inv-2': 10, 'inv-3': 10 });
  });

  it('sends a customer matched by header only to the subset its route names', async () => {
    const counts = await instancesHit(proxy, 20, { host: 'payments', 'x-customer-id': 'acme' });
    assert.deepEqual(Object.fromEntries(counts), { 'pay-v2': 20 });
  });

  it('splits a weighted route within binomial bounds', async () => {
    const n = 400;
    const counts = await instancesHit(proxy, n, { host: 'payments' }, '/beta/checkout');
    const v2 = counts.get('pay-v2') ?? 0;
    // 10% of 400: mean 40, sd 6; allow 4 sd.
    assert.ok(v2 >= 16 && v2 <= 64, `v2 got ${v2} of ${n}`);
    assert.ok((counts.get('pay-v1-a') ?? 0) > 100 && (counts.get('pay-v1-b') ?? 0) > 100, JSON.stringify(Object.fromEntries(counts)));
  });

  it('sends requests that match no route to every instance', async () => {
    const counts = await instancesHit(proxy, 30, { host: 'payments' });
    assert.equal(counts.size, 3);
  });

  it('least-request steers traffic away from an instance that is slow to answer', async () => {
    // Hold 5 requests open on search-slow, then send 20 more: least-request sees them in flight.
    const slow = upstreams.get('search-slow')!;
    slow.server.prependListener('request', (req) => {
      if (req.url === '/') req.url = '/?delay=400';
    });
    const before = slow.received();
    const held = Array.from({ length: 5 }, () => send(proxy.proxyUrl, { path: '/', headers: { host: 'search' } }));
    await waitFor(() => slow.received() > before, 'search-slow holds requests open');
    const counts = await instancesHit(proxy, 20, { host: 'search' }, '/quick');
    await Promise.all(held);
    assert.equal(counts.get('search-fast'), 20, JSON.stringify(Object.fromEntries(counts)));
  });
});
