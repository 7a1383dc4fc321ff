import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distinctLabels } from '../../reports/chart-text.js';
import { renderHtml } from '../../reports/html.js';
import { pct, num } from '../../reports/run-frame.js';
import { stageName } from '../../reports/canary/canary-charts.js';
import type { Journal } from '../../runner/journal.js';
import { outageJournal, probeRecord } from './journal-fixture.js';

const run = (j: Journal) => renderHtml({ kind: 'run', journal: j });
/** The SVG of the chart titled `title`. */
const chartOf = (html: string, title: string) => {
  const at = html.indexOf(`aria-label="${title}"`);
  assert.ok(at >= 0, `a chart "${title}"`);
  return html.slice(at, html.indexOf('</svg>', at));
};
const ticksOf = (svg: string) => [...svg.matchAll(/<text class="tick" [^>]*text-anchor="end" fill="#4b5563">([^<]+)<\/text>/g)].map((m) => m[1]!).filter((t) => !t.endsWith('s'));

/** The outage run, but with every call answered: the retries hid each faulted attempt. */
function absorbedJournal(): Journal {
  const j = outageJournal();
  const destinations = Object.fromEntries(Object.entries(j.timeseries.destinations).map(([d, points]) => [d, points.map((p) => ({ ...p, errorRatio: 0, activity: p.activity && { ...p.activity, errors: 0 } }))]));
  return { ...j, timeseries: { ...j.timeseries, destinations } };
}

describe('run charts', () => {
  it('labels axis ticks so that no two read the same, with the fewest decimals that say each value', () => {
    assert.deepEqual(distinctLabels([0.985, 0.99, 0.995, 1], pct), ['98.5%', '99.0%', '99.5%', '100.0%']);
    assert.deepEqual(distinctLabels([0, 0.0025, 0.005, 0.0075, 0.01], pct), ['0.00%', '0.25%', '0.50%', '0.75%', '1.00%'], '0.25% is not rounded to 0.3%');
    assert.deepEqual(distinctLabels([0, 0.25, 0.5, 0.75, 1], pct), ['0%', '25%', '50%', '75%', '100%'], 'round ticks keep the plain format');
    assert.deepEqual(distinctLabels([1000, 1000.5, 1001], num), ['1000.0', '1000.5', '1001.0']);
    assert.deepEqual(distinctLabels([0, 50, 100], (y) => `${y}%`), ['0%', '50%', '100%'], 'a format without decimals is used as it is');
  });

  it('says on the error chart when callers saw no errors, how many faulted attempts the retries absorbed, on a 0–1% axis', () => {
    const svg = chartOf(run(absorbedJournal()), 'Error ratio');
    assert.match(svg, /<text class="notice"[^>]*>callers saw no errors: retries absorbed 12 faulted/);
    assert.deepEqual(ticksOf(svg).at(-1), '1.00%', 'the axis stops at 1%, not 6%');
    assert.equal(new Set(ticksOf(svg)).size, ticksOf(svg).length);
  });

  it('keeps the plain error chart when callers did see errors', () => {
    const svg = chartOf(run(outageJournal()), 'Error ratio');
    assert.ok(!svg.includes('class="notice"'), 'no notice');
    assert.equal(ticksOf(svg).at(-1), '15%', 'the axis reaches past the 12.5% peak');
  });

  it('charts a load probe of the hypothesis against its tolerance, from the value its tolerance judged', () => {
    const load = { type: 'probe', name: 'web-success-ratio', tolerance: { type: 'threshold', min: 0.99, target: 'successRatio' }, provider: { type: 'load', proxy: 'http://127.0.0.1:1', target: 'checkout', rate: 10, duration: 5000 } };
    const j = outageJournal();
    const check = (from: number, to: number, value: number) => ({ at: new Date(Date.parse(j.start) + from * 1000).toISOString(), met: true, probes: [probeRecord(load, 'hypothesis', from, to, value, true)] });
    const html = run({ ...j, steady_states: { before: check(0, 4, 1), during: [check(8, 12, 0.995)], after: check(17, 21, 1) } });
    const svg = chartOf(html, 'Probe &quot;web-success-ratio&quot;');
    assert.match(svg, /<g class="series" data-name="web-success-ratio" data-points="3">/);
    assert.match(svg, /data-name="checkout success-ratio, 1s samples, every caller"/, 'behind it, the sampled success ratio of its target');
    assert.match(html, /successRatio of the probe&#39;s own requests to checkout through http:\/\/127\.0\.0\.1:1/);
  });

  it('names a canary chaos stage by its file, not its whole path', () => {
    assert.equal(stageName('/tmp/n-clone/experiments/canary-payments-v2-chaos.yaml'), 'canary-payments-v2-chaos');
    assert.equal(stageName('C:\\work\\chaos.json'), 'chaos');
    assert.equal(stageName('stage'), 'stage');
  });
});
