import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startControlPlane } from '../../../control/control-plane.js';
import { send } from '../../helpers/http-client.js';
import { openStream, startTestControl, type TestControl } from '../control-fixture.js';

const TOKEN = 'sekret-token';

const WRITES: Array<[string, string, unknown]> = [
  ['PUT', '/v1/mesh', { text: 'services: {}\n' }],
  ['POST', '/v1/faults', { target: 'payments', abort: { status: 503 }, ttl: '30s' }],
  ['POST', '/v1/faults/f1/renew', { ttl: '30s' }],
  ['DELETE', '/v1/faults/f1', undefined],
  ['DELETE', '/v1/faults', undefined],
  ['POST', '/v1/halt', undefined],
  ['POST', '/v1/resume', undefined],
  ['POST', '/v1/leases', { ttl: '30s' }],
  ['POST', '/v1/leases/abc/renew', undefined],
  ['DELETE', '/v1/leases/abc', undefined],
  ['POST', '/v1/registrations', { service: 'payments', id: 'p1', address: '127.0.0.1:1', ttl: '5s' }],
  ['POST', '/v1/registrations/payments/p1/renew', undefined],
  ['DELETE', '/v1/registrations/payments/p1', undefined],
  ['PUT', '/v1/overrides/payments/0', { to: [{ labels: {}, weight: 1 }], ttl: '5s' }],
  ['DELETE', '/v1/overrides/payments/0', undefined],
  ['POST', '/v1/proxies/web-1/ack', { version: 1, applied: true }],
  ['POST', '/v1/proxies/web-1/report', { faults: {}, instances: [] }],
];

describe('who may use the control plane', () => {
  let control: TestControl;
  before(async () => {
    control = await startTestControl({ token: TOKEN });
  });
  after(() => control.stop());

  it('refuses every state change without the token, and changes nothing', async () => {
    const before = (await control.call('GET', '/v1/status')).json<{ version: number }>().version;
    for (const [method, path, body] of WRITES) {
      const r = await control.call(method, path, body, '');
      assert.equal(r.status, 401, `${method} ${path}`);
      assert.equal(r.json().code, 'UNAUTHORIZED');
      // The control token, not a proxy's admin token: the user must know which secret this is.
      assert.match(r.json<{ message: string }>().message, /Bearer <control token> \(the token given to faultmesh control with --token or FAULTMESH_CONTROL_TOKEN\)/, `${method} ${path}`);
      const wrong = await control.call(method, path, body, 'not-the-token');
      assert.equal(wrong.status, 401, `${method} ${path} with a wrong token`);
    }
    assert.equal((await control.call('GET', '/v1/status')).json<{ version: number }>().version, before);
  });

  it('refuses a proxy stream without the token, and serves it, with acks and reports, with the token', async () => {
    const refused = await openStream(control.url, { id: 'web-1', service: 'web' });
    assert.equal(refused.status, 401);
    refused.close();
    const stream = await openStream(control.url, { id: 'web-1', service: 'web' }, TOKEN);
    assert.equal(stream.status, 200);
    const first = await stream.next((e) => e.event === 'snapshot');
    assert.equal((await control.call('POST', '/v1/proxies/web-1/ack', { version: first.data.version, applied: true })).status, 200);
    assert.equal((await control.call('POST', '/v1/proxies/web-1/report', { faults: {}, instances: [] })).status, 200);
    const mesh = await control.call('PUT', '/v1/mesh', { text: 'services:\n  payments: {}\n' });
    assert.equal(mesh.status, 200, mesh.text());
    stream.close();
  });

  it('refuses a Host that is not its own, and a state change from another web origin', async () => {
    const host = await send(control.url, { path: '/v1/status', headers: { host: 'evil.example' } });
    assert.equal(host.status, 403);
    assert.equal(host.json().code, 'HOST_NOT_ALLOWED');
    const origin = await send(control.url, { method: 'POST', path: '/v1/halt', headers: { origin: 'https://evil.example', authorization: `Bearer ${TOKEN}` } });
    assert.equal(origin.status, 403);
    assert.equal(origin.json().code, 'ORIGIN_NOT_ALLOWED');
    assert.equal((await control.call('GET', '/healthz')).json().halted, false);
  });

  it('refuses to listen on a non-loopback address without a token, and refuses a blank token', async () => {
    await assert.rejects(startControlPlane({ listen: { host: '0.0.0.0', port: 0 } }), (err: Error & { code?: string }) => err.code === 'ADMIN_EXPOSED' && /without a token/.test(err.message));
    await assert.rejects(startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, token: '  ' }), /blank: give a real token, or none to keep the control plane on loopback/);
  });
});
