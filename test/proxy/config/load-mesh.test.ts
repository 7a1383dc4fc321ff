import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, formatIssue } from '../../../proxy/config/config-error.js';
import { readFileSync } from 'node:fs';
import { loadMeshFile, parseMesh, parseMeshAwaitingInstances } from '../../../proxy/config/load-mesh.js';

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
  it('loads the example mesh, as the control plane it is written for does, with its defaults filled in', () => {
    // Its version subsets wait for instances to register: a control plane's mesh, not a proxy's file.
    const { mesh } = parseMeshAwaitingInstances(readFileSync(example, 'utf8'), example);
    assert.equal(mesh.customerHeader, 'x-customer-id');
    assert.deepEqual(Object.keys(mesh.services), ['frontend', 'catalog', 'checkout', 'payments']);
    assert.equal(mesh.services.payments!.policy.loadBalancer, 'least-request');
    assert.equal(mesh.services.payments!.policy.retries.perTryTimeout, 500);
    assert.deepEqual(mesh.services.payments!.policy.retries.methods, ['POST']);
    assert.equal(mesh.services.payments!.policy.locality.failoverBelowHealthy, 70);
    assert.equal(mesh.services.catalog!.policy.loadBalancer, 'peak-ewma');
    assert.equal(mesh.services.catalog!.policy.outlierDetection.slow?.above, 100);
    assert.equal(mesh.services.checkout!.policy.retries.attempts, 2, 'the default: connect failures only');
    assert.deepEqual(mesh.services.payments!.instances, [], 'the demo applies it to a control plane: its instances register there');
    assert.equal(mesh.services.payments!.routes[0]!.deny, 403);
  });

  it('accepts IPv6 addresses and lower-cases the customer header', () => {
    const mesh = parseMesh('customerHeader: X-Tenant\nservices:\n  a:\n    instances:\n      - { id: a1, address: "[::1]:8080" }\n');
    assert.equal(mesh.customerHeader, 'x-tenant');
    assert.equal(mesh.services.a!.instances[0]!.address.host, '::1');
  });

  it('fills in a policy for a service that names none', () => {
    const policy = parseMesh('services:\n  a:\n    instances: []\n').services.a!.policy;
    assert.equal(policy.timeout, undefined, "the proxy's --timeout applies");
    assert.equal(policy.retries.attempts, 2);
    assert.deepEqual(policy.retries.retryOn, ['connect-failure']);
    assert.ok(!policy.retries.methods.includes('POST' as never), 'POST is not retried by default');
    assert.equal(policy.outlierDetection.enabled, true);
    assert.equal(policy.outlierDetection.consecutive5xx, 5);
    assert.equal(policy.loadBalancer, 'round-robin');
    assert.equal(policy.locality.prefer, 'none');
  });

  it('accepts a subset of weight 0: a canary waiting for traffic', () => {
    const mesh = parseMesh('services:\n  pay:\n    instances:\n      - { id: p1, address: "127.0.0.1:1", labels: { version: v1 } }\n      - { id: p2, address: "127.0.0.1:2", labels: { version: v2 } }\n    routes:\n      - to: [{ labels: { version: v1 }, weight: 100 }, { labels: { version: v2 }, weight: 0 }]\n');
    assert.deepEqual(mesh.services.pay!.routes[0]!.to?.map((s) => s.weight), [100, 0]);
  });

  it('reads tls and authorization, upper-casing methods and leaving out what a rule leaves out', () => {
    const pay = parseMesh('services:\n  pay:\n    tls: mutual\n    authorization:\n      allow:\n        - { from: [checkout], methods: [post], paths: [/charge] }\n        - { from: ["*"] }\n').services.pay!;
    assert.equal(pay.tls, 'mutual');
    assert.deepEqual(pay.authorization, { allow: [{ from: ['checkout'], methods: ['POST'], paths: ['/charge'] }, { from: ['*'] }] });
    const plain = parseMesh('services:\n  pay:\n    authorization: { allow: [] }\n').services.pay!;
    assert.equal(plain.tls, undefined, 'unset: off');
    assert.deepEqual(plain.authorization, { allow: [] }, 'allow: [] is accepted: it refuses every call');
  });

  it('reports a missing file by name', () => {
    assert.throws(() => loadMeshFile('/nonexistent/mesh.yaml'), /\/nonexistent\/mesh\.yaml: file not found/);
  });

  // Each bad input names the file, line, column and field of the problem.
  const cases: Array<{ name: string; yaml: string; expect: string[] }> = [
    { name: 'an empty file', yaml: '', expect: ['mesh.yaml:1:1 the file is empty'] },
    { name: 'a YAML syntax error', yaml: 'services:\n  a: [1, 2\n', expect: ['mesh.yaml:3:1'] },
    { name: 'a duplicate key', yaml: 'services:\n  a: {}\n  a: {}\n', expect: ['mesh.yaml:3:3 Map keys must be unique'] },
    {
      name: 'a service name with capital letters, which no Host could reach',
      yaml: 'services:\n  Svc2:\n    instances: []\n',
      expect: ['mesh.yaml:2:3 services.Svc2: service names are lower case: hosts match case-insensitively, so "Svc2" could never be reached; write "svc2"'],
    },
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
      yaml: 'services:\n  pay:\n    policy: { loadBalancer: random }\n    instances: []\n',
      expect: ['mesh.yaml:3:29 services.pay.policy.loadBalancer: loadBalancer must be round-robin, least-request, peak-ewma'],
    },
    {
      name: 'a load balancer outside the policy',
      yaml: 'services:\n  pay:\n    loadBalancer: peak-ewma\n',
      expect: ['mesh.yaml:3:5 services.pay.loadBalancer: unknown field'],
    },
    {
      name: 'a bad timeout',
      yaml: 'services:\n  pay:\n    policy:\n      timeout: 2 seconds\n',
      expect: ['mesh.yaml:4:16 services.pay.policy.timeout: "2 seconds" is not a duration'],
    },
    {
      name: 'an unknown retryOn condition',
      yaml: 'services:\n  pay:\n    policy:\n      retries: { retryOn: [5xx, refused] }\n',
      expect: ['mesh.yaml:4:33 services.pay.policy.retries.retryOn[1]: retryOn takes 5xx, gateway-error, reset, connect-failure, retriable-status-codes'],
    },
    {
      name: 'retriable-status-codes without statusCodes',
      yaml: 'services:\n  pay:\n    policy:\n      retries: { retryOn: [retriable-status-codes] }\n',
      expect: ['mesh.yaml:4:16 services.pay.policy.retries.statusCodes: retriable-status-codes needs statusCodes'],
    },
    {
      name: 'a per-try timeout longer than the whole timeout',
      yaml: 'services:\n  pay:\n    policy:\n      timeout: 1s\n      retries: { perTryTimeout: 2s }\n',
      expect: ['mesh.yaml:5:33 services.pay.policy.retries.perTryTimeout: perTryTimeout is longer than the whole timeout'],
    },
    {
      name: 'a back-off whose max is below its base',
      yaml: 'services:\n  pay:\n    policy:\n      retries: { backoff: { base: 1s, max: 100ms } }\n',
      expect: ['mesh.yaml:4:27 services.pay.policy.retries.backoff: backoff.max must be at least backoff.base'],
    },
    {
      name: 'a retry budget over 100%',
      yaml: 'services:\n  pay:\n    policy:\n      retries: { budget: { percent: 150 } }\n',
      expect: ['mesh.yaml:4:37 services.pay.policy.retries.budget.percent: a percentage is 0 to 100'],
    },
    {
      name: 'a retry method that does not exist',
      yaml: 'services:\n  pay:\n    policy:\n      retries: { methods: [GET, FETCH] }\n',
      expect: ['mesh.yaml:4:33 services.pay.policy.retries.methods[1]: methods take GET'],
    },
    {
      name: 'a locality preference that does not exist',
      yaml: 'services:\n  pay:\n    policy:\n      locality: { prefer: rack }\n',
      expect: ['mesh.yaml:4:27 services.pay.policy.locality.prefer: prefer is zone, region or none'],
    },
    {
      name: 'a failover threshold that is not a percentage',
      yaml: 'services:\n  pay:\n    policy:\n      locality: { failoverBelowHealthy: lots }\n',
      expect: ['mesh.yaml:4:41 services.pay.policy.locality.failoverBelowHealthy: write a percentage as 70 or "70%"'],
    },
    {
      name: 'a misspelt outlier detection field',
      yaml: 'services:\n  pay:\n    policy:\n      outlierDetection: { consecutive500: 3 }\n',
      expect: ['mesh.yaml:4:27 services.pay.policy.outlierDetection.consecutive500: unknown field'],
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
      name: 'a route whose every weight is 0',
      yaml: 'services:\n  pay:\n    instances:\n      - { id: p1, address: "127.0.0.1:1", labels: { v: a } }\n      - { id: p2, address: "127.0.0.1:2", labels: { v: b } }\n    routes:\n      - to: [{ labels: { v: a }, weight: 0 }, { labels: { v: b }, weight: 0 }]\n',
      expect: ['mesh.yaml:7:13 services.pay.routes[0].to: at least one subset needs a weight above 0'],
    },
    {
      name: 'a negative weight',
      yaml: 'services:\n  pay:\n    instances:\n      - { id: p1, address: "127.0.0.1:1", labels: { v: a } }\n    routes:\n      - to: [{ labels: { v: a }, weight: -1 }]\n',
      expect: ['mesh.yaml:6:42 services.pay.routes[0].to[0].weight: weight is 0 or more'],
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
      name: 'an authorization rule with an unknown method',
      yaml: 'services:\n  pay:\n    authorization:\n      allow:\n        - { methods: [get, FETCH] }\n',
      expect: ['mesh.yaml:5:28 services.pay.authorization.allow[0].methods[1]: method must be one of GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE, CONNECT'],
    },
    {
      name: 'an authorization rule from a caller that is not a service name',
      yaml: 'services:\n  pay:\n    authorization:\n      allow:\n        - { from: ["*", Checkout, "front end"] }\n',
      expect: [
        'mesh.yaml:5:25 services.pay.authorization.allow[0].from[1]: service names are lower case: hosts match case-insensitively, so "Checkout" could never be reached; write "checkout" (or "*" for any authenticated service)',
        'mesh.yaml:5:35 services.pay.authorization.allow[0].from[2]: service names: lower-case letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or "*" for any authenticated service)',
      ],
    },
    {
      name: 'an authorization path without a leading slash',
      yaml: 'services:\n  pay:\n    authorization:\n      allow:\n        - { paths: ["/ok", "api/**"] }\n',
      expect: ['mesh.yaml:5:28 services.pay.authorization.allow[0].paths[1]: path globs start with "/"'],
    },
    {
      name: 'a misspelt authorization rule field',
      yaml: 'services:\n  pay:\n    authorization:\n      allow:\n        - { form: [checkout] }\n',
      expect: ['mesh.yaml:5:13 services.pay.authorization.allow[0].form: unknown field'],
    },
    {
      name: 'an authorization without allow',
      yaml: 'services:\n  pay:\n    authorization: { deny: [] }\n',
      expect: ['mesh.yaml:3:22 services.pay.authorization.deny: unknown field', 'mesh.yaml:3:20 services.pay.authorization.allow: required field is missing'],
    },
    {
      name: 'an empty from, which would match nobody',
      yaml: 'services:\n  pay:\n    authorization:\n      allow:\n        - { from: [] }\n',
      expect: ['mesh.yaml:5:19 services.pay.authorization.allow[0].from: [] matches nothing; omit from to mean any'],
    },
    {
      name: 'an unknown tls mode',
      yaml: 'services:\n  pay:\n    tls: strict\n',
      expect: ['mesh.yaml:3:10 services.pay.tls: tls is mutual or off'],
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
    const issues = issuesOf('services:\n  pay:\n    policy: { loadBalancer: x }\n    instances:\n      - { id: p1, address: nope }\n');
    assert.equal(issues.length, 2, issues.join('\n'));
  });
});
