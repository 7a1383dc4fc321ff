import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { renderHtml } from '../../reports/html.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { readReportInput, type ReportInput } from '../../reports/report-input.js';
import type { CanaryJournal } from '../../runner/canary/canary-types.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/canary/${name}.json`, import.meta.url));
const journalOf = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8')) as CanaryJournal;
const canary = (journal: CanaryJournal): ReportInput => ({ kind: 'canary', journal });
const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

describe('canary report', () => {
  it('reads a canary journal as a canary report input', () => {
    const input = readReportInput(fixture('rolled-back'));
    assert.equal(input.kind, 'canary');
    assert.equal(input.kind === 'canary' && input.journal.judgements.length, 3);
  });

  it('leads with the decision sentence, then the service, subsets, steps and analysis settings', () => {
    const html = renderHtml(readReportInput(fixture('rolled-back')));
    assert.match(html, /<div class="verdict rolled-back">Rolled back at 10%: canary error ratio 4\.1% vs stable 0\.3% \(\+3\.8 points, 95% CI \+2\.7\.\.\+5\.2\), 2 failed checks\.<\/div>/);
    assert.match(html, /<span class="badge rolled-back">rolled back<\/span>/);
    assert.ok(html.indexOf('class="verdict') < html.indexOf('<svg'), 'the sentence comes before the charts');
    for (const [k, v] of [
      ['service', 'payments, route 0'],
      ['stable', 'version=v1'],
      ['canary', 'version=v2'],
      ['steps', '5%, 10%, 25%, 50%'],
      ['interval', '30s (each step lasts at least this long)'],
      ['confidence', '95%'],
      ['weights via', 'control plane http://127.0.0.1:15100'],
      ['start', '2026-12-01 09:15:00 UTC'],
      ['duration', '1m 52.6s'],
    ]) {
      assert.ok(html.includes(`<tr><th>${k}</th><td>${v}</td></tr>`), `${k}: ${v}`);
    }
    assert.match(html, /<tr><th>minRequests<\/th><td>200 per subset per window/);
  });

  it('draws a chart per metric over time, stable against canary, with the chaos stage shaded in each', () => {
    const j = journalOf('rolled-back');
    const html = renderHtml(canary(j));
    for (const title of ['Canary weight (% of traffic)', 'Error ratio, canary vs stable', 'p99 latency (ms), canary vs stable', 'Request rate per subset (req/s)']) {
      assert.ok(html.includes(`aria-label="${title}"`), title);
    }
    assert.equal(count(html, /<g class="series" data-name="stable" data-points="\d+">/), 3);
    assert.match(html, new RegExp(`<g class="series" data-name="canary" data-points="${j.timeseries.length}">`), 'the request-rate chart has every sample');
    // The weight line steps: 0 → 5 → 10 → 0 is the start point, two points per change and the end.
    assert.match(html, /<g class="series" data-name="canary weight" data-points="8">/);
    assert.equal(count(html, /<g class="fault-window"><title>fault chaos: payments-v2-under-latency: 30\.5s to 52\.0s<\/title><rect /), 4);
    assert.equal(count(html, />chaos: payments-v2-under-latency<\/text>/), 4, 'labelled by the file\'s base name, which fits in the band');
  });

  it('marks each judgement on the time axis: pass green, fail red, insufficient grey', () => {
    const rolledBack = renderHtml(canary(journalOf('rolled-back')));
    assert.match(rolledBack, /<g class="check"><title>judgement, step 1 at 5% at 30\.2s: pass<\/title><line [^>]*stroke="#059669"/);
    assert.equal(count(rolledBack, /<g class="check"><title>judgement, step 2 at 10% at (82\.1|112\.2)s: fail<\/title><line [^>]*stroke="#dc2626"/), 8);
    const promoted = renderHtml(canary(journalOf('promoted')));
    assert.match(promoted, /<g class="check"><title>judgement, step 1 at 10% at 10\.1s: insufficient<\/title><line [^>]*stroke="#6b7280"/);
  });

  it('lists every judgement with its checks: values, difference and its interval, p-value, sample sizes, thresholds, reason', () => {
    const html = renderHtml(canary(journalOf('rolled-back')));
    assert.match(html, /<table class="judgements"><thead><tr><th>judgement<\/th><th>check<\/th><th>result<\/th><th>stable<\/th><th>canary<\/th><th>difference \(CI\)<\/th><th>p-value<\/th><th>samples<\/th><th>threshold<\/th><\/tr><\/thead>/);
    const last = html.slice(html.lastIndexOf('<tbody class="judgement">'));
    assert.match(
      last,
      /^<tbody class="judgement"><tr><td class="own fail" rowspan="4"><span class="when">09:16:52 \(\+112\.2s\)<\/span><span class="sub">step 2 at 10%<\/span>fail \(failed checks: 2 of 2\)<\/td><td>error ratio<\/td><td class="fail">fail<\/td><td>0\.30% \(27 of 9000\)<\/td><td>4\.1% \(41 of 1000\)<\/td><td>\+3\.8 points<span class="sub">95%: \+2\.7\.\.\+5\.2 points<\/span><\/td><td>p&lt;0\.0001<span class="sub">Fisher&#39;s exact, one-sided<\/span><\/td><td>9000 \/ 1000<\/td><td>canary at most \+1 point over stable<\/td><\/tr><tr><td class="reason" colspan="8">canary error ratio 4\.1% vs stable 0\.3%/,
    );
    assert.match(last, /<td>latency p99<\/td><td class="pass">pass<\/td><td>180 ms<\/td><td>189 ms<\/td><td>1\.05x<span class="sub">95%: 0\.93x\.\.1\.17x<\/span><\/td><td>p=0\.29<span class="sub">Mann–Whitney U=4572000, z=0\.55; P\(canary slower\)=0\.51<\/span><\/td><td>9000 \/ 1000<\/td><td>ratio at most 1\.2x<\/td>/);
    assert.equal(count(html, /<tbody class="judgement">/), 3);
    assert.equal(count(html, /<td class="reason" colspan="8">/), journalOf('rolled-back').judgements.reduce((n, g) => n + g.checks.length, 0), 'each check\'s reason on its own line');
  });

  it('shows an insufficient-data judgement as its own outcome, never as a pass', () => {
    const html = renderHtml(canary(journalOf('promoted')));
    assert.match(html, /<td class="own insufficient" rowspan="4"><span class="when">[^<]+<\/span><span class="sub">step 1 at 10%<\/span>insufficient<\/td><td>error ratio<\/td><td class="insufficient">insufficient<\/td><td>0\.13% \(1 of 760\)<\/td><td>0% \(0 of 84\)<\/td><td>—<\/td><td>—<\/td><td>760 \/ 84<\/td>/);
    assert.match(html, /insufficient data: canary had 84 requests, fewer than minRequests 100/);
  });

  it('tabulates the chaos stages with their window, status and journal', () => {
    const html = renderHtml(canary(journalOf('rolled-back')));
    assert.match(html, /<th>experiment<\/th><th>at weight<\/th><th>from<\/th><th>to<\/th><th>status<\/th><th>deviated<\/th><th>stopped by<\/th><th>journal<\/th>/);
    assert.match(html, /<tr><td>payments-v2-under-latency\.yaml<\/td><td>10%<\/td><td>09:15:30 \(\+30\.5s\)<\/td><td>09:15:52 \(\+52\.0s\)<\/td><td>completed<\/td><td>no<\/td><td>—<\/td><td>journals\/payments-v2-under-latency-20261201T091530Z\.json<\/td><\/tr>/);
    assert.ok(!/href=/.test(html), 'the journal path is text, not a link');
  });

  it('shows the promotion: the command to run, the mesh file, whether it was applied; and the errors', () => {
    const html = renderHtml(canary(journalOf('promoted')));
    assert.match(html, /<div class="verdict promoted">Promoted: catalog v2 passed 3 steps/);
    assert.match(html, /<h2>Promotion<\/h2>\n<div class="table"><table class="facts"><tbody><tr><th>command to run<\/th><td>faultmesh mesh apply demo\/shop\/mesh\.catalog-v2\.yaml<\/td><\/tr><tr><th>mesh file<\/th><td>demo\/shop\/mesh\.catalog-v2\.yaml<\/td><\/tr><tr><th>applied<\/th><td>no<\/td><\/tr>/);
    assert.match(html, /<tr><th>weights via<\/th><td>proxy admins http:\/\/127\.0\.0\.1:15001, http:\/\/127\.0\.0\.1:15002<\/td><\/tr>/);
    assert.match(html, /<td>09:20:26 \(\+26\.0s\)<\/td><td>http:\/\/127\.0\.0\.1:15002: sample failed \(ECONNRESET\)/);
    assert.ok(!renderHtml(canary(journalOf('rolled-back'))).includes('<h2>Promotion</h2>'), 'no promotion block without a promotion');
  });

  it('says a journal that stops mid-run reached no decision, and where it stood', () => {
    const html = renderHtml(readReportInput(fixture('running')));
    assert.match(html, /<div class="verdict running">Still running at 25% \(step 3 of 4\) when this journal was written: no decision\.<\/div>/);
    assert.match(html, /<p class="incomplete-note">Incomplete: this journal stops during step 3 at 25%\./);
    assert.match(html, /<tr><th>end<\/th><td>—<\/td><\/tr><tr><th>duration<\/th><td>still running<\/td><\/tr>/);
    const md = renderMarkdown(readReportInput(fixture('running')), 'c').text;
    assert.match(md, /^⏳ \*\*running\*\*: Still running at 25% \(step 3 of 4\) when this journal was written: no decision\.$/m);
  });

  it('escapes every string from the journal: a label value <img onerror=x> shows as text', () => {
    const j = journalOf('rolled-back');
    const hostile = { ...j, name: 'payments "v2" <script>alert(1)</script>', canary: { version: '<img onerror=x>' }, errors: [{ at: j.start, message: 'proxy said <b>no</b> & left' }], chaos: [{ ...j.chaos[0]!, experiment: '<svg onload=x>.yaml' }] };
    const html = renderHtml(canary(hostile));
    assert.ok(html.includes('<tr><th>canary</th><td>version=&lt;img onerror=x&gt;</td></tr>'));
    assert.ok(html.includes('<h1>payments &quot;v2&quot; &lt;script&gt;alert(1)&lt;/script&gt; <span'));
    assert.ok(html.includes('chaos: &lt;svg onload=x&gt;</text>'), 'in the charts too');
    assert.ok(!/<img|<script|<b>|<svg onload/i.test(html), 'no markup from the journal survives');
    const md = renderMarkdown(canary(hostile), 'c');
    assert.ok(md.text.includes('| canary | version=\\<img onerror=x\\> |'));
    assert.ok(md.text.includes('proxy said \\<b\\>no\\</b\\> \\& left'));
    assert.ok(!/(^|[^\\])</m.test(md.text), 'every < in the Markdown is escaped');
    assert.ok(md.files.every((f) => !f.content.includes('<svg onload')), 'the chart files escape as SVG');
  });

  it('renders Markdown with the same tables, charts as SVG files beside it, and plain text instead of HTML entities', () => {
    const md = renderMarkdown(readReportInput(fixture('rolled-back')), 'canary-charts');
    assert.match(md.text, /^# payments v2\n\n❌ \*\*rolled back\*\*: Rolled back at 10%: canary error ratio 4\.1% vs stable 0\.3% \(\+3\.8 points, 95% CI \+2\.7\.\.\+5\.2\), 2 failed checks\./);
    assert.match(md.text, /^\| service \| payments, route 0 \|$/m);
    assert.match(md.text, /^\| when \| step \| weight \| judgement \| check \| result \| stable \| canary \| difference \/ ratio \| CI \| p-value \| samples \(stable \/ canary\) \| threshold \| reason \|$/m);
    assert.match(md.text, /^\| 09:16:52 \(\+112\.2s\) \| 2 \| 10% \| fail \(failed checks: 2 of 2\) \| error ratio \| fail \| 0\.30% \(27 of 9000\) \| 4\.1% \(41 of 1000\) \| \+3\.8 points \| 95%: \+2\.7\.\.\+5\.2 points \| p\\<0\.0001 \(Fisher's exact, one-sided\) \|/m);
    assert.match(md.text, /^\| {2}\| {2}\| {2}\| {2}\| latency p99 \| pass \|/m, "a judgement's second check continues its group");
    assert.match(md.text, /^\| payments-v2-under-latency\.yaml \| 10% \| 09:15:30 \(\+30\.5s\) \|/m);
    assert.deepEqual(md.files.map((f) => f.path), ['canary-charts/weight.svg', 'canary-charts/errors.svg', 'canary-charts/p99.svg', 'canary-charts/rate.svg']);
    assert.match(md.text, /!\[Canary weight \(% of traffic\)\]\(canary-charts\/weight\.svg\)/);
    assert.match(md.files[1]!.content, /<g class="fault-window">/);
    assert.ok(md.text.includes('fewer is "insufficient data", never a pass'), 'quotes stay quotes');
    for (const name of ['rolled-back', 'promoted', 'running']) {
      const text = renderMarkdown(readReportInput(fixture(name)), 'c').text;
      assert.ok(!/&(quot|gt|lt|amp|#39);/.test(text), `${name}: no HTML entity in the Markdown`);
    }
    assert.match(renderMarkdown(canary(journalOf('promoted')), 'c').text, /^\| command to run \| faultmesh mesh apply demo\/shop\/mesh\.catalog-v2\.yaml \|$/m);
  });
});
