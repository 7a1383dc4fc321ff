import type { ReportInput } from './report-input.js';
import { renderCanaryHtml } from './canary/canary-html.js';
import { escapeHtml as e } from './escape.js';
import { page } from './html-page.js';
import { ACTIVITY_HEAD, ERROR_HEAD, FAULT_HEAD, formatWhen as when, PROBE_HEAD, runReport, SAFEGUARD_HEAD, type Row, type RunReport } from './report-model.js';

const table = (head: readonly string[], rows: readonly Row[], empty: string) =>
  rows.length === 0
    ? `<p class="meta">${e(empty)}</p>`
    : `<div class="table"><table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c, i) => `<td${head[i] === 'met' || head[i] === 'passed' ? ` class="${c === 'NO' ? 'no' : 'yes'}"` : ''}>${e(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table></div>`;

function runSection(r: RunReport, heading: 'h1' | 'h2', id?: string): string {
  const j = r.journal;
  const sub = heading === 'h1' ? 'h2' : 'h3';
  return `<section${id ? ` id="${e(id)}"` : ''}>
<${heading}>${e(j.experiment.title)} <span class="badge ${r.outcome}">${e(r.outcome)}</span></${heading}>
<p class="meta">${e(j.experiment.file)} · run ${e(j.runId)} · ${e(when(j.start))} to ${e(when(j.end))}${j.duration === null ? '' : ` · ${e(j.duration.toFixed(1))}s`}</p>
${j.experiment.description ? `<p>${e(j.experiment.description)}</p>` : ''}
<div class="verdict ${r.outcome}">${e(r.verdict)}</div>
${r.incomplete ? `<p class="incomplete-note">Incomplete: this journal stops during ${e(j.phase)}. The runner ended before the run did (killed or crashed); the faults it held ran out with their leases.</p>` : ''}
<${sub}>Traffic, errors and latency</${sub}>
<p class="meta">Shaded: fault windows. Dots on top: steady-state checks (green met, red not met). Sampled from ${e(j.timeseries.admins.join(', ') || 'no proxy')}${j.timeseries.intervalMs ? ` every ${e(j.timeseries.intervalMs / 1000)}s` : ''}.</p>
<div class="charts">${r.charts.map((c) => c.svg).join('\n')}</div>
<${sub}>Steady state</${sub}>
${table(PROBE_HEAD, r.probes, 'No steady-state hypothesis was checked.')}
<${sub}>Faults injected</${sub}>
${table(FAULT_HEAD, r.faults, 'No fault was injected.')}
<${sub}>Method</${sub}>
${table(ACTIVITY_HEAD, r.activities, 'No method activity ran.')}
${r.safeguards.length ? `<${sub}>Safeguards</${sub}>\n${table(SAFEGUARD_HEAD, r.safeguards, '')}` : ''}
<${sub}>Rollbacks</${sub}>
${table(ACTIVITY_HEAD, r.rollbacks, r.noRollbacks)}
<${sub}>Errors</${sub}>
${table(ERROR_HEAD, r.errors, 'None.')}
</section>`;
}

/** One self-contained HTML file: inline CSS and SVG, no script, nothing fetched. */
export function renderHtml(input: ReportInput): string {
  if (input.kind === 'canary') return renderCanaryHtml(input);
  if (input.kind === 'run') return page(`faultmesh: ${input.journal.experiment.title}`, runSection(runReport(input.journal), 'h1'));
  const reports = input.journals.map(runReport);
  const rows: Row[] = reports.map((r, i) => [when(r.journal.start), r.journal.experiment.title, r.outcome, r.journal.duration === null ? '—' : `${r.journal.duration.toFixed(1)}s`, String(i)]);
  const summary = `<h1>${e(input.title)}</h1>
<p class="meta">Game day · ${reports.length} run${reports.length === 1 ? '' : 's'} · ${reports.filter((r) => r.outcome === 'held').length} held</p>
${input.notes.length ? `<ul class="notes">${input.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>` : ''}
<div class="table"><table><thead><tr><th>started</th><th>experiment</th><th>verdict</th><th>duration</th></tr></thead><tbody>${rows
    .map(([start, title, outcome, duration, i]) => `<tr><td>${e(start)}</td><td><a href="#run-${i}">${e(title)}</a></td><td><span class="badge ${e(outcome)}">${e(outcome)}</span></td><td>${e(duration)}</td></tr>`)
    .join('')}</tbody></table></div>`;
  return page(`faultmesh game day: ${input.title}`, [summary, ...reports.map((r, i) => runSection(r, 'h2', `run-${i}`))].join('\n'));
}
