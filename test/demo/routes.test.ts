import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { shopRoutes, type InstanceInfo } from '../../demo/shop/routes.js';
import { send } from '../helpers/http-client.js';

/** One shop instance on a loopback port the OS picks, with no sidecar (these routes call nobody). */
async function serve(me: Omit<InstanceInfo, 'sidecar' | 'region' | 'zone'>): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(shopRoutes({ ...me, region: 'eu-west', zone: 'eu-west-1a', sidecar: () => undefined }));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the shop\'s v1 and v2 releases', () => {
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  before(async () => {
    for (const [key, me] of Object.entries({
      catalogV1: { service: 'catalog', id: 'catalog-eu-1', version: 'v1' },
      catalogV2: { service: 'catalog', id: 'catalog-v2', version: 'v2' },
      paymentsV2: { service: 'payments', id: 'payments-v2', version: 'v2' },
    })) {
      const s = await serve(me);
      servers.push(s.server);
      urls[key] = s.url;
    }
  });
  after(() => {
    for (const s of servers) {
      s.close();
      s.closeAllConnections();
    }
  });

  const statuses = async (url: string, n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await send(url, { path: `/items/${(i % 5) + 1}` })).status);
    return out;
  };

  it('catalog v2 fails exactly every 10th item it serves with a 500, so the canary\'s verdict is the same every run', async () => {
    const got = await statuses(urls.catalogV2!, 30);
    assert.deepEqual(got.map((s, i) => (s === 500 ? i + 1 : 0)).filter(Boolean), [10, 20, 30]);
    assert.ok(got.every((s) => s === 200 || s === 500));
    await statuses(urls.catalogV2!, 9);
    const failed = await send(urls.catalogV2!, { path: '/items/1' });
    assert.equal(failed.status, 500, 'the 40th');
    assert.equal(failed.json<{ version: string }>().version, 'v2', 'the failure names the release that made it');
  });

  it('catalog v1 serves every item, and names its version', async () => {
    assert.deepEqual(new Set(await statuses(urls.catalogV1!, 30)), new Set([200]));
    const item = (await send(urls.catalogV1!, { path: '/items/3' })).json<{ name: string; version: string; instance: string }>();
    assert.deepEqual([item.name, item.version, item.instance], ['teapot', 'v1', 'catalog-eu-1']);
  });

  it('payments answers a quote without a body (the canary\'s load), with its fee and the version that served it', async () => {
    const quote = await send(urls.paymentsV2!, { path: '/quote?amount=10' });
    assert.equal(quote.status, 200);
    assert.deepEqual(quote.json(), { amount: 10, fee: 0.59, calledBy: null, instance: 'payments-v2', region: 'eu-west', version: 'v2' });
    assert.equal((await send(urls.paymentsV2!, { path: '/quote?amount=lots' })).status, 400);
    const charge = await send(urls.paymentsV2!, { method: 'POST', path: '/charge', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 12, idempotencyKey: 'k1' }) });
    assert.equal(charge.json<{ charged: number; version: string }>().charged, 12, 'v2 is a good release: it charges as v1 does');
  });

  it('payments says who called it, as its sidecar names the verified caller in x-faultmesh-source', async () => {
    const quote = await send(urls.paymentsV2!, { path: '/quote?amount=1', headers: { 'x-faultmesh-source': 'checkout' } });
    assert.equal(quote.json<{ calledBy: string }>().calledBy, 'checkout');
    const charge = await send(urls.paymentsV2!, { method: 'POST', path: '/charge', headers: { 'content-type': 'application/json', 'x-faultmesh-source': 'checkout' }, body: JSON.stringify({ amount: 3, idempotencyKey: 'k2' }) });
    assert.equal(charge.json<{ calledBy: string }>().calledBy, 'checkout');
  });
});
