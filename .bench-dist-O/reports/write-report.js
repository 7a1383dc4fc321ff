import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
/** The format a path asks for by its extension: `.md` is Markdown, anything else HTML. */
export const formatOf = (path) => (extname(path).toLowerCase() === '.md' ? 'md' : 'html');
/**
 * Writes a report to `out`; Markdown also writes its charts into
 * `<name>-charts/` beside it. Returns every file written.
 */
export function writeReport(input, out, format = formatOf(out)) {
    mkdirSync(dirname(out), { recursive: true });
    if (format === 'html') {
        writeFileSync(out, renderHtml(input));
        return [out];
    }
    const chartsDir = `${basename(out, extname(out))}-charts`;
    const md = renderMarkdown(input, chartsDir);
    mkdirSync(join(dirname(out), chartsDir), { recursive: true });
    for (const f of md.files)
        writeFileSync(join(dirname(out), f.path), f.content);
    writeFileSync(out, md.text);
    return [out, ...md.files.map((f) => join(dirname(out), f.path))];
}
//# sourceMappingURL=write-report.js.map