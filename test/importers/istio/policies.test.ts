import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policySchema } from '../../../proxy/config/policy-schema.js';
import { dr, lines, translate, vs } from './istio-test-files.js';

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'];

/** ratings' translated policy when its one route carries `extra` (route fields, indented under it; from line 9 on). */
function routePolicy(extra: string) {
  const r = translate(vs(`    - route: [{ destination: { host: ratings } }]\n${extra}`));
  const policy = r.services.get('ratings')!.policy;
  assert.ok(policySchema.safeParse(policy).success, `a mesh file takes ${JSON.stringify(policy)}`);
  return { r, policy };
}

describe('Istio timeouts and retries, as the service policy', () => {
  it('translates timeout, attempts, perTryTimeout and retryOn, numbers as statuses, retrying any method as Envoy does', () => {
    const { r, policy } = routePolicy('      timeout: 1m30s\n      retries: { attempts: 3, perTryTimeout: 2s, retryOn: "gateway-error,connect-failure,refused-stream,503", backoff: 50ms }\n');
    assert.equal(policy.timeout, '90s');
    assert.deepEqual(policy.retries, { attempts: 3, perTryTimeout: '2s', retryOn: ['gateway-error', 'connect-failure', 'retriable-status-codes'], statusCodes: [503], backoff: { base: '50ms', max: '500ms' }, methods: ALL_METHODS });
    assert.match(lines(r).caveat.join('\n'), /^10 spec\.http\[0\]\.retries\.retryOn: refused-stream is an HTTP\/2 condition/m);
  });

  it('reads retries without attempts as none, as Istio does, and without retryOn as Istio\'s default', () => {
    assert.deepEqual(routePolicy('      retries: { perTryTimeout: 1s }\n').policy.retries, { attempts: 0, perTryTimeout: '1s', retryOn: ['connect-failure'], methods: ALL_METHODS });
  });

  it('caps attempts at 10, writes retriable-4xx as 409, and notes both', () => {
    const { r, policy } = routePolicy('      retries: { attempts: 25, retryOn: retriable-4xx }\n');
    assert.equal(policy.retries?.attempts, 10);
    assert.deepEqual(policy.retries?.statusCodes, [409]);
    assert.equal(lines(r).caveat.length, 2);
  });

  it("says 0s turns Istio's timeout off, which faultmesh cannot, and leaves it out", () => {
    const { r, policy } = routePolicy('      timeout: 0s\n');
    assert.equal(policy.timeout, undefined);
    assert.match(lines(r).caveat.join('\n'), /^9 spec\.http\[0\]\.timeout: 0s turns Istio's timeout off/m);
  });

  it('keeps one timeout per service: the first, naming a route that differs as not translated', () => {
    const r = translate(
      vs(`    - match: [{ uri: { prefix: /slow } }]
      timeout: 10s
      route: [{ destination: { host: ratings } }]
    - timeout: 2s
      route: [{ destination: { host: ratings } }]
`),
    );
    assert.equal(r.services.get('ratings')!.policy.timeout, '10s');
    assert.deepEqual(lines(r).untranslated, ['11 spec.http[1].timeout: faultmesh has one timeout per service, not per route: 10000ms (written first) holds for every route, so this one is left out']);
  });

  it("notes where faults on each attempt differ from Envoy's: an abort the retries retry, a delay as long as the timeout", () => {
    const { r } = routePolicy('      timeout: 1s\n      retries: { attempts: 2, retryOn: 5xx }\n      fault:\n        abort: { httpStatus: 503, percentage: { value: 50 } }\n        delay: { fixedDelay: 2s, percentage: { value: 100 } }\n');
    const notes = lines(r).caveat.join('\n');
    assert.match(notes, /^12 spec\.http\[0\]\.fault\.abort: faultmesh injects faults on each attempt, and this service's retry policy retries a 503/m);
    assert.match(notes, /^13 spec\.http\[0\]\.fault\.delay: faultmesh counts an injected delay against the service's timeouts, .* a 2000ms delay ends in a timeout \(504\) after 1000ms/m);
  });

  const refusals: Array<[string, string, 'invalid' | 'untranslated', RegExp]> = [
    ['a condition Istio does not know', '      retries: { attempts: 2, retryOn: "5xx,on-tuesdays" }\n', 'invalid', /^9 spec\.http\[0\]\.retries\.retryOn: "on-tuesdays" is not a retry condition Istio knows/],
    ['retries on response headers', '      retries: { attempts: 2, retryOn: retriable-headers }\n', 'untranslated', /retryOn: retriable-headers: faultmesh cannot retry on response headers/],
    ['retries kept on the same host', '      retries: { attempts: 2, retryIgnorePreviousHosts: false }\n', 'untranslated', /^9 spec\.http\[0\]\.retries\.retryIgnorePreviousHosts: faultmesh always retries on another instance/],
    ['a negative attempts', '      retries: { attempts: -1 }\n', 'invalid', /retries\.attempts: attempts is a whole number, 0 or more/],
  ];
  for (const [name, extra, kind, expected] of refusals) {
    it(`reports ${name} as ${kind}, with its line`, () => {
      const { r } = routePolicy(extra);
      assert.ok(lines(r)[kind].some((l) => expected.test(l)), JSON.stringify(lines(r), null, 1));
    });
  }
});

/** ratings' policy, and tls, from a DestinationRule with `spec` (from line 7 on). */
function rulePolicy(spec: string) {
  const r = translate(dr('ratings', spec));
  const service = r.services.get('ratings')!;
  assert.ok(policySchema.safeParse(service.policy).success, `a mesh file takes ${JSON.stringify(service.policy)}`);
  return { r, policy: service.policy, tls: service.tls };
}

describe('DestinationRule traffic policies, as the service policy', () => {
  for (const [simple, expected] of [['ROUND_ROBIN', 'round-robin'], ['LEAST_REQUEST', 'least-request'], ['LEAST_CONN', 'least-request'], ['RANDOM', 'round-robin']] as const) {
    it(`translates loadBalancer ${simple} as ${expected}`, () => {
      assert.equal(rulePolicy(`  trafficPolicy: { loadBalancer: { simple: ${simple} } }\n`).policy.loadBalancer, expected);
    });
  }

  it("translates outlierDetection, with Istio's defaults where faultmesh's differ", () => {
    const { r, policy } = rulePolicy('  trafficPolicy:\n    outlierDetection: { consecutive5xxErrors: 7, interval: 5m, baseEjectionTime: 15m }\n');
    assert.deepEqual(policy.outlierDetection, { enabled: true, consecutive5xx: 7, consecutiveGatewayErrors: 0, baseEjectionTime: '15m', maxEjectionPercent: 10 });
    assert.match(lines(r).caveat.join('\n'), /^8 spec\.trafficPolicy\.outlierDetection\.interval: faultmesh ejects on the error that completes a run/m);
    assert.deepEqual(rulePolicy('  trafficPolicy: { outlierDetection: { consecutiveErrors: 3 } }\n').policy.outlierDetection, { enabled: true, consecutive5xx: 0, consecutiveGatewayErrors: 3, maxEjectionPercent: 10 });
  });

  it('turns ejection off for a service whose rule sets no outlierDetection, as Istio ejects none then', () => {
    assert.deepEqual(rulePolicy('  subsets: [{ name: v1, labels: { version: v1 } }]\n').policy.outlierDetection, { enabled: false });
  });

  it('translates ISTIO_MUTUAL as tls: mutual with a note, and the retry budget as a percent', () => {
    const { r, tls, policy } = rulePolicy('  trafficPolicy: { tls: { mode: ISTIO_MUTUAL }, retryBudget: { percent: 25, minRetryConcurrency: 5 } }\n');
    assert.equal(tls, 'mutual');
    assert.deepEqual(policy.retries, { budget: { percent: 25 } });
    assert.equal(lines(r).caveat.length, 3);
  });

  it('names every connectionPool field as not translated, each with its line', () => {
    const { r } = rulePolicy(`  trafficPolicy:
    connectionPool:
      tcp: { maxConnections: 100, connectTimeout: 30ms }
      http: { http1MaxPendingRequests: 10, maxRequestsPerConnection: 1, maxRetries: 3 }
`);
    assert.deepEqual(
      lines(r).untranslated.map((l) => l.split(':')[0]),
      ['9 spec.trafficPolicy.connectionPool.tcp.maxConnections', '9 spec.trafficPolicy.connectionPool.tcp.connectTimeout', '10 spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests', '10 spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection', '10 spec.trafficPolicy.connectionPool.http.maxRetries'],
    );
    assert.match(lines(r).untranslated.join('\n'), /maxRetries: faultmesh bounds retries with a budget/);
  });

  const refusals: Array<[string, string, RegExp]> = [
    ['consistent hashing', '  trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: x-user } } }\n', /^7 spec\.trafficPolicy\.loadBalancer\.consistentHash: faultmesh has no session affinity/],
    ['locality weights', '  trafficPolicy: { loadBalancer: { localityLbSetting: { enabled: true } } }\n', /loadBalancer\.localityLbSetting: faultmesh prefers instances in the caller's zone or region/],
    ['TLS with certificates of its own', '  trafficPolicy: { tls: { mode: SIMPLE, sni: x } }\n', /tls\.mode: faultmesh originates TLS only as its own mTLS/],
    ['port-level settings', '  trafficPolicy: { portLevelSettings: [{ port: { number: 80 } }] }\n', /^7 spec\.trafficPolicy\.portLevelSettings: faultmesh instances have one address/],
    ['a workload selector', '  workloadSelector: { matchLabels: { app: x } }\n', /^7 spec\.workloadSelector: this rule applies only to some callers/],
  ];
  for (const [name, spec, expected] of refusals) {
    it(`names ${name} as not translated, with its line`, () => {
      const { r } = rulePolicy(spec);
      assert.ok(lines(r).untranslated.some((l) => expected.test(l)), lines(r).untranslated.join('\n'));
    });
  }

  it('keeps a subset policy that every subset shares, and names one that only some subsets set', () => {
    const alike = rulePolicy(`  subsets:
    - { name: v1, labels: { version: v1 }, trafficPolicy: { loadBalancer: { simple: LEAST_REQUEST } } }
    - { name: v2, labels: { version: v2 }, trafficPolicy: { loadBalancer: { simple: LEAST_REQUEST } } }
`);
    assert.equal(alike.policy.loadBalancer, 'least-request');
    assert.deepEqual(alike.r.issues.untranslated, []);
    const apart = rulePolicy(`  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v3, labels: { version: v3 }, trafficPolicy: { loadBalancer: { simple: LEAST_REQUEST } } }
`);
    assert.equal(apart.policy.loadBalancer, 'round-robin');
    assert.deepEqual(lines(apart.r).untranslated, ["10 spec.subsets[1].trafficPolicy.loadBalancer.simple: faultmesh has one policy per service, not per subset: subset v3 gets the service's loadBalancer; set it in the DestinationRule's trafficPolicy to make it hold for every subset"]);
  });
});
