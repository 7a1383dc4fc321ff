import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { IssuedIdentity } from '../../../control/ca/authority.js';
import { rawClient, rawExchange } from '../../helpers/raw-socket.js';
import { waitFor } from '../../helpers/wait.js';
import { sample } from '../../helpers/metrics.js';
import { startInbound, twoCas, type InboundFixture } from './inbound-fixture.js';

describe('an inbound sidecar in permissive mode (a service migrating to mTLS)', () => {
  let cas: Awaited<ReturnType<typeof twoCas>>;
  let f: InboundFixture;
  let checkout: IssuedIdentity;

  before(async () => {
    cas = await twoCas();
    checkout = await cas.ca.issue({ service: 'checkout' });
    f = await startInbound(cas.ca, { mode: 'permissive' });
  });
  after(async () => {
    await f.close();
    cas.remove();
  });

  it('serves plaintext callers, counts their requests, and passes no identity to the app whatever they claim', async () => {
    const answer = await rawExchange(f.port, 'GET /api/charge HTTP/1.1\r\nhost: payments\r\nx-faultmesh-source: checkout\r\nconnection: close\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 200 /);
    assert.match(answer, /\{"source":null,"peer":null\}$/);
    assert.equal(f.seen.at(-1)!.headers['x-faultmesh-source'], undefined);
    const text = await f.metricsText();
    assert.equal(sample(text, 'faultmesh_inbound_plaintext_total', { destination: 'payments' }), 1);
    assert.equal(sample(text, 'faultmesh_inbound_requests_total', { source: 'unauthenticated', destination: 'payments', code: '200' }), 1);
  });

  it('keeps a plaintext connection alive across requests, each counted', async () => {
    const two = 'GET /api/a HTTP/1.1\r\nhost: payments\r\n\r\nGET /api/b HTTP/1.1\r\nhost: payments\r\nconnection: close\r\n\r\n';
    const answer = await rawExchange(f.port, two);
    assert.equal(answer.match(/HTTP\/1\.1 200 /g)?.length, 2);
    assert.equal(sample(await f.metricsText(), 'faultmesh_inbound_plaintext_total', { destination: 'payments' }), 3);
  });

  it('serves a keep-alive plaintext client whose second request comes after the first answer', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      for (let i = 0; i < 3; i++) {
        const status = await new Promise<number>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: f.port, path: `/api/${i}`, agent }, (res) => {
            sockets.add(res.socket);
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          });
          req.on('error', reject);
          req.end();
        });
        assert.equal(status, 200);
      }
      assert.equal(sockets.size, 1, 'one connection served all three');
    } finally {
      agent.destroy();
    }
  });

  it('still verifies mTLS callers, and does not count them as plaintext', async () => {
    const reply = await f.call(checkout);
    assert.equal(reply.status, 200);
    assert.deepEqual(JSON.parse(reply.body), { source: 'checkout', peer: 'spiffe://faultmesh.local/service/checkout' });
    assert.equal(sample(await f.metricsText(), 'faultmesh_inbound_plaintext_total', { destination: 'payments' }), 6);
    await assert.rejects(f.call(await cas.other.issue({ service: 'checkout' })), 'a certificate of another CA is still refused');
  });

  it('lets a policy naming callers refuse plaintext ones, while a rule without `from` serves them', async () => {
    f.setPolicy({ allow: [{ from: ['checkout'] }, { paths: ['/health'] }] });
    try {
      const refused = await rawExchange(f.port, 'GET /api/charge HTTP/1.1\r\nhost: payments\r\nconnection: close\r\n\r\n');
      assert.match(refused, /^HTTP\/1\.1 403 /);
      assert.match(refused, /x-faultmesh-error: FORBIDDEN/);
      assert.match(refused, /a caller without a verified identity may not call service/);
      assert.equal(sample(await f.metricsText(), 'faultmesh_authz_denied_total', { destination: 'payments', source: 'unauthenticated' }), 1);
      assert.match(await rawExchange(f.port, 'GET /health HTTP/1.1\r\nhost: payments\r\nconnection: close\r\n\r\n'), /^HTTP\/1\.1 200 /);
      assert.equal((await f.call(checkout, '/api/charge')).status, 200);
    } finally {
      f.setPolicy(undefined);
    }
  });

  it('answers a request the parser refuses with 400, on a plaintext connection', async () => {
    assert.match(await rawExchange(f.port, 'NOT HTTP\r\n\r\n'), /^HTTP\/1\.1 400 [\s\S]*x-faultmesh-error: BAD_REQUEST/);
  });

  it('answers a connection beyond --max-connections with 503, and serves again once one closes', async () => {
    const g = await startInbound(cas.ca, { mode: 'permissive', limits: { headersTimeoutMs: 5_000, requestTimeoutMs: 0, idleTimeoutMs: 60_000, maxConnections: 1 } });
    try {
      const first = await rawClient(g.port);
      first.socket.write('GET /api/a HTTP/1.1\r\nhost: payments\r\n\r\n');
      await waitFor(() => /\r\n\r\n\{/.test(first.received()), 'the first connection is served and kept open');
      assert.match(await rawExchange(g.port, 'GET /api/b HTTP/1.1\r\nhost: payments\r\n\r\n'), /^HTTP\/1\.1 503 [\s\S]*x-faultmesh-error: TOO_MANY_CONNECTIONS/);
      first.socket.destroy();
      await waitFor(async () => /^HTTP\/1\.1 200 /.test(await rawExchange(g.port, 'GET /api/c HTTP/1.1\r\nhost: payments\r\nconnection: close\r\n\r\n')), 'a new connection is served');
    } finally {
      await g.close();
    }
  });
});
