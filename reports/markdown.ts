import { renderCanaryMarkdown } from './canary/canary-markdown.js';
import type { ReportInput } from './report-input.js';
import { escapeMarkdown as m } from './escape.js';
import { ACTIVITY_HEAD, ERROR_HEAD, FAULT_HEAD, formatWhen as when, PROBE_HEAD, runReport, SAFEGUARD_HEAD, type Row, type RunReport } from './report-model.js';

export interface MarkdownReport {
  readonly text: string;
  /** Chart SVGs to write beside the Markdown file, by path relative to it. */
  readonly files: ReadonlyArray<{ readonly path: string; readonly content: string }>;
}

const table = (head: readonly string[], rows: readonly Row[], empty: string) =>
  rows.length === 0 ? `_${m(empty)}_\n` : `| ${head.map(m).join(' | ')} |\n|${head.map(() => '---').join('|')}|\n${rows.map((r) => `| ${r.map(m).join(' | ')} |`).join('\n')}\n`;

const ICON = { held: '✅', deviated: '❌', failed: '❌', aborted: '⚠️', interrupted: '⚠️', incomplete: '⚠️' } as const;

function runSection(r: RunReport, level: number, chartsDir: string, prefix: string, files: Array<{ path: string; content: string }>): string {
  const j = r.journal;
  const h = '#'.repeat(level);
  const out = [`${h} ${m(j.experiment.title)}`, '', `${ICON[r.outcome]} **${r.outcome}** — ${m(r.verdict)}`, ''];
  out.push(`${m(j.experiment.file)} · run ${m(j.runId)} · ${when(j.start)} to ${when(j.end)}${j.duration === null ? '' : ` · ${j.duration.toFixed(1)}s`}`, '');
  if (j.experiment.description) out.push(m(j.experiment.description), '');
  if (r.incomplete) out.push(`> **Incomplete:** this journal stops during ${m(j.phase)}. The runner ended before the run did (killed or crashed); the faults it held ran out with their leases.`, '');
  out.push(`${h}# Traffic, errors and latency`, '', 'Shaded: fault windows. Dots on top: steady-state checks (green met, red not met).', '');
  for (const c of r.charts) {
    const path = `${chartsDir}/${prefix}${c.key}.svg`;
    files.push({ path, content: c.svg });
    out.push(`![${m(c.title)}](${encodeURI(path)})`, '');
  }
  out.push(`${h}# Steady state`, '', table(PROBE_HEAD, r.probes, 'No steady-state hypothesis was checked.'));
  out.push(`${h}# Faults injected`, '', table(FAULT_HEAD, r.faults, 'No fault was injected.'));
  out.push(`${h}# Method`, '', table(ACTIVITY_HEAD, r.activities, 'No method activity ran.'));
  if (r.safeguards.length) out.push(`${h}# Safeguards`, '', table(SAFEGUARD_HEAD, r.safeguards, ''));
  out.push(`${h}# Rollbacks`, '', table(ACTIVITY_HEAD, r.rollbacks, r.noRollbacks));
  out.push(`${h}# Errors`, '', table(ERROR_HEAD, r.errors, 'None.'));
  return out.join('\n');
}

/**
 * Markdown that renders on GitHub: tables, and each chart as an SVG file
 * in `chartsDir` beside the report, linked as an image.
 */
export function renderMarkdown(input: ReportInput, chartsDir: string): MarkdownReport {
  if (input.kind === 'canary') return renderCanaryMarkdown(input, chartsDir);
  const files: Array<{ path: string; content: string }> = [];
  if (input.kind === 'run') return { text: `${runSection(runReport(input.journal), 1, chartsDir, '', files)}\n`, files };
  const reports = input.journals.map(runReport);
  const summary = [`# ${m(input.title)}`, '', `Game day · ${reports.length} runs · ${reports.filter((r) => r.outcome === 'held').length} held`, ''];
  if (input.notes.length) summary.push(...input.notes.map((n) => `- ${m(n)}`), '');
  summary.push(table(['started', 'experiment', 'verdict', 'duration'], reports.map((r) => [when(r.journal.start), r.journal.experiment.title, `${ICON[r.outcome]} ${r.outcome}`, r.journal.duration === null ? '—' : `${r.journal.duration.toFixed(1)}s`]), ''));
  const sections = reports.map((r, i) => runSection(r, 2, chartsDir, `run-${i + 1}-`, files));
  return { text: `${[...summary, ...sections].join('\n')}\n`, files };
}
