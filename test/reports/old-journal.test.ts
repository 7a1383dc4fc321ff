import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderHtml } from '../../reports/html.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { readReportInput } from '../../reports/report-input.js';
import { runReport } from '../../reports/report-model.js';
import { tempDir } from '../helpers/mesh-fixture.js';

/**
 * A journal as faultmesh wrote it before its journals took Chaos Toolkit's
 * shape (made by a real run of that code): parsed activities (durations in
 * ms, arguments split), no chaoslib-version, platform or node, and a
 * deviation written as status `failed`.
 */
const FIXTURE = fileURLToPath(new URL('../fixtures/ctk-journal/faultmesh-0.1.0-journal.json', import.meta.url));

describe('a journal from an older faultmesh', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const input = readReportInput(FIXTURE);

  it('is read as a run, its deviation as a deviation though its status says failed', () => {
    assert.equal(input.kind, 'run');
    const j = input.kind === 'run' ? input.journal : undefined;
    assert.deepEqual([j?.status, j?.deviated, j?.['chaoslib-version']], ['failed', true, undefined]);
    assert.equal(j?.run[1]?.activity.provider.type, 'load');
  });

  it('renders to HTML: title, verdict, charts, steady state, fault, method, safeguards, rollbacks and errors', () => {
    const html = renderHtml(input);
    assert.match(html, /<h1>Checkout survives a payments brown-out <span class="badge deviated">deviated<\/span><\/h1>/);
    assert.match(html, /experiments\/checkout\.yaml · run 2e2fe5 · <span class="when">2026-12-02 16:21:26 UTC<\/span> to <span class="when">2026-12-02 16:21:28 UTC<\/span> · 2\.4s/);
    assert.ok(html.includes('Deviated: probe &quot;payments-ok&quot; returned 503, outside its tolerance (= 200) during the method.'));
    assert.match(html, /<g class="series" data-name="payments" data-points="8">/);
    assert.match(html, /<g class="fault-window"><title>fault payments-503: [\d.]+s to [\d.]+s<\/title>/);
    assert.match(html, /<g class="series" data-name="payments-errors" data-points="1">/, 'the metric probe is charted');
    assert.deepEqual(runReport(input.kind === 'run' ? input.journal : (undefined as never)).charts.map((c) => c.key), ['rate', 'errors', 'p99', 'probe-payments-errors'], 'no mesh-activity chart: the journal has none of that data');
    assert.doesNotMatch(html, /Outlier ejections/, 'nor an ejections table');
    assert.equal(html.match(/<td>payments-ok<\/td>/g)?.length, 7, 'before, five checks during, after');
    assert.match(html, /<td class="when">during \(0\.5s\)<\/td><td>payments-ok<\/td><td>503<\/td><td>= 200<\/td><td class="no">NO<\/td>/);
    assert.match(html, /<td>payments-503-2e2fe5-1<\/td><td>payments: abort 503 100%<\/td><td>http:\/\/127\.0\.0\.1:\d+<\/td>/);
    assert.match(html, /<td>action traffic<\/td><td>succeeded<\/td><td>1\.2s<\/td><td>40 requests at [\d.]+\/s, 27\.5% ok, p99 [\d.]+ ms<\/td>/);
    assert.match(html, /<td>payments-guard<\/td><td>5<\/td><td>200<\/td><td>in \[200,503\]<\/td><td class="yes">yes<\/td>/);
    assert.match(html, /<td>action restart-payments<\/td><td>failed<\/td><td>0\.0s<\/td><td>failed: cannot run &quot;faultmesh-no-such-program&quot;: not found<\/td>/);
    assert.match(html, /<td>rollbacks<\/td><td>rollback &quot;restart-payments&quot; failed/);
  });

  it('renders to Markdown with the same tables and its charts as files', () => {
    const md = renderMarkdown(input, 'old-charts');
    assert.ok(md.text.startsWith('# Checkout survives a payments brown-out\n\n❌ **deviated**: Deviated: probe "payments-ok" returned 503'), md.text.slice(0, 200));
    assert.match(md.text, /\| before \| payments-ok \| 200 \| = 200 \| yes \|/);
    assert.match(md.text, /\| after \| payments-ok \| 200 \| = 200 \| yes \|/);
    assert.match(md.text, /\| payments-503-2e2fe5-1 \| payments: abort 503 100% \| http:\/\/127\.0\.0\.1:\d+ \| 0\.2s \| 0\.8s \| 0\.6s \| 31 \| 31 \| removed \|/);
    assert.match(md.text, /\| action payments-503 \| succeeded \| 0\.8s \| fault removed after 0\.6s, matched 31, hit 31 \|/);
    assert.match(md.text, /\| probe payments-errors \| succeeded \| 1\.0s \| 0 \|/);
    assert.match(md.text, /\| action restart-payments \| failed \| 0\.0s \| failed: cannot run "faultmesh-no-such-program": not found \|/);
    assert.doesNotMatch(md.text, /&(quot|gt|lt|amp|#39);/, 'plain text, no HTML entity');
    assert.deepEqual(md.files.map((f) => f.path), ['old-charts/rate.svg', 'old-charts/errors.svg', 'old-charts/p99.svg', 'old-charts/probe-payments-errors.svg']);
  });

  it('reads an older journal\'s interrupted record as interrupted', () => {
    const raw = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { run: Array<Record<string, unknown>> };
    Object.assign(raw.run[2]!, { status: 'interrupted', error: 'interrupted during the pause after' });
    const md = renderMarkdown(readReportInput(dir.file('interrupted.json', JSON.stringify(raw))), 'c').text;
    assert.match(md, /\| probe payments-errors \| interrupted \| 1\.0s \| interrupted: interrupted during the pause after \|/);
  });
});
