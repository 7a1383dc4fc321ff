import { renderCanaryHtml } from './canary/canary-html.js';
import { escapeHtml as e } from './escape.js';
import { page } from './html-page.js';
import { ACTIVITY_HEAD, EJECTION_HEAD, ERROR_HEAD, FAULT_HEAD, formatWhen as when, PROBE_HEAD, runReport, SAFEGUARD_HEAD } from './report-model.js';
/** A name with what it stands for (a URL) as its tooltip. */
const named = (n) => (n.title && n.title !== n.text ? `<span class="named" title="${e(n.title)}">${e(n.text)}</span>` : e(n.text));
const cell = (c) => (typeof c === 'string' ? e(c) : named(c));
/** Columns that hold times: they never wrap (a date broken over three lines is hard to read). */
const TIME_COLUMNS = new Set(['when', 'from', 'to', 'started']);
const table = (head, rows, empty) => rows.length === 0
    ? `<p class="meta">${e(empty)}</p>`
    : `<div class="table"><table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c, i) => `<td${tdClass(head[i], c)}>${cell(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table></div>`;
function tdClass(head, c) {
    if (head === 'met' || head === 'passed')
        return ` class="${c === 'NO' ? 'no' : 'yes'}"`;
    return TIME_COLUMNS.has(head) ? ' class="when"' : '';
}
const badge = (b) => `<span class="badge ${e(b.tone)}">${e(b.word)}</span>`;
const time = (iso) => `<span class="when">${e(when(iso))}</span>`;
function runSection(r, heading, id) {
    const j = r.journal;
    const sub = heading === 'h1' ? 'h2' : 'h3';
    const every = j.timeseries.intervalMs ? ` every ${e(j.timeseries.intervalMs / 1000)}s` : '';
    const from = r.sampledFrom.length ? r.sampledFrom.map(named).join(', ') : 'no proxy';
    return `<section${id ? ` id="${e(id)}"` : ''}>
<${heading}>${e(j.experiment.title)} ${badge(r.badge)}</${heading}>
<p class="meta">${e(j.experiment.file)} · run ${e(j.runId)} · ${time(j.start)} to ${time(j.end)}${j.duration === null ? '' : ` · ${e(j.duration.toFixed(1))}s`}</p>
${j.experiment.description ? `<p>${e(j.experiment.description)}</p>` : ''}
<div class="verdict ${e(r.badge.tone)}">${e(r.verdict)}</div>
${r.incomplete ? `<p class="incomplete-note">Incomplete: this journal stops during ${e(j.phase)}. The runner ended before the run did (killed or crashed); the faults it held ran out with their leases.</p>` : ''}
<${sub}>Traffic, errors and latency; what the mesh did</${sub}>
<p class="meta">Seconds since the run started. Shaded: fault windows. Dots on top: steady-state checks (green met, red not met), in the middle of the span their probes measured (the bar). Sampled${every} from ${from}.</p>
<div class="charts">${r.charts.map((c) => `<figure>${c.svg}${c.note ? `<figcaption>${e(c.note)}</figcaption>` : ''}</figure>`).join('\n')}</div>
<${sub}>Steady state</${sub}>
${table(PROBE_HEAD, r.probes, 'No steady-state hypothesis was checked.')}
<${sub}>Faults injected</${sub}>
${table(FAULT_HEAD, r.faults, 'No fault was injected.')}
${r.ejections ? `<${sub}>Outlier ejections</${sub}>\n${table(EJECTION_HEAD, r.ejections, 'No instance was ejected while the run was sampled.')}` : ''}
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
export function renderHtml(input) {
    if (input.kind === 'canary')
        return renderCanaryHtml(input);
    if (input.kind === 'run')
        return page(`faultmesh: ${input.journal.experiment.title}`, runSection(runReport(input.journal), 'h1'));
    const reports = input.journals.map(runReport);
    const held = reports.filter((r) => r.outcome === 'held');
    const partly = held.filter((r) => r.badge.tone === 'partly').length;
    const summary = `<h1>${e(input.title)}</h1>
<p class="meta">${e(input.label)} · ${reports.length} run${reports.length === 1 ? '' : 's'} · ${held.length} held${partly ? ` (${partly} partly tested)` : ''}</p>
${input.notes.length ? `<ul class="notes">${input.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>` : ''}
<div class="table"><table><thead><tr><th>started</th><th>experiment</th><th>verdict</th><th>duration</th></tr></thead><tbody>${reports
        .map((r, i) => `<tr><td class="when">${e(when(r.journal.start))}</td><td><a href="#run-${i}">${e(r.journal.experiment.title)}</a></td><td>${badge(r.badge)}</td><td class="when">${e(r.journal.duration === null ? '—' : `${r.journal.duration.toFixed(1)}s`)}</td></tr>`)
        .join('')}</tbody></table></div>`;
    const title = input.label === 'Demo' ? input.title : `faultmesh game day: ${input.title}`;
    return page(title, [summary, ...reports.map((r, i) => runSection(r, 'h2', `run-${i}`))].join('\n'));
}
//# sourceMappingURL=html.js.map