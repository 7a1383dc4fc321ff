import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EdgeWindow } from '../../control/ui/edge-window.js';
import { edgeKey, type EdgeSample } from '../../control/ui/prom-text.js';

/** One proxy's counters for one edge: `total` requests, `errors` of them 5xx, all under 10 ms. */
const sample = (source: string, destination: string, total: number, errors = 0): EdgeSample =>
  new Map([[edgeKey(source, destination), { total, errors, buckets: new Map([[0.01, total], [Infinity, total]]) }]]);

describe('edges over the last minute', () => {
  it('is the rate and error ratio of what was counted between the first and last scrape in the window', () => {
    const w = new EdgeWindow(60_000);
    w.record(0, new Map([['a', sample('web', 'api', 100, 0)]]));
    w.record(10_000, new Map([['a', sample('web', 'api', 300, 20)]]));
    w.record(20_000, new Map([['a', sample('web', 'api', 500, 40)]]));
    const [edge] = w.edges();
    assert.equal(edge!.rps, 20);
    assert.equal(edge!.requests, 400);
    assert.equal(edge!.errorRatio, 0.1);
    assert.ok(edge!.p99Ms !== null && edge!.p99Ms <= 10, `p99 ${edge!.p99Ms} within the 10 ms bucket`);
  });

  it('reads the p99 from the buckets that rose in the window, interpolated as histogram_quantile does', () => {
    const at = (under10ms: number, under100ms: number): EdgeSample =>
      new Map([[edgeKey('web', 'api'), { total: under100ms, errors: 0, buckets: new Map([[0.01, under10ms], [0.1, under100ms], [Infinity, under100ms]]) }]]);
    const w = new EdgeWindow(60_000);
    w.record(0, new Map([['a', at(1000, 1000)]]));
    w.record(10_000, new Map([['a', at(1050, 1100)]]));
    // 100 calls in the window, 50 under 10 ms: the 99th is 49/50 of the way through (10, 100] ms.
    assert.equal(w.edges()[0]!.p99Ms, 98.2);
    assert.deepEqual(w.series().destinations.api!.p99Ms, [98.2]);
  });

  it('adds up proxies that make the same call', () => {
    const w = new EdgeWindow(60_000);
    w.record(0, new Map([['a', sample('web', 'api', 0)], ['b', sample('web', 'api', 0)]]));
    w.record(10_000, new Map([['a', sample('web', 'api', 100)], ['b', sample('web', 'api', 50, 50)]]));
    const [edge] = w.edges();
    assert.equal(edge!.rps, 15);
    assert.equal(edge!.errorRatio, 50 / 150);
  });

  it('counts a proxy that restarted (its counters went down) from zero, never as negative traffic', () => {
    const w = new EdgeWindow(60_000);
    w.record(0, new Map([['a', sample('web', 'api', 1000)]]));
    w.record(10_000, new Map([['a', sample('web', 'api', 40)]]));
    assert.equal(w.edges()[0]!.requests, 40);
  });

  it('forgets what happened before the window, keeping the scrape just before it as the baseline', () => {
    const w = new EdgeWindow(60_000);
    w.record(0, new Map([['a', sample('web', 'api', 0)]]));
    w.record(50_000, new Map([['a', sample('web', 'api', 5000)]]));
    w.record(100_000, new Map([['a', sample('web', 'api', 5000)]]));
    w.record(120_000, new Map([['a', sample('web', 'api', 5000)]]));
    assert.deepEqual(w.edges(), [], 'nothing was called in the last minute');
  });

  it('gives the charts one point per scrape, per destination', () => {
    const w = new EdgeWindow(60_000);
    w.record(0, new Map([['a', new Map([...sample('web', 'api', 0), ...sample('web', 'db', 0)])]]));
    w.record(2_000, new Map([['a', new Map([...sample('web', 'api', 20, 2), ...sample('web', 'db', 4)])]]));
    w.record(4_000, new Map([['a', new Map([...sample('web', 'api', 40, 2), ...sample('web', 'db', 4)])]]));
    const s = w.series();
    assert.deepEqual(s.t, [2, 4]);
    assert.deepEqual(s.destinations.api!.rps, [10, 10]);
    assert.deepEqual(s.destinations.api!.errorRatio, [0.1, 0]);
    assert.deepEqual(s.destinations.db!.errorRatio, [0, null], 'no call in the second interval: no ratio, not 0%');
  });
});

describe('edges before a rate is known', () => {
  it('lists an edge one scrape has seen with no rate, and with its rate once a second scrape came', () => {
    const w = new EdgeWindow(60_000);
    w.record(0, new Map([['a', sample('web', 'api', 100)]]));
    assert.equal(w.scrapes, 1);
    assert.deepEqual(w.edges().map((e) => [e.destination, e.rps, e.requests]), [['api', null, 0]]);
    w.record(1000, new Map([['a', sample('web', 'api', 140)]]));
    assert.deepEqual(w.edges().map((e) => [e.destination, e.rps, e.requests]), [['api', 40, 40]]);
  });

  it('leaves out an edge whose counters are still at zero on the first scrape', () => {
    const w = new EdgeWindow(60_000);
    w.record(0, new Map([['a', sample('web', 'api', 0)]]));
    assert.deepEqual(w.edges(), []);
  });
});
