import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { renderHtml } from '../../reports/html.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { readReportInput } from '../../reports/report-input.js';
import { runReport } from '../../reports/report-model.js';
import type { ActivityRecord, Journal } from '../../runner/journal.js';
import { verdictOf } from '../../runner/verdict.js';
import { tempDir } from '../helpers/mesh-fixture.js';
import { CONTROL, deviatedJournal, outageJournal, probeRecord } from './journal-fixture.js';

const chart = (j: Journal, key: string) => {
  const c = runReport(j).charts.find((x) => x.key === key);
  assert.ok(c, `chart ${key} among ${runReport(j).charts.map((x) => x.key).join(', ')}`);
  return c;
};

/** A journal read back from disk, as `faultmesh report` reads it. */
function fromDisk(dir: ReturnType<typeof tempDir>, name: string, j: Journal): Journal {
  const input = readReportInput(dir.file(name, JSON.stringify(j)));
  assert.equal(input.kind, 'run');
  return input.kind === 'run' ? input.journal : j;
}

describe('a report shows what the mesh did', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const j = fromDisk(dir, 'outage.json', outageJournal());

  it('keeps the mesh activity, ejections, names and places when the journal is read back', () => {
    assert.deepEqual(j.timeseries.destinations.payments![5]!.activity, outageJournal().timeseries.destinations.payments![5]!.activity);
    assert.equal(j.timeseries.ejections?.length, 1);
    assert.equal(j.timeseries.names?.[0]?.proxies?.length, 2);
    assert.equal(j.timeseries.places?.payments?.['payments-us-2']?.zone, 'us-east-1b');
  });

  it('charts retries per second by reason, with each ejection marked on the time axis and its instance named', () => {
    const svg = chart(j, 'retries').svg;
    assert.match(svg, /<g class="series" data-name="payments: 5xx" data-points="20">/);
    assert.match(svg, /<text class="event-label" [^>]*>payments-eu-1<\/text>/);
    assert.match(svg, /<title>payments-eu-1 \(payments\) ejected by checkout-sidecar \(eu-west · eu-west-1a\), consecutive-5xx, between 5\.0s and 6\.0s<\/title>/);
  });

  it('charts the attempts the fault hit against the errors callers saw, with both totals', () => {
    const c = chart(j, 'faults-payments');
    assert.match(c.svg, /data-name="attempts faulted \(abort\): 12 in all"/);
    assert.match(c.svg, /data-name="errors callers saw: 1 in all"/);
    assert.equal(c.note, 'The fault hit 12 attempts to payments (abort 12); its callers saw 1 error (5xx or no answer) after retries.');
  });

  it('stacks the traffic per instance, grouped and coloured by region, so the failover to us-east shows', () => {
    const svg = chart(j, 'traffic-payments').svg;
    const names = [...svg.matchAll(/<g class="series" data-name="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(names, ['payments-eu-1 (eu-west · eu-west-1a)', 'payments-us-1 (us-east · us-east-1a)', 'payments-us-2 (us-east · us-east-1b)']);
    const fills = [...svg.matchAll(/<polygon [^>]*fill="(#[0-9a-f]+)"/g)].map((m) => m[1]);
    assert.equal(fills.length, 3, 'one stacked area per instance');
    assert.notEqual(fills[0], fills[1], 'eu-west and us-east in different colour families');
    // eu-1's area ends at 0 after its ejection: its upper edge meets the axis from 7s on.
    const eu = /<polygon points="([^"]+)"/.exec(svg)![1]!.split(' ').slice(0, 20).map((p) => Number(p.split(',')[1]));
    assert.ok(eu.slice(0, 5).every((y) => y < eu.at(-1)!), 'eu-1 carried traffic before the fault');
    assert.equal(new Set(eu.slice(7)).size, 1, 'and none after its ejection');
  });

  it('draws each probe against its tolerance as a band, each reading in the middle of the window it measured', () => {
    const svg = chart(j, 'probe-checkout-success-ratio').svg;
    assert.match(svg, /<g class="tolerance"><title>tolerance: allowed: &gt;= 0\.99<\/title><rect /);
    assert.match(svg, /<title>checkout-success-ratio: 100% at 2\.1s \(measured 0\.1s to 4\.2s\)<\/title>/);
    assert.match(svg, /data-name="checkout success-ratio, 1s samples, every caller"/, 'the sampled measure behind the readings');
    assert.match(chart(j, 'rate').svg, /<title>steady state before at 2\.1s: met \(measured 0\.1s to 4\.2s\)<\/title>/, 'the check mark sits mid-window');
  });

  it('names the proxies, not their ports: the URL is a tooltip in HTML and a footnote in Markdown', () => {
    const r = runReport(j);
    assert.deepEqual(r.faults[0]![2], { text: 'control plane, applied by checkout-sidecar (eu-west · eu-west-1a), ingress', title: CONTROL });
    const html = renderHtml({ kind: 'run', journal: j });
    assert.ok(html.includes(`Sampled every 1s from <span class="named" title="${CONTROL}">control plane (2 proxies: checkout-sidecar (eu-west · eu-west-1a), ingress)</span>.`));
    assert.ok(!html.replace(/title="[^"]*"/g, '').includes('127.0.0.1:15100'), 'the URL shows only as a tooltip');
    assert.match(html, /<td>payments<\/td><td>payments-eu-1<\/td><td>consecutive-5xx<\/td><td>checkout-sidecar \(eu-west · eu-west-1a\)<\/td>/, 'the ejections table');
    const md = renderMarkdown({ kind: 'run', journal: j }, 'c').text;
    assert.match(md, /\| control plane, applied by checkout-sidecar \(eu-west · eu-west-1a\), ingress\[\^1\] \|/);
    assert.match(md, /^\[\^1\]: http:\/\/127\.0\.0\.1:15100$/m);
  });

  it('writes Markdown as plain text: backslash escapes, never an HTML entity', () => {
    const md = renderMarkdown({ kind: 'run', journal: deviatedJournal() }, 'c').text;
    assert.ok(md.includes('Deviated: probe "checkout-success-ratio" returned 0.97, outside its tolerance (\\>= 0.99) after the method.'), md.slice(0, 400));
    assert.doesNotMatch(md, /&(quot|gt|lt|amp|#39);/);
  });
});

describe('the verdict and the badge say what the run showed', () => {
  const during = (value: number, at: number) => ({ at: new Date(Date.parse(outageJournal().start) + at * 1000).toISOString(), met: true, probes: [probeRecord(outageJournal().steady_states.before!.probes[0]!.activity, 'hypothesis', at, at + 4, value, true)] });

  it('gives the values seen during the method too', () => {
    const j = outageJournal({ steady_states: { ...outageJournal().steady_states, during: [during(0.995, 6), during(1, 10)] } });
    assert.equal(verdictOf(j), 'The hypothesis held: the steady state was met before and after the method, and at 2 checks during it: "checkout-success-ratio" 1 before, 0.995 to 1 at 2 checks during and 1 after (>= 0.99).');
  });

  it('says when no check ran during the fault window, and what the safeguards saw meanwhile', () => {
    assert.equal(
      verdictOf(outageJournal()),
      'The hypothesis held: the steady state was met before and after the method: "checkout-success-ratio" 1 before and 1 after (>= 0.99); no check ran during the fault window (safeguard "checkout-success-above-90-percent" saw 0.9091 to 1 during the method).',
    );
    assert.doesNotMatch(verdictOf(outageJournal({ faults: [], safeguards: [] })), /fault window/, 'no fault, no fault window');
  });

  it('badges a run that held while a method activity failed "held, partly tested", in the summary too', () => {
    const broken: ActivityRecord = { ...outageJournal().run[0]!, status: 'failed', error: 'cannot run "restart-payments": not found' };
    const partly = outageJournal({ run: [broken], runId: 'p1' });
    assert.deepEqual(runReport(partly).badge, { word: 'held, partly tested', tone: 'partly' });
    assert.match(verdictOf(partly), /^The hypothesis held, but 1 method activity failed \(payments-region-down: cannot run "restart-payments": not found\): what it would have done was not tested\./);
    const html = renderHtml({ kind: 'run', journal: partly });
    assert.match(html, /<h1>[^<]+ <span class="badge partly">held, partly tested<\/span><\/h1>/);
    assert.match(html, /<div class="verdict partly">/);
    const day = renderHtml({ kind: 'gameday', title: 'Day', journals: [outageJournal(), partly], notes: [], label: 'Game day' });
    assert.match(day, /Game day · 2 runs · 2 held \(1 partly tested\)/);
    assert.match(renderMarkdown({ kind: 'run', journal: partly }, 'c').text, /^⚠️ \*\*held, partly tested\*\*: The hypothesis held, but/m);
  });
});

describe("the demo's summary", () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('is titled for the demo, not as a game day', () => {
    writeFileSync(join(dir.path, 'a.json'), JSON.stringify(outageJournal()));
    writeFileSync(join(dir.path, 'gameday.json'), JSON.stringify({ gameday: 'faultmesh demo', kind: 'demo', runs: ['x'] }));
    const html = renderHtml(readReportInput(dir.path));
    assert.match(html, /<title>faultmesh demo<\/title>/);
    assert.match(html, /<p class="meta">Demo · 1 run · 1 held<\/p>/);
    assert.doesNotMatch(html, /[Gg]ame day/);
    assert.match(renderMarkdown(readReportInput(dir.path), 'c').text, /^# faultmesh demo\n\nDemo · 1 run · 1 held$/m);
  });
});
