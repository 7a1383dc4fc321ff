import { CHAOS_HEAD, canaryReport, ERROR_HEAD, JUDGEMENT_HEAD } from './canary-model.js';
import { plainMarkdown as m } from './markdown-text.js';
const ICON = { promoted: '✅', 'rolled-back': '❌', failed: '❌', aborted: '⚠️', running: '⏳' };
const table = (head, rows, empty) => rows.length === 0 ? `_${m(empty)}_\n` : `| ${head.map(m).join(' | ')} |\n|${head.map(() => '---').join('|')}|\n${rows.map((r) => `| ${r.map(m).join(' | ')} |`).join('\n')}\n`;
/**
 * A canary release's report in GitHub Markdown: the same content as the
 * HTML, as text and tables, with each chart as an SVG file in `chartsDir`
 * beside it. Text is escaped with backslashes, never HTML entities.
 */
export function renderCanaryMarkdown(input, chartsDir) {
    const r = canaryReport(input.journal, input.cutShort === true);
    const j = r.journal;
    const files = r.charts.map((c) => ({ path: `${chartsDir}/${c.key}.svg`, content: c.svg }));
    const out = [`# ${m(j.name)}`, '', `${ICON[r.status]} **${m(r.statusWord)}**: ${m(r.headline)}`, ''];
    for (const n of r.notes)
        out.push(`> ${m(n)}`, '');
    out.push(table(['setting', 'value'], r.facts, ''));
    out.push('## Weight, errors and latency over time', '', 'Seconds since the canary started. Shaded: chaos stages. Marks on top: judgements (green pass, red fail, grey insufficient data).', '');
    r.charts.forEach((c, i) => out.push(`![${m(c.title)}](${encodeURI(files[i].path)})`, ''));
    // Each check is a row; a judgement's own cells are on its first row only, so the rows of one judgement read as a group.
    const rows = r.judgements.flatMap((g) => g.checks.map((c, i) => [...(i === 0 ? g.cells : g.cells.map(() => '')), ...c]));
    out.push('## Judgements', '', table(JUDGEMENT_HEAD, rows, 'No judgement was made.'));
    out.push('## Chaos stages', '', table(CHAOS_HEAD, r.chaos, 'No chaos stage ran.'));
    if (r.promotion)
        out.push('## Promotion', '', table(['promotion', 'value'], r.promotion, ''));
    out.push('## Errors', '', table(ERROR_HEAD, r.errors, 'None.'));
    return { text: `${out.join('\n')}\n`, files };
}
//# sourceMappingURL=canary-markdown.js.map