import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderHtml } from '../../reports/html.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { readReportInput } from '../../reports/report-input.js';
import { writeReport } from '../../reports/write-report.js';
import { loadExperiment } from '../../runner/experiment/load-experiment.js';
import type { Journal } from '../../runner/journal.js';
import { runExperiment } from '../../runner/run-experiment.js';
import { verdictOf } from '../../runner/verdict.js';
import { runCli } from '../helpers/cli.js';
import { startFaultFixture, TOKEN, type FaultFixture } from '../helpers/fault-fixture.js';
import { tempDir } from '../helpers/mesh-fixture.js';
import { escapeHtml, escapeMarkdown } from '../../reports/escape.js';

describe('reports', () => {
  let mesh: FaultFixture;
  const dir = tempDir();
  let journalPath: string;
  let journal: Journal;

  /** A real short run: steady state, a 50% abort for 700 ms under load, steady state again. */
  before(async () => {
    mesh = await startFaultFixture({ timeoutMs: 2000 });
    const file = dir.file(
      'exp.yaml',
      `title: "Checkout <script>alert('x')</script> | survives"
description: "a title with <b>markup</b> and a | pipe"
steady-state-hypothesis:
  title: payments answer
  probes:
    - { type: probe, name: "payments-<img src=x onerror=alert(1)>", tolerance: 200, provider: { type: http, url: "${mesh.proxy.proxyUrl}/", headers: { host: payments } } }
method:
  - { type: action, name: half-503, background: true, provider: { type: fault, admin: "${mesh.proxy.adminUrl}", rule: { target: payments, percentage: 50, abort: { status: 503 } }, duration: 700ms } }
  - { type: action, name: traffic, provider: { type: load, proxy: "${mesh.proxy.proxyUrl}", target: payments, rate: 50, duration: 1.4s } }
`,
    );
    journalPath = join(dir.path, 'run.json');
    journal = await runExperiment(loadExperiment(file), { journalPath, token: TOKEN, sampleEveryMs: 100, leaseMs: 2000 });
  });
  after(async () => {
    await mesh.stop();
    dir.remove();
  });

  it('renders a real run to HTML: the verdict sentence, charts with the sampled points and the shaded fault window, the probe table', () => {
    const html = renderHtml(readReportInput(journalPath));
    assert.ok(html.includes(escapeHtml(verdictOf(journal))), 'verdict');
    const points = journal.timeseries.destinations.payments!.length;
    assert.ok(points >= 5, `${points} samples`); // every 100 ms over about 2 s, fewer on a busy machine
    assert.match(html, new RegExp(`<g class="series" data-name="payments" data-points="${points}">`));
    assert.match(html, /<g class="fault-window"><title>fault half-503: [\d.]+s to [\d.]+s<\/title><rect /);
    assert.match(html, /<g class="check"><title>steady state before at [\d.]+s: met \(measured [\d.]+s to [\d.]+s\)<\/title>/);
    assert.match(html, /<th>probe<\/th><th>value<\/th><th>tolerance<\/th><th>met<\/th>/);
    assert.match(html, /<td class="when">before<\/td><td>payments-&lt;img src=x onerror=alert\(1\)&gt;<\/td><td>200<\/td><td>= 200<\/td><td class="yes">yes<\/td>/);
    assert.match(html, /<td>half-503-\w+-1<\/td><td>payments: abort 503 50%<\/td>/);
  });

  it('records what the mesh did, to the end of the run: every attempt the fault hit, and where each instance sits', () => {
    const points = journal.timeseries.destinations.payments!;
    const hit = points.reduce((n, p) => n + (p.activity?.faulted.abort ?? 0), 0);
    // The fault's own count is read just before its removal, so a call hit in between is in the metrics only.
    const recorded = journal.faults[0]!.counts!.hit;
    assert.ok(recorded > 0 && hit >= recorded && hit <= recorded + 10, `the charts count every attempt the fault hit: ${hit}, the fault says ${recorded}`);
    assert.ok(points.reduce((n, p) => n + (p.activity?.errors ?? 0), 0) > 0, 'with no retries, callers saw the errors');
    const served = new Set(points.flatMap((p) => Object.keys(p.activity?.instances ?? {})));
    assert.ok(served.has('pay-1') && served.has('pay-2'), [...served].join());
    assert.ok(points.at(-1)!.t >= journal.run.at(-1)!.end, 'the last interval, cut short by the end of the run, is sampled too');
    assert.deepEqual(journal.timeseries.places?.payments?.['pay-2'], { region: 'us-east', zone: 'us-east-1b' });
    assert.equal(journal.timeseries.names?.[0]?.role, 'proxy');
    const html = renderHtml(readReportInput(journalPath));
    assert.match(html, /data-name="pay-1 \(eu-west · eu-west-1a\)"/, 'traffic per instance, with its place');
    assert.match(html, new RegExp(`The fault hit ${hit} attempts? to payments \\(abort ${hit}\\)`));
  });

  it('renders a real run to Markdown, with its charts as SVG files beside it', () => {
    const md = renderMarkdown(readReportInput(journalPath), 'run-charts');
    assert.ok(md.text.includes(escapeMarkdown(verdictOf(journal))));
    assert.match(md.text, /!\[Request rate \(req\/s\)\]\(run-charts\/rate\.svg\)/);
    assert.ok(md.text.includes('| before | payments-\\<img src=x onerror=alert(1)\\> | 200 | = 200 | yes |'), 'plain text, escaped with backslashes');
    const errors = md.files.find((f) => f.path === 'run-charts/errors.svg');
    assert.match(errors?.content ?? '', /class="fault-window"/);
    assert.ok(writeReport(readReportInput(journalPath), join(dir.path, 'out', 'run.md')).length >= 4);
    assert.match(readFileSync(join(dir.path, 'out', 'run-charts', 'rate.svg'), 'utf8'), /^<svg /);
  });

  it('escapes every string from the experiment: a title holding <script> shows as text', () => {
    const html = renderHtml(readReportInput(journalPath));
    assert.ok(!html.includes('<script>alert'), 'raw script tag');
    assert.ok(!html.includes('<img src=x'), 'raw img tag');
    assert.ok(!html.includes('<b>markup'), 'raw markup');
    assert.ok(html.includes('Checkout &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; | survives'));
    assert.ok(!/<script/i.test(html), 'the page runs no script at all');
    const md = renderMarkdown(readReportInput(journalPath), 'c').text;
    assert.doesNotMatch(md, /(^|[^\\])<\/?(script|img|b)\b/, 'every < is backslash-escaped');
    assert.ok(md.startsWith("# Checkout \\<script\\>alert('x')\\</script\\> \\| survives"), md.slice(0, 80));
  });

  it('renders a game-day folder with a summary of every run on top', () => {
    const day = join(dir.path, 'gameday');
    mkdirSync(day);
    const second = { ...journal, runId: 'second', start: new Date(Date.parse(journal.start) + 60_000).toISOString(), status: 'aborted', stoppedBy: 'safeguard "x" returned 0.5' };
    writeFileSync(join(day, 'b.json'), JSON.stringify(second));
    writeFileSync(join(day, 'a.json'), readFileSync(journalPath));
    writeFileSync(join(day, 'gameday.json'), JSON.stringify({ gameday: 'Payments resilience day' }));
    const html = renderHtml(readReportInput(day));
    assert.match(html, /<h1>Payments resilience day<\/h1>/);
    assert.match(html, /2 runs · 1 held/);
    const summary = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
    assert.match(summary, /href="#run-0">Checkout.*<span class="badge held">held<\/span>.*href="#run-1">Checkout.*<span class="badge aborted">aborted<\/span>/s);
    assert.match(html, /<section id="run-1">/);
    const md = renderMarkdown(readReportInput(day), 'c');
    assert.match(md.text, /^# Payments resilience day/);
    assert.match(md.text, /\| started \| experiment \| verdict \| duration \|/);
    assert.ok(md.files.some((f) => f.path === 'c/run-2-rate.svg'));
  });

  it('renders the journal of a run that crashed, and says it is incomplete', () => {
    const crashed = { faultmesh: 1, runId: 'x', experiment: { title: 'killed mid-method', file: 'e.yaml', tags: [] }, start: journal.start, status: 'running', phase: 'method', faults: [journal.faults[0]] };
    const file = join(dir.path, 'crashed.json');
    writeFileSync(file, JSON.stringify(crashed));
    const html = renderHtml(readReportInput(file));
    assert.match(html, /<span class="badge incomplete">incomplete<\/span>/);
    assert.match(html, /Incomplete: this journal stops during method/);
    assert.match(html, /The run did not finish: its journal stops during method\./);
    assert.match(renderMarkdown(readReportInput(file), 'c').text, /\*\*Incomplete:\*\* this journal stops during method/);
  });

  it('renders a journal file that was cut off mid-write, from what it holds, as incomplete', () => {
    const text = readFileSync(journalPath, 'utf8');
    const file = join(dir.path, 'cut.json');
    writeFileSync(file, text.slice(0, Math.floor(text.length * 0.6)));
    const input = readReportInput(file);
    assert.equal(input.kind, 'run');
    const html = renderHtml(input);
    assert.match(html, /<span class="badge incomplete">incomplete<\/span>/);
    assert.ok(html.includes(escapeHtml(journal.experiment.title)));
    assert.match(html, /<td class="when">before<\/td>/, 'the steady state before, recorded early, is kept');
    // Wherever the cut falls, the report renders or the input is refused as unreadable; it never crashes.
    for (let cut = 40; cut < text.length; cut += Math.ceil(text.length / 97)) {
      writeFileSync(file, text.slice(0, cut));
      let parsed;
      try {
        parsed = readReportInput(file);
      } catch (err) {
        assert.match((err as Error).message, /not a faultmesh journal|cannot read the journal/, `cut at ${cut}`);
        continue;
      }
      assert.match(renderHtml(parsed), /incomplete/, `cut at ${cut}`);
      assert.ok(renderMarkdown(parsed, 'c').text.length > 0);
    }
  });

  it('faultmesh report writes the file and names it; a file that is no journal is refused with exit 2', async () => {
    const ok = await runCli(['report', journalPath, '--out', join(dir.path, 'cli.html')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /wrote .*cli\.html/);
    assert.match(readFileSync(join(dir.path, 'cli.html'), 'utf8'), /^<!doctype html>/);
    const bad = await runCli(['report', dir.file('not-a-journal.json', '{"hello": 1}')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not-a-journal\.json: not a faultmesh journal/);
  });
});
