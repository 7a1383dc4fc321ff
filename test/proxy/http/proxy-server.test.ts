import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { faultAbort } from '../../../proxy/errors.js';
import type { Handler } from '../../../proxy/http/call.js';
import { createProxyServer, type ProxyServer } from '../../../proxy/http/proxy-server.js';
import { send } from '../../helpers/http-client.js';

describe('proxy listener', () => {
  let server: ProxyServer;
  let url: string;
  // What the stack does for each request, chosen by the test through the path.
  const handler: Handler = async (call) => {
    if (call.path === '/throws') throw new Error('a bug in a layer');
    if (call.path === '/bad-header') return { kind: 'error', error: faultAbort('r', 503, 'x', { 'not a token': 'v' }) };
    return { kind: 'error', error: faultAbort('r', 418, 'fine') };
  };

  before(async () => {
    server = createProxyServer({ handler, service: undefined });
    server.server.listen(0, '127.0.0.1');
    await once(server.server, 'listening');
    url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  after(() => server.shutdown(100));

  it('answers 500 PROXY_INTERNAL when a layer throws, and keeps serving', async () => {
    const reply = await send(url, { path: '/throws', headers: { host: 'svc' } });
    assert.equal(reply.status, 500);
    assert.equal(reply.headers['x-faultmesh-error'], 'PROXY_INTERNAL');
    assert.equal((await send(url, { path: '/ok', headers: { host: 'svc' } })).status, 418);
  });

  it('answers 500 when writing the response itself fails, instead of crashing', async () => {
    const reply = await send(url, { path: '/bad-header', headers: { host: 'svc' } });
    assert.equal(reply.status, 500);
    assert.equal(reply.headers['x-faultmesh-error'], 'PROXY_INTERNAL');
    assert.equal((await send(url, { path: '/ok', headers: { host: 'svc' } })).status, 418);
  });
});
