import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, formatIssue } from '../../../../proxy/config/config-error.js';
import { YamlSource } from '../../../../proxy/config/yaml-source.js';
import { mergeMesh } from '../../../../proxy/sources/control/merge-mesh.js';

const TEXT = `services:
  payments:
    instances:
      - { id: pay-1, address: "127.0.0.1:9001", labels: { version: v1 } }
    routes:
      - to: [{ labels: { version: v1 }, weight: 90 }, { labels: { version: v2 }, weight: 10 }]
`;
const base = () => new YamlSource('mesh.yaml', TEXT);
const reg = (service: string, id: string, address: string, labels: Record<string, string> = {}) => ({ service, id, address, labels });

describe('merging the mesh text with registrations and overrides', () => {
  it('adds registered instances, replaces a static instance of the same id, and creates unknown services', () => {
    const mesh = mergeMesh(base(), [reg('payments', 'pay-2', '127.0.0.1:9002', { version: 'v2' }), reg('payments', 'pay-1', '127.0.0.1:9011'), reg('search', 's-1', '[::1]:9100')], []);
    assert.deepEqual(mesh.services.payments!.instances.map((i) => [i.id, i.address.text]), [['pay-2', '127.0.0.1:9002'], ['pay-1', '127.0.0.1:9011']]);
    assert.equal(mesh.services.search!.instances[0]!.address.host, '::1');
    assert.equal(mesh.services.search!.policy.loadBalancer, 'round-robin');
  });

  it('accepts a subset whose instances have not registered yet', () => {
    const mesh = mergeMesh(base(), [], []);
    assert.equal(mesh.services.payments!.routes[0]!.to!.length, 2);
  });

  it('puts an override in place of its route subsets, and leaves the text as it was', () => {
    const source = base();
    const mesh = mergeMesh(source, [], [{ service: 'payments', route: 0, to: [{ labels: { version: 'v2' }, weight: 100 }], remainingMs: 1000 }]);
    assert.deepEqual(mesh.services.payments!.routes[0]!.to, [{ labels: { version: 'v2' }, weight: 100 }]);
    assert.equal(mergeMesh(source, [], []).services.payments!.routes[0]!.to!.length, 2, 'the parsed text is not changed by a merge');
  });

  it('ignores an override for a route the text does not have', () => {
    const mesh = mergeMesh(base(), [], [{ service: 'payments', route: 5, to: [{ labels: {}, weight: 1 }], remainingMs: 1000 }, { service: 'nope', route: 0, to: [{ labels: {}, weight: 1 }], remainingMs: 1000 }]);
    assert.equal(mesh.services.payments!.routes.length, 1);
    assert.equal(mesh.services.nope, undefined);
  });

  for (const [what, registration, expected] of [
    ['a bad address', reg('payments', 'pay-3', 'nowhere'), /^mesh\.yaml:4:\d+ services\.payments\.instances\[1\]\.address: "nowhere" is not host:port/],
    ['a service name with capitals', reg('Search', 's-1', '127.0.0.1:1'), /services lower case|service names are lower case/],
    ['a bad instance id', reg('payments', 'bad id', '127.0.0.1:1'), /instances\[1\]\.id/],
  ] as const) {
    it(`refuses ${what} as a ConfigError with a place in the text`, () => {
      assert.throws(
        () => mergeMesh(base(), [registration], []),
        (err: unknown) => err instanceof ConfigError && expected.test(err.issues.map(formatIssue).join('\n')),
      );
    });
  }

  it('refuses a text that does not parse, at its line', () => {
    assert.throws(() => mergeMesh(new YamlSource('m.yaml', 'services:\n  a: [\n'), [], []), (err: unknown) => err instanceof ConfigError && /^m\.yaml:\d+:\d+ /.test(formatIssue(err.issues[0]!)));
  });
});
