import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { normalizeCanaryJournal } from '../../reports/canary/canary-journal.js';
import { renderHtml } from '../../reports/html.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { readReportInput } from '../../reports/report-input.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mesh-fixture.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/canary/${name}.json`, import.meta.url));

describe('canary report input', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('renders a bare canary journal (only faultmesh, kind and start) with dashes, never NaN or undefined', () => {
    const file = dir.file('bare.json', JSON.stringify({ faultmesh: 1, kind: 'canary', start: '2026-12-01T09:00:00.000Z' }));
    const input = readReportInput(file);
    assert.equal(input.kind, 'canary');
    const html = renderHtml(input);
    assert.match(html, /Still running at an unknown weight when this journal was written: no decision\./);
    assert.match(html, /<p class="meta">No judgement was made\.<\/p>/);
    const md = renderMarkdown(input, 'c').text;
    for (const text of [html, md]) assert.ok(!/NaN|undefined|null/.test(text.replace(/<svg[\s\S]*?<\/svg>/g, '')), text.slice(0, 400));
  });

  it('leaves out records cut short, and keeps the whole ones', () => {
    const j = JSON.parse(readFileSync(fixture('rolled-back'), 'utf8'));
    const raw = {
      ...j,
      weights: [...j.weights, { at: j.end }],
      judgements: [...j.judgements.slice(0, 2), { at: j.end, step: 2, weight: 10 }],
      timeseries: [...j.timeseries, { t: j.end, weight: 0, stable: { rate: 3 } }],
      chaos: [{ at: 10, experiment: 'x.yaml', start: j.start }],
      decision: { outcome: 'rolled-back' },
    };
    raw.judgements[1] = { ...raw.judgements[1], checks: [raw.judgements[1].checks[0], { metric: 'error-ratio', outcome: 'fail', stable: { requests: 10, errors: 1 }, canary: {} }, { metric: 'latency', outcome: 'pass' }] };
    const n = normalizeCanaryJournal(raw)!;
    assert.equal(n.weights.length, j.weights.length);
    assert.equal(n.judgements.length, 2);
    assert.deepEqual(n.judgements[1]!.checks.map((c) => c.metric), ['error-ratio', 'latency'], 'the check without the canary subset is left out; the latency one keeps what it has');
    assert.equal(n.timeseries.length, j.timeseries.length);
    assert.deepEqual(n.chaos[0], { at: 10, experiment: 'x.yaml', start: j.start, end: null, status: 'running', deviated: false, journal: null, stoppedBy: null });
    assert.equal(n.decision, null);
    const html = renderHtml({ kind: 'canary', journal: n });
    assert.match(html, /Rolled back \(last canary weight 10%\): this journal records no decision sentence\./);
    assert.match(html, /<td>latency<\/td><td class="pass">pass<\/td><td>—<\/td><td>—<\/td><td>—<\/td><td>—<\/td><td>— \/ —<\/td><td>—<\/td><\/tr><tr><td class="reason" colspan="8">—<\/td><\/tr>/);
    assert.match(html, /<td>still running<\/td>/, 'a chaos stage with no end');
  });

  it('renders a canary journal file cut off mid-write, wherever the cut falls, and says it was cut', () => {
    const text = readFileSync(fixture('rolled-back'), 'utf8');
    const file = join(dir.path, 'cut.json');
    writeFileSync(file, text.slice(0, Math.floor(text.length * 0.7)));
    const input = readReportInput(file);
    assert.equal(input.kind, 'canary');
    assert.ok(input.kind === 'canary' && input.cutShort);
    const html = renderHtml(input);
    assert.match(html, /This journal file was cut off mid-write/);
    assert.match(html, /<td class="own [a-z]+" rowspan="4"><span class="when">09:15:30 \(\+30\.2s\)<\/span>/, 'the judgements written before the cut are kept');
    let rendered = 0;
    for (let cut = 20; cut < text.length; cut += Math.ceil(text.length / 113)) {
      writeFileSync(file, text.slice(0, cut));
      let parsed;
      try {
        parsed = readReportInput(file);
      } catch (err) {
        assert.match((err as Error).message, /not a faultmesh (canary )?journal|cannot read the journal/, `cut at ${cut}`);
        continue;
      }
      assert.equal(parsed.kind, 'canary', `cut at ${cut}`);
      assert.match(renderHtml(parsed), /cut off mid-write/, `cut at ${cut}`);
      assert.match(renderMarkdown(parsed, 'c').text, /cut off mid-write/, `cut at ${cut}`);
      rendered++;
    }
    assert.ok(rendered > 100, `${rendered} cuts rendered`);
  });

  it('faultmesh report canary-journal.json writes canary-journal.html beside it; --out x.md writes Markdown and its charts', async () => {
    const journal = dir.file('canary-journal.json', readFileSync(fixture('rolled-back'), 'utf8'));
    const html = await runCli(['report', journal]);
    assert.equal(html.code, 0, html.stderr);
    assert.match(html.stdout, /wrote .*canary-journal\.html\n$/);
    assert.match(readFileSync(join(dir.path, 'canary-journal.html'), 'utf8'), /^<!doctype html>[\s\S]*Rolled back at 10%/);
    const md = await runCli(['report', journal, '--out', join(dir.path, 'x.md')]);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /wrote .*x\.md and 4 charts/);
    assert.match(readFileSync(join(dir.path, 'x.md'), 'utf8'), /^# payments v2/);
    assert.ok(existsSync(join(dir.path, 'x-charts', 'weight.svg')));
  });

  it('refuses a canary journal without its start with exit 2 and no stack trace', async () => {
    const file = dir.file('no-start.json', JSON.stringify({ faultmesh: 1, kind: 'canary', name: 'x' }));
    const r = await runCli(['report', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no-start\.json: not a faultmesh canary journal \(it needs "faultmesh": 1, "kind": "canary" and "start"\)/);
    assert.ok(!/\n\s+at /.test(r.stderr), r.stderr);
  });
});
