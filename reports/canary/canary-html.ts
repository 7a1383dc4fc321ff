import { escapeHtml as e } from '../escape.js';
import { page } from '../html-page.js';
import type { Row } from '../report-model.js';
import { CHAOS_HEAD, canaryReport, ERROR_HEAD } from './canary-model.js';
import { JUDGEMENT_TABLE_CSS, judgementTable } from './judgement-table.js';
import type { CanaryJournal } from '../../runner/canary/canary-types.js';

/** The canary's statuses and judgement outcomes in the shared palette. */
const CSS = `
.verdict.promoted { border-color: var(--ok); } .verdict.rolled-back, .verdict.failed { border-color: var(--bad); } .verdict.aborted, .verdict.running { border-color: var(--warn); }
.badge.promoted { background: var(--ok); } .badge.rolled-back, .badge.failed { background: var(--bad); } .badge.aborted, .badge.running { background: var(--warn); }
td.pass { color: var(--ok); } td.fail { color: var(--bad); font-weight: 600; } td.insufficient { color: var(--muted); font-style: italic; }
table.facts { width: auto; } table.facts th { width: 12rem; }
tbody.judgement { border-top: 2px solid #d1d5db; }
${JUDGEMENT_TABLE_CSS}`;

const head = (cols: readonly string[]) => `<thead><tr>${cols.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead>`;

const table = (cols: readonly string[], rows: readonly Row[], empty: string) =>
  rows.length === 0 ? `<p class="meta">${e(empty)}</p>` : `<div class="table"><table>${head(cols)}<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;

/** Label-and-value rows (settings, the promotion) as a narrow two-column table. */
const facts = (rows: readonly Row[]) => `<div class="table"><table class="facts"><tbody>${rows.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</tbody></table></div>`;

/** A canary release's report as one self-contained page: inline CSS and SVG, no script, nothing fetched. */
export function renderCanaryHtml(input: { readonly journal: CanaryJournal; readonly cutShort?: boolean }): string {
  const r = canaryReport(input.journal, input.cutShort === true);
  const j = r.journal;
  const body = `<section>
<h1>${e(j.name)} <span class="badge ${e(r.status)}">${e(r.statusWord)}</span></h1>
<p class="meta">Canary release of ${e(j.service || 'an unnamed service')} · ${e(j.file || 'no canary file recorded')}</p>
<div class="verdict ${e(r.status)}">${e(r.headline)}</div>
${r.notes.map((n) => `<p class="incomplete-note">${e(n)}</p>`).join('\n')}
${facts(r.facts)}
<h2>Weight, errors and latency over time</h2>
<p class="meta">Seconds since the canary started. Shaded: chaos stages. Marks on top: judgements (green pass, red fail, grey insufficient data).</p>
<div class="charts">${r.charts.map((c) => c.svg).join('\n')}</div>
<h2>Judgements</h2>
${r.judgements.length ? judgementTable(r.judgements) : '<p class="meta">No judgement was made.</p>'}
<h2>Chaos stages</h2>
${table(CHAOS_HEAD, r.chaos, 'No chaos stage ran.')}
${r.promotion ? `<h2>Promotion</h2>\n${facts(r.promotion)}` : ''}
<h2>Errors</h2>
${table(ERROR_HEAD, r.errors, 'None.')}
</section>`;
  return page(`faultmesh canary: ${j.name}`, body, CSS);
}
