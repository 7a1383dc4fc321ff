import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeService } from '../../../proxy/admin/instance-state.js';
import { parseMesh } from '../../../proxy/config/load-mesh.js';
import { MeshState } from '../../../proxy/mesh-state.js';
import { Listeners } from '../../../proxy/sources/listeners.js';
import type { MeshSnapshot, MeshSource } from '../../../proxy/sources/mesh-source.js';

const deps = { random: () => 0, now: () => 0, onEject: () => {} };

/** A source the test drives by hand, as a control plane pushes snapshots. */
function handSource(): MeshSource & { deliver(yaml: string, version: number): void } {
  let current: MeshSnapshot | undefined;
  const listeners = new Listeners<MeshSnapshot>();
  return {
    current: () => current,
    onSnapshot: (l) => listeners.add(l),
    close: () => {},
    deliver(yaml, version) {
      current = { version, config: parseMesh(yaml), origin: 'test' };
      listeners.emit(current);
    },
  };
}

const POLICY = 'services:\n  payments:\n    tls: mutual\n    authorization: { allow: [ { from: [checkout] } ] }\n  catalog: {}\n';

describe("a service's authorizer in the running mesh", () => {
  it('is compiled with each snapshot and reached by service name', () => {
    const source = handSource();
    const state = new MeshState(source, deps);
    assert.equal(state.service('payments'), undefined, 'no snapshot yet');
    source.deliver(POLICY, 1);
    const payments = state.service('payments')!;
    assert.equal(payments.authorizer.authorize({ source: 'frontend', method: 'GET', path: '/' }).allowed, false);
    assert.equal(payments.authorizer.authorize({ source: 'checkout', method: 'GET', path: '/' }).allowed, true);
    assert.equal(state.service('catalog')!.authorizer.enforced, false, 'no policy: every caller passes');
    assert.equal(state.service('nope'), undefined);

    source.deliver(POLICY.replace('[checkout]', '[frontend]'), 2);
    assert.equal(state.service('payments')!.authorizer.authorize({ source: 'frontend', method: 'GET', path: '/' }).allowed, true, 'the new snapshot brings its policy');
    assert.equal(payments.authorizer.authorize({ source: 'frontend', method: 'GET', path: '/' }).allowed, false, 'the old table keeps its own: a request sees one mesh');
  });

  it('shows tls and the policy as written in GET /v1/services', () => {
    const source = handSource();
    const state = new MeshState(source, deps);
    source.deliver(POLICY, 1);
    const payments = describeService(state.service('payments')!, 0);
    assert.equal(payments.tls, 'mutual');
    assert.deepEqual(payments.authorization, { allow: [{ from: ['checkout'] }] });
    const catalog = describeService(state.service('catalog')!, 0);
    assert.equal(catalog.tls, 'off');
    assert.equal(catalog.authorization, null);
  });
});
