import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MESH, openStream, startTestControl, type StreamClient, type TestControl } from '../control-fixture.js';

describe('registrations and route overrides', () => {
  let control: TestControl;
  let stream: StreamClient;
  before(async () => {
    control = await startTestControl();
    await control.call('PUT', '/v1/mesh', { text: MESH });
    stream = await openStream(control.url, { id: 'web-1', service: 'web' });
    await stream.next((e) => e.event === 'snapshot' && e.data.mesh !== null);
  });
  after(async () => {
    stream.close();
    await control.stop();
  });

  it('registers an instance under a lease of its own and pushes it to the proxies', async () => {
    const seen = stream.events.length;
    const r = await control.call('POST', '/v1/registrations', { service: 'payments', id: 'p2', address: '127.0.0.1:9302', zone: 'eu-1a', labels: { version: 'v2' }, ttl: '10s' });
    assert.equal(r.status, 201, r.text());
    assert.equal(r.json<{ lease: { ttlMs: number } }>().lease.ttlMs, 10_000);
    const next = await stream.next((e) => e.event === 'snapshot' && e.data.registrations.length === 1, seen);
    assert.deepEqual(next.data.registrations, [{ service: 'payments', id: 'p2', address: '127.0.0.1:9302', zone: 'eu-1a', labels: { version: 'v2' } }]);
    const listed = (await control.call('GET', '/v1/registrations')).json<{ registrations: Array<{ id: string; leaseRemainingMs: number }> }>();
    assert.deepEqual(listed.registrations.map((x) => [x.id, x.leaseRemainingMs]), [['p2', 10_000]]);
  });

  it('keeps a registration its holder renews, and drops it from every snapshot when the renewals stop', async () => {
    await control.clock.advance(8_000);
    assert.equal((await control.call('POST', '/v1/registrations/payments/p2/renew')).status, 200);
    await control.clock.advance(8_000);
    assert.equal((await control.call('GET', '/v1/registrations')).json<{ registrations: unknown[] }>().registrations.length, 1);
    const seen = stream.events.length;
    await control.clock.advance(2_000);
    await stream.next((e) => e.event === 'snapshot' && e.data.registrations.length === 0, seen);
    const renew = await control.call('POST', '/v1/registrations/payments/p2/renew');
    assert.equal(renew.status, 404);
    assert.equal(renew.json().code, 'REGISTRATION_NOT_FOUND');
  });

  it('refuses a registration with a bad address, naming the field', async () => {
    const r = await control.call('POST', '/v1/registrations', { service: 'payments', id: 'p3', address: 'nowhere', ttl: '10s' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json<{ errors: Array<{ field: string }> }>().errors.map((e) => e.field), ['address']);
  });

  it("overrides a route's split under a lease, and pushes the mesh's own weights back when it ends", async () => {
    const seen = stream.events.length;
    const put = await control.call('PUT', '/v1/overrides/payments/0', { to: [{ labels: { version: 'v1' }, weight: 50 }, { labels: { version: 'v2' }, weight: 50 }], ttl: '5s', by: 'canary-1' });
    assert.equal(put.status, 200, put.text());
    const on = await stream.next((e) => e.event === 'snapshot' && e.data.overrides.length === 1, seen);
    assert.equal(on.data.overrides[0].remainingMs, 5_000);
    assert.equal(on.data.overrides[0].to[1].weight, 50);
    assert.equal((await control.call('GET', '/v1/overrides')).json<{ overrides: Array<{ by: string }> }>().overrides[0]!.by, 'canary-1');
    await control.clock.advance(5_000);
    await stream.next((e) => e.event === 'snapshot' && e.data.overrides.length === 0, seen);
  });

  it('refuses an override of a route the mesh does not split', async () => {
    const r = await control.call('PUT', '/v1/overrides/payments/3', { to: [{ labels: { version: 'v1' }, weight: 1 }], ttl: '5s' });
    assert.equal(r.status, 400);
    assert.match(r.json<{ message: string }>().message, /no route 3/);
  });
});
