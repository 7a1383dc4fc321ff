import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../helpers/wait.js';
import { MESH, openStream, startTestControl, type StreamClient, type TestControl } from '../control-fixture.js';

const abort = (extra: Record<string, unknown> = {}) => ({ target: 'payments', abort: { status: 503 }, ...extra });

describe('faults on the control plane', () => {
  let control: TestControl;
  let stream: StreamClient;
  before(async () => {
    control = await startTestControl();
    await control.call('PUT', '/v1/mesh', { text: MESH });
    stream = await openStream(control.url, { id: 'web-1', service: 'web' });
    await stream.next((e) => e.event === 'snapshot');
  });
  after(async () => {
    stream.close();
    await control.stop();
  });

  it('adds a fault as a proxy admin would, and pushes it to a connected proxy in the next snapshot', async () => {
    const seen = stream.events.length;
    const r = await control.call('POST', '/v1/faults', abort({ id: 'f1', ttl: '30s' }));
    assert.equal(r.status, 201, r.text());
    const body = r.json<{ id: string; fault: { id: string; target: string }; expiresAt: string }>();
    assert.equal(body.id, 'f1');
    assert.equal(body.fault.target, 'payments');
    assert.equal(Date.parse(body.expiresAt), control.clock.now() + 30_000);
    const next = await stream.next((e) => e.event === 'snapshot', seen);
    assert.deepEqual(next.data.faults, [{ id: 'f1', spec: { id: 'f1', target: 'payments', abort: { status: 503 } }, remainingMs: 30_000 }]);
    const listed = (await control.call('GET', '/v1/faults')).json<{ halted: boolean; faults: Array<{ id: string; counts: object; proxies: string[] }> }>();
    assert.equal(listed.halted, false);
    assert.deepEqual(listed.faults.map((f) => [f.id, f.counts]), [['f1', { matched: 0, hit: 0, active: 0 }]]);
  });

  it('refuses a second fault with the same id (409 FAULT_EXISTS) and a bad rule (400 INVALID_FAULT, by field)', async () => {
    const dup = await control.call('POST', '/v1/faults', abort({ id: 'f1', ttl: '30s' }));
    assert.equal(dup.status, 409);
    assert.equal(dup.json().code, 'FAULT_EXISTS');
    const bad = await control.call('POST', '/v1/faults', { target: 'payments', abort: { status: 99 }, ttl: '30s' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json().code, 'INVALID_FAULT');
    assert.deepEqual(bad.json<{ errors: Array<{ field: string }> }>().errors.map((e) => e.field), ['abort.status']);
  });

  it('renews a fault with the same ttl without a new version, and pushes a leases event with the new remainder', async () => {
    const version = (await control.call('GET', '/v1/status')).json<{ version: number }>().version;
    await control.clock.advance(10_000);
    const seen = stream.events.length;
    const r = await control.call('POST', '/v1/faults/f1/renew', { ttl: '30s' });
    assert.equal(r.status, 200, r.text());
    const leases = await stream.next((e) => e.event === 'leases', seen);
    assert.equal(leases.data.remaining.f1, 30_000);
    assert.equal((await control.call('GET', '/v1/status')).json<{ version: number }>().version, version);
  });

  it('ends a fault when its lease runs out, and pushes a snapshot without it', async () => {
    const seen = stream.events.length;
    await control.clock.advance(30_000);
    const next = await stream.next((e) => e.event === 'snapshot' && e.data.faults.length === 0, seen);
    assert.deepEqual(next.data.faults, []);
    const gone = await control.call('GET', '/v1/faults/f1');
    assert.equal(gone.status, 404);
    assert.equal(gone.json().code, 'FAULT_NOT_FOUND');
    assert.equal((await control.call('POST', '/v1/faults/f1/renew', { ttl: '30s' })).status, 404);
  });

  it("hangs faults on a run's lease: a renewal of the lease pushes their new remainder, a revoke ends them all", async () => {
    const lease = (await control.call('POST', '/v1/leases', { ttl: '20s' })).json<{ id: string; ttlMs: number }>();
    assert.equal(lease.ttlMs, 20_000);
    for (const id of ['r1', 'r2']) assert.equal((await control.call('POST', '/v1/faults', abort({ id, lease: lease.id }))).status, 201);
    await control.clock.advance(5_000);
    const seen = stream.events.length;
    assert.equal((await control.call('POST', `/v1/leases/${lease.id}/renew`)).status, 200);
    const leases = await stream.next((e) => e.event === 'leases', seen);
    assert.deepEqual(leases.data.remaining, { r1: 20_000, r2: 20_000 });
    assert.equal((await control.call('DELETE', `/v1/leases/${lease.id}`)).status, 200);
    await waitFor(async () => (await control.call('GET', '/v1/faults')).json<{ faults: unknown[] }>().faults.length === 0, 'the faults on the revoked lease are gone');
    const renew = await control.call('POST', `/v1/leases/${lease.id}/renew`);
    assert.equal(renew.status, 404);
    assert.equal(renew.json().code, 'LEASE_NOT_FOUND');
    const late = await control.call('POST', '/v1/faults', abort({ lease: lease.id }));
    assert.equal(late.status, 404);
  });

  it('halts: removes every fault, refuses new ones, and a proxy connecting during the halt starts halted', async () => {
    await control.call('POST', '/v1/faults', abort({ id: 'h1', ttl: '30s' }));
    const halt = await control.call('POST', '/v1/halt');
    assert.deepEqual(halt.json(), { halted: true, removed: 1 });
    const refused = await control.call('POST', '/v1/faults', abort({ ttl: '30s' }));
    assert.equal(refused.status, 409);
    assert.equal(refused.json().code, 'FAULTS_HALTED');
    assert.match(refused.json<{ message: string }>().message, /faultmesh faults resume --control URL/, 'it names the command that resumes');
    const late = await openStream(control.url, { id: 'web-late', service: 'web' });
    const first = await late.next((e) => e.event === 'snapshot');
    assert.equal(first.data.halted, true);
    assert.deepEqual(first.data.faults, []);
    assert.equal((await control.call('GET', '/healthz')).json().halted, true);
    assert.deepEqual((await control.call('POST', '/v1/resume')).json(), { halted: false });
    await late.next((e) => e.event === 'snapshot' && e.data.halted === false);
    assert.equal((await control.call('POST', '/v1/faults', abort({ ttl: '30s' }))).status, 201);
    assert.equal((await control.call('DELETE', '/v1/faults')).json().removed, 1);
    late.close();
  });
});
