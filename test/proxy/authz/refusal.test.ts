import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { compileAuthorization } from '../../../proxy/authz/policy.js';
import { recordDenied } from '../../../proxy/authz/record-denied.js';
import { parseMesh } from '../../../proxy/config/load-mesh.js';
import { forbidden } from '../../../proxy/errors.js';
import { writeError } from '../../../proxy/http/error-response.js';
import { createMetrics } from '../../../proxy/telemetry/metrics.js';
import { send } from '../../helpers/http-client.js';

const DENIED = 'faultmesh_authz_denied_total';

/** faultmesh_authz_denied_total's value for one service and source; undefined when the series does not exist. */
async function denied(metrics: ReturnType<typeof createMetrics>, service: string, source: string): Promise<number | undefined> {
  const text = await metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${DENIED}{destination="${service}",source="${source}"}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('a refused inbound call', () => {
  const metrics = createMetrics({ activeFaults: () => 0, inFlight: () => 0, instances: () => [] });
  const authorizer = compileAuthorization(parseMesh('services:\n  payments:\n    authorization: { allow: [ { from: [checkout] } ] }\n').services.payments!.authorization);
  let server: Server;
  let url: string;

  // What the inbound side does with each call: the caller's identity stands in a header here, where the peer certificate will be.
  before(async () => {
    server = createServer((req, res) => {
      const source = typeof req.headers['x-test-identity'] === 'string' ? req.headers['x-test-identity'] : undefined;
      const decision = authorizer.authorize({ source, method: req.method!, path: req.url! });
      if (decision.allowed) return void res.end('paid');
      recordDenied(metrics, 'payments', source);
      writeError(res, forbidden('payments', source, decision.reason), 'req-1');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is a 403 marked FORBIDDEN whose message names the caller and the service', async () => {
    const reply = await send(url, { path: '/charge', headers: { 'x-test-identity': 'frontend' } });
    assert.equal(reply.status, 403);
    assert.equal(reply.headers['x-faultmesh-error'], 'FORBIDDEN');
    assert.equal(reply.headers['x-request-id'], 'req-1');
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    assert.deepEqual(reply.json(), { code: 'FORBIDDEN', message: 'service "frontend" may not call service "payments": no rule allows this caller' });
  });

  it('says when the caller had no verified identity', async () => {
    const reply = await send(url, { path: '/charge' });
    assert.equal(reply.status, 403);
    assert.equal(
      reply.json<{ message: string }>().message,
      'a caller without a verified identity may not call service "payments": the caller has no verified identity, and every rule of the policy names its callers (from)',
    );
  });

  it('lets an allowed caller through untouched', async () => {
    const reply = await send(url, { path: '/charge', headers: { 'x-test-identity': 'checkout' } });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['x-faultmesh-error'], undefined);
    assert.equal(reply.text(), 'paid');
  });

  it('is counted by service and caller identity, unauthenticated callers under their own label', async () => {
    const before = (await denied(metrics, 'payments', 'frontend')) ?? 0;
    const anonymousBefore = (await denied(metrics, 'payments', 'unauthenticated')) ?? 0;
    await send(url);
    await send(url, { headers: { 'x-test-identity': 'frontend' } });
    await send(url, { headers: { 'x-test-identity': 'frontend' } });
    await send(url, { headers: { 'x-test-identity': 'checkout' } });
    assert.equal(await denied(metrics, 'payments', 'frontend'), before + 2);
    assert.equal(await denied(metrics, 'payments', 'checkout'), undefined, 'an allowed call is not counted');
    assert.equal(await denied(metrics, 'payments', 'unauthenticated'), anonymousBefore + 1);
  });

  it('bounds the source label: identities beyond the first 100 count as "other"', async () => {
    const own = createMetrics({ activeFaults: () => 0, inFlight: () => 0, instances: () => [] });
    for (let i = 0; i < 105; i++) recordDenied(own, 'payments', `svc-${i}`);
    assert.equal(await denied(own, 'payments', 'svc-99'), 1);
    assert.equal(await denied(own, 'payments', 'svc-100'), undefined);
    assert.equal(await denied(own, 'payments', 'other'), 5);
  });
});
