import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, formatIssue } from '../../../proxy/config/config-error.js';
import { loadMeshFile, parseMesh } from '../../../proxy/config/load-mesh.js';

const example = fileURLToPath(new URL('../../../experiments/mesh.yaml', import.meta.url));

function issuesOf(yaml: string): string[] {
  try {
    parseMesh(yaml, 'mesh.yaml');
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.issues.map(formatIssue);
  }
  assert.fail('the mesh was accepted');
}

describe('mesh file', () => {
  it('loads the example mesh with its defaults filled in', () => {
    const mesh = loadMeshFile(example);
    assert.equal(mesh.customerHeader, 'x-customer-id');
    assert.deepEqual(Object.keys(mesh.services), ['payments', 'inventory', 'checkout']);
    assert.equal(mesh.services.payments!.loadBalancer, 'least-request');
    assert.equal(mesh.services.checkout!.loadBalancer, 'round-robin');
    assert.deepEqual(mesh.services.payments!.instances[0]!.address, { host: '127.0.0.1', port: 9301, text: '127.0.0.1:9301' });
    assert.equal(mesh.services.payments!.routes[0]!.deny, 403);
    assert.equal(mesh.services.payments!.routes[0]!.match.method, 'GET');
  });

  it('accepts IPv6 addresses and lower-cases the customer header', () => {
    const mesh = parseMesh('customerHeader: X-Tenant\nservices:\n  a:\n    instances:\n      - { id: a1, address: "[::1]:8080" }\n');
    assert.equal(mesh.customerHeader, 'x-tenant');
    assert.equal(mesh.services.a!.instances[0]!.address.host, '::1');
  });

  it('reports a missing file by name', () => {
    assert.throws(() => loadMeshFile('/nonexistent/mesh.yaml'), /\/nonexistent\/mesh\.yaml:0:0 file not found/);
  });

  // Each bad input names the file, line, column and field of the problem.
  const cases: Array<{ name: string; yaml: string; expect: string[] }> = [
    { name: 'an empty file', yaml: '', expect: ['mesh.yaml:1:1 the file is empty'] },
    { name: 'a YAML syntax error', yaml: 'services:\n  a: [1, 2\n', expect: ['mesh.yaml:3:1'] },
    { name: 'a duplicate key', yaml: 'services:\n  a: {}\n  a: {}\n', expect: ['mesh.yaml:3:3 Map keys must be unique'] },
    { name: 'no services', yaml: 'customerHeader: x-c\n', expect: ['mesh.yaml:1:1 services: required field is missing'] },
    { name: 'an unknown top-level field', yaml: 'services: {}\nretries: 3\n', expect: ['mesh.yaml:2:1 retries: unknown field'] },
    {
      name: 'a bad address',
      yaml: 'services:\n  pay:\n    instances:\n      - { id: p1, address: "localhost" }\n',
      expect: ['mesh.yaml:4:28 services.pay.instances[0].address: "localhost" is not host:port'],
    },
    {
      name: 'a port out of range',
      yaml: 'services:\n  pay:\n    instances:\n      - id: p1\n        address: 127.0.0.1:70000\n',
      expect: ['mesh.yaml:5:18 services.pay.instances[0].address:'],
    },
    {
      name: 'an unknown load balancer',
      yaml: 'services:\n  pay:\n    loadBalancer: random\n    instances: []\n',
      expect: ['mesh.yaml:3:19 services.pay.loadBalancer: loadBalancer must be round-robin or least-request'],
    },
    {
      name: 'a duplicate instance id',
      yaml: 'services:\n  pay:\n    instances:\n      - { id: p1, address: "127.0.0.1:1" }\n      - { id: p1, address: "127.0.0.1:2" }\n',
      expect: ['mesh.yaml:5:15 services.pay.instances[1].id: duplicate instance id "p1"'],
    },
    {
      name: 'a route with both deny and to',
      yaml: 'services:\n  pay:\n    instances: []\n    routes:\n      - deny: 403\n        to: [{ labels: { v: "1" } }]\n',
      expect: ['mesh.yaml:5:9 services.pay.routes[0]: a route needs exactly one of deny or to'],
    },
    {
      name: 'a deny status that is not an error',
      yaml: 'services:\n  pay:\n    routes:\n      - deny: 200\n',
      expect: ['mesh.yaml:4:15 services.pay.routes[0].deny: deny takes an HTTP status from 400 to 599'],
    },
    {
      name: 'a subset no instance has',
      yaml: 'services:\n  pay:\n    instances:\n      - { id: p1, address: "127.0.0.1:1", labels: { version: v1 } }\n    routes:\n      - to: [{ labels: { version: v3 } }]\n',
      expect: ['mesh.yaml:6:24 services.pay.routes[0].to[0].labels: no instance has labels {"version":"v3"}'],
    },
    {
      name: 'weights on some subsets only',
      yaml: 'services:\n  pay:\n    instances:\n      - { id: p1, address: "127.0.0.1:1", labels: { v: a } }\n      - { id: p2, address: "127.0.0.1:2", labels: { v: b } }\n    routes:\n      - to: [{ labels: { v: a }, weight: 90 }, { labels: { v: b } }]\n',
      expect: ['mesh.yaml:7:13 services.pay.routes[0].to: give every subset a weight, or none'],
    },
    {
      name: 'a path glob without a leading slash',
      yaml: 'services:\n  pay:\n    routes:\n      - match: { path: "api/*" }\n        deny: 404\n',
      expect: ['mesh.yaml:4:24 services.pay.routes[0].match.path: path globs start with "/"'],
    },
    {
      name: 'an unknown method',
      yaml: 'services:\n  pay:\n    routes:\n      - match: { method: FETCH }\n        deny: 404\n',
      expect: ['mesh.yaml:4:26 services.pay.routes[0].match.method:'],
    },
    {
      name: 'a numeric label value',
      yaml: 'services:\n  pay:\n    instances:\n      - { id: p1, address: "127.0.0.1:1", labels: { version: 2 } }\n',
      expect: ['mesh.yaml:4:62 services.pay.instances[0].labels.version: label values must be strings'],
    },
    {
      name: 'a misspelt instance field',
      yaml: 'services:\n  pay:\n    instances:\n      - { id: p1, adress: "127.0.0.1:1" }\n',
      expect: ['mesh.yaml:4:19 services.pay.instances[0].adress: unknown field', 'mesh.yaml:4:9 services.pay.instances[0].address: required field is missing'],
    },
  ];

  for (const c of cases) {
    it(`rejects ${c.name} with its location`, () => {
      const issues = issuesOf(c.yaml);
      for (const expected of c.expect) {
        assert.ok(issues.some((i) => i.startsWith(expected)), `expected an issue starting with\n  ${expected}\ngot\n  ${issues.join('\n  ')}`);
      }
    });
  }

  it('reports every problem at once, not just the first', () => {
    const issues = issuesOf('services:\n  pay:\n    loadBalancer: x\n    instances:\n      - { id: p1, address: nope }\n');
    assert.equal(issues.length, 2, issues.join('\n'));
  });
});
