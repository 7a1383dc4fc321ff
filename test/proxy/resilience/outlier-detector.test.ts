import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policySchema } from '../../../proxy/config/policy-schema.js';
import { toEndpoint, type Endpoint } from '../../../proxy/registry/endpoint.js';
import type { Classification } from '../../../proxy/resilience/classify.js';
import { OutlierDetector, type EjectionReason } from '../../../proxy/resilience/outlier-detector.js';

const endpoint = (id: string): Endpoint => toEndpoint('svc', { id, address: { host: '127.0.0.1', port: 1, text: '127.0.0.1:1' }, labels: {}, region: undefined, zone: undefined });
const FAIL: Classification = { kind: 'failure', status: 500 };
const BAD_GATEWAY: Classification = { kind: 'failure', status: 502 };
const OK: Classification = { kind: 'success', status: 200 };
const NOT_FOUND: Classification = { kind: 'success', status: 404 };

/** A detector over `n` instances on a clock the test moves. */
function setup(outlierDetection: Record<string, unknown> = {}, n = 4) {
  let now = 1_000_000;
  const endpoints = Array.from({ length: n }, (_, i) => endpoint(`e${i}`));
  const ejections: Array<[string, EjectionReason]> = [];
  const policy = policySchema.parse({ outlierDetection }).outlierDetection;
  const detector = new OutlierDetector('svc', endpoints, policy, () => now, (e, reason) => ejections.push([e.id, reason]));
  const times = (k: number, e: Endpoint, c: Classification, latencyMs = 1) => {
    for (let i = 0; i < k; i++) detector.record(e, c, latencyMs);
  };
  return { endpoints, detector, ejections, times, advance: (ms: number) => void (now += ms), now: () => now };
}

describe('outlier detection', () => {
  it('ejects an instance after consecutive5xx failures in a row, for baseEjectionTime', () => {
    const { endpoints, detector, ejections, times, now } = setup();
    const [e] = endpoints as [Endpoint];
    times(4, e, FAIL);
    assert.equal(detector.isAvailable(e), true, 'four failures are not yet five');
    times(1, e, FAIL);
    assert.equal(detector.isAvailable(e), false);
    assert.equal(e.health.ejectedUntil, now() + 30_000);
    assert.deepEqual(ejections, [['e0', 'consecutive-5xx']]);
  });

  it('starts counting again after a success, and a 4xx counts as one', () => {
    const { endpoints, detector, times } = setup();
    const [e] = endpoints as [Endpoint];
    times(4, e, FAIL);
    times(1, e, NOT_FOUND);
    times(4, e, FAIL);
    assert.equal(detector.isAvailable(e), true);
  });

  it('ejects on consecutive gateway errors: 502-504, timeouts and resets', () => {
    const { endpoints, detector, ejections, times } = setup({ consecutive5xx: 0, consecutiveGatewayErrors: 3 });
    const [e] = endpoints as [Endpoint];
    times(1, e, BAD_GATEWAY);
    times(1, e, { kind: 'timeout' });
    times(1, e, { kind: 'reset', connect: true });
    assert.equal(detector.isAvailable(e), false);
    assert.deepEqual(ejections, [['e0', 'consecutive-gateway-errors']]);
  });

  it('ejects an instance that answers but is slow too often', () => {
    const { endpoints, detector, ejections, times } = setup({ slow: { above: '200ms', consecutive: 3 } });
    const [e] = endpoints as [Endpoint];
    times(2, e, OK, 250);
    times(1, e, OK, 50);
    times(2, e, OK, 250);
    assert.equal(detector.isAvailable(e), true, 'a fast answer resets the count');
    times(1, e, OK, 250);
    assert.equal(detector.isAvailable(e), false);
    assert.deepEqual(ejections, [['e0', 'slow']]);
  });

  it('holds nothing against an instance for cancelled or local outcomes', () => {
    const { endpoints, detector, times } = setup({ consecutive5xx: 1 });
    times(10, endpoints[0]!, { kind: 'cancelled' });
    times(10, endpoints[0]!, { kind: 'local' });
    assert.equal(detector.isAvailable(endpoints[0]!), true);
  });

  it('returns an instance on probation when its time is up; a success clears it', () => {
    const { endpoints, detector, times, advance } = setup();
    const [e] = endpoints as [Endpoint];
    times(5, e, FAIL);
    const before = detector.epoch();
    advance(29_999);
    assert.equal(detector.epoch(), before, 'still ejected 1 ms before its time');
    assert.equal(detector.isAvailable(e), false);
    advance(1);
    assert.notEqual(detector.epoch(), before, 'pickers see the change');
    assert.equal(e.health.state, 'probation');
    assert.equal(detector.isAvailable(e), true);
    times(1, e, OK);
    assert.equal(e.health.state, 'healthy');
  });

  it('ejects again at the first failure on probation, for twice as long, up to maxEjectionTime', () => {
    const { endpoints, detector, ejections, times, advance, now } = setup({ baseEjectionTime: '10s', maxEjectionTime: '35s' });
    const [e] = endpoints as [Endpoint];
    times(5, e, FAIL);
    const expected = [20_000, 35_000, 35_000];
    for (const ms of [10_000, ...expected.slice(0, -1)]) {
      advance(ms);
      detector.epoch();
      times(1, e, FAIL);
      assert.equal(e.health.state, 'ejected');
      assert.equal(e.health.ejectedUntil - now(), expected.shift(), `ejection ${e.health.ejections}`);
    }
    assert.deepEqual(ejections.map(([, r]) => r), ['consecutive-5xx', 'probation', 'probation', 'probation']);
  });

  it('forgives one earlier ejection for each baseEjectionTime spent healthy', () => {
    const { endpoints, detector, times, advance, now } = setup({ baseEjectionTime: '10s' });
    const [e] = endpoints as [Endpoint];
    times(5, e, FAIL);
    advance(10_000);
    detector.epoch();
    times(1, e, FAIL); // on probation: 20 s
    advance(20_000);
    detector.epoch();
    times(1, e, OK);
    assert.equal(e.health.ejections, 2);
    advance(15_000); // healthy for 1.5 base times: one ejection forgiven
    times(5, e, FAIL);
    assert.equal(e.health.ejectedUntil - now(), 20_000, 'the third ejection counts as the second');
  });

  it('never ejects more than maxEjectionPercent of the instances', () => {
    const { endpoints, detector, ejections, times } = setup({ maxEjectionPercent: 50 }, 4);
    for (const e of endpoints) times(5, e, FAIL);
    assert.equal(detector.ejectedCount(), 2);
    assert.deepEqual(ejections.map(([id]) => id), ['e0', 'e1']);
    assert.equal(detector.isAvailable(endpoints[3]!), true);
  });

  it('does nothing when turned off', () => {
    const { endpoints, detector, times } = setup({ enabled: false });
    times(50, endpoints[0]!, FAIL);
    assert.equal(detector.isAvailable(endpoints[0]!), true);
  });
});
