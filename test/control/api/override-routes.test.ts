import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatStatus } from '../../../control/status/format-status.js';
import type { Status } from '../../../control/status/status.js';
import { startTestControl, type TestControl } from '../control-fixture.js';

/** payments route 0 splits v1/v2; route 1 sends everything to one subset. */
const MESH = `services:
  payments:
    instances:
      - { id: p1, address: 127.0.0.1:9301, labels: { version: v1 } }
    routes:
      - match: { path: /split }
        to:
          - { labels: { version: v1 }, weight: 90 }
          - { labels: { version: v2 }, weight: 10 }
      - to: [{ labels: { version: v1 } }]
`;

interface OverrideReply {
  override: { by?: string };
  warning?: string;
}

describe('route overrides are checked against the mesh', () => {
  let control: TestControl;
  before(async () => {
    control = await startTestControl();
    const put = await control.call('PUT', '/v1/mesh', { text: MESH });
    assert.equal(put.status, 200, put.text());
  });
  after(() => control.stop());

  it('refuses an override of a route with a single subset, naming the route', async () => {
    const r = await control.call('PUT', '/v1/overrides/payments/1', { to: [{ labels: { version: 'v1' }, weight: 1 }], ttl: '5s' });
    assert.equal(r.status, 400, r.text());
    assert.match(r.json<{ message: string }>().message, /route 1 of service "payments" does not split/);
    assert.deepEqual((await control.call('GET', '/v1/overrides')).json<{ overrides: unknown[] }>().overrides, [], 'nothing was stored');
  });

  it('warns when no instance, in the mesh or registered, has the labels of a subset it sends traffic to', async () => {
    const r = await control.call('PUT', '/v1/overrides/payments/0', { to: [{ labels: { version: 'v1' }, weight: 50 }, { labels: { version: 'v9' }, weight: 50 }], ttl: '5s' });
    assert.equal(r.status, 200, r.text());
    const reply = r.json<OverrideReply>();
    assert.match(reply.warning ?? '', /no instance of "payments" has the labels of \{"version":"v9"\}: .*503 NO_INSTANCE/);
    assert.doesNotMatch(reply.warning ?? '', /v1/, 'the subset the mesh has an instance for is not named');
  });

  it('says nothing once a registered instance has the labels, and records no made-up author', async () => {
    const reg = await control.call('POST', '/v1/registrations', { service: 'payments', id: 'p9', address: '127.0.0.1:9309', labels: { version: 'v9' }, ttl: '10s' });
    assert.equal(reg.status, 201, reg.text());
    const r = await control.call('PUT', '/v1/overrides/payments/0', { to: [{ labels: { version: 'v1' }, weight: 50 }, { labels: { version: 'v9' }, weight: 50 }], ttl: '5s' });
    assert.equal(r.status, 200, r.text());
    const reply = r.json<OverrideReply>();
    assert.equal(reply.warning, undefined);
    assert.equal(reply.override.by, undefined, 'no "by" given: none stored, rather than a name that reads as a service');
  });

  it('lists overrides in force with their remaining lease in /v1/status and faultmesh status', async () => {
    await control.call('PUT', '/v1/overrides/payments/0', { to: [{ labels: { version: 'v1' }, weight: 70 }, { labels: { version: 'v2' }, weight: 30 }], ttl: '5s', by: 'canary-7' });
    await control.clock.advance(2_000);
    const status = (await control.call('GET', '/v1/status')).json<Status>();
    assert.deepEqual(status.overrides, [{ service: 'payments', route: 0, to: [{ labels: { version: 'v1' }, weight: 70 }, { labels: { version: 'v2' }, weight: 30 }], by: 'canary-7', remainingMs: 3_000 }]);
    assert.match(formatStatus(status), /\nOVERRIDE\s+SPLIT\s+LEFT\s+BY\npayments route 0\s+\{"version":"v1"\}=70, \{"version":"v2"\}=30\s+3s\s+canary-7\n/);
  });
});
