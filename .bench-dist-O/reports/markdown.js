import { renderCanaryMarkdown } from './canary/canary-markdown.js';
import { escapeMarkdown as m } from './escape.js';
import { ACTIVITY_HEAD, EJECTION_HEAD, ERROR_HEAD, FAULT_HEAD, formatWhen as when, PROBE_HEAD, runReport, SAFEGUARD_HEAD } from './report-model.js';
/** URLs behind names, as GitHub footnotes: one number per URL in the whole document. */
class Footnotes {
    numbers = new Map();
    pending = [];
    ref(n) {
        if (!n.title || n.title === n.text)
            return m(n.text);
        let k = this.numbers.get(n.title);
        if (k === undefined) {
            k = this.numbers.size + 1;
            this.numbers.set(n.title, k);
            this.pending.push(`[^${k}]: ${m(n.title)}`);
        }
        return `${m(n.text)}[^${k}]`;
    }
    /** The footnotes referred to since the last call, to close a section with. */
    flush() {
        const out = this.pending;
        this.pending = [];
        return out.length ? [...out, ''] : [];
    }
}
const ICON = { held: '✅', partly: '⚠️', deviated: '❌', failed: '❌', aborted: '⚠️', interrupted: '⚠️', incomplete: '⚠️' };
/** A chart's key as a file name. */
const fileKey = (key) => key.replace(/[^\w.-]+/g, '-');
function runSection(r, level, chartsDir, prefix, files, notes) {
    const j = r.journal;
    const h = '#'.repeat(level);
    const cell = (c) => (typeof c === 'string' ? m(c) : notes.ref(c));
    const table = (head, rows, empty) => rows.length === 0 ? `_${m(empty)}_\n` : `| ${head.map(m).join(' | ')} |\n|${head.map(() => '---').join('|')}|\n${rows.map((row) => `| ${row.map(cell).join(' | ')} |`).join('\n')}\n`;
    const out = [`${h} ${m(j.experiment.title)}`, '', `${ICON[r.badge.tone]} **${m(r.badge.word)}**: ${m(r.verdict)}`, ''];
    out.push(`${m(j.experiment.file)} · run ${m(j.runId)} · ${when(j.start)} to ${when(j.end)}${j.duration === null ? '' : ` · ${j.duration.toFixed(1)}s`}`, '');
    if (j.experiment.description)
        out.push(m(j.experiment.description), '');
    if (r.incomplete)
        out.push(`> **Incomplete:** this journal stops during ${m(j.phase)}. The runner ended before the run did (killed or crashed); the faults it held ran out with their leases.`, '');
    const every = j.timeseries.intervalMs ? ` every ${j.timeseries.intervalMs / 1000}s` : '';
    const from = r.sampledFrom.length ? r.sampledFrom.map((n) => notes.ref(n)).join(', ') : 'no proxy';
    out.push(`${h}# Traffic, errors and latency; what the mesh did`, '', `Seconds since the run started. Shaded: fault windows. Dots on top: steady-state checks (green met, red not met), in the middle of the span their probes measured (the bar). Sampled${every} from ${from}.`, '');
    for (const c of r.charts) {
        const path = `${chartsDir}/${prefix}${fileKey(c.key)}.svg`;
        files.push({ path, content: c.svg });
        out.push(`![${m(c.title)}](${encodeURI(path)})`, '');
        if (c.note)
            out.push(`_${m(c.note)}_`, '');
    }
    out.push(`${h}# Steady state`, '', table(PROBE_HEAD, r.probes, 'No steady-state hypothesis was checked.'));
    out.push(`${h}# Faults injected`, '', table(FAULT_HEAD, r.faults, 'No fault was injected.'));
    if (r.ejections)
        out.push(`${h}# Outlier ejections`, '', table(EJECTION_HEAD, r.ejections, 'No instance was ejected while the run was sampled.'));
    out.push(`${h}# Method`, '', table(ACTIVITY_HEAD, r.activities, 'No method activity ran.'));
    if (r.safeguards.length)
        out.push(`${h}# Safeguards`, '', table(SAFEGUARD_HEAD, r.safeguards, ''));
    out.push(`${h}# Rollbacks`, '', table(ACTIVITY_HEAD, r.rollbacks, r.noRollbacks));
    out.push(`${h}# Errors`, '', table(ERROR_HEAD, r.errors, 'None.'));
    out.push(...notes.flush());
    return out.join('\n');
}
/**
 * Markdown that renders on GitHub: tables, and each chart as an SVG file
 * in `chartsDir` beside the report, linked as an image. Text is escaped
 * with backslashes, never HTML entities; proxies' URLs are footnotes.
 */
export function renderMarkdown(input, chartsDir) {
    if (input.kind === 'canary')
        return renderCanaryMarkdown(input, chartsDir);
    const files = [];
    const notes = new Footnotes();
    if (input.kind === 'run')
        return { text: `${runSection(runReport(input.journal), 1, chartsDir, '', files, notes)}\n`, files };
    const reports = input.journals.map(runReport);
    const held = reports.filter((r) => r.outcome === 'held');
    const partly = held.filter((r) => r.badge.tone === 'partly').length;
    const summary = [`# ${m(input.title)}`, '', `${input.label} · ${reports.length} run${reports.length === 1 ? '' : 's'} · ${held.length} held${partly ? ` (${partly} partly tested)` : ''}`, ''];
    if (input.notes.length)
        summary.push(...input.notes.map((n) => `- ${m(n)}`), '');
    const rows = reports.map((r) => [when(r.journal.start), r.journal.experiment.title, `${ICON[r.badge.tone]} ${r.badge.word}`, r.journal.duration === null ? '—' : `${r.journal.duration.toFixed(1)}s`]);
    summary.push(`| started | experiment | verdict | duration |\n|---|---|---|---|\n${rows.map((row) => `| ${row.map(m).join(' | ')} |`).join('\n')}\n`);
    const sections = reports.map((r, i) => runSection(r, 2, chartsDir, `run-${i + 1}-`, files, notes));
    return { text: `${[...summary, ...sections].join('\n')}\n`, files };
}
//# sourceMappingURL=markdown.js.map