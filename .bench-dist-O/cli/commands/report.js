import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readReportInput } from '../../reports/report-input.js';
import { writeReport } from '../../reports/write-report.js';
/** Where a report goes when --out is not given: beside the journal, or inside the game day's folder. */
function defaultOut(path, format) {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
        return join(path, `report.${format}`);
    return `${path.replace(/\.json$/i, '')}.${format}`;
}
export const reportCommand = {
    command: 'report <path>',
    describe: 'turn a journal (an experiment run\'s or a canary\'s), or a game day folder of journals, into an HTML or Markdown report with charts',
    builder: (y) => y
        .positional('path', { type: 'string', demandOption: true, describe: 'JOURNAL.json or GAMEDAY_DIR' })
        .option('format', { choices: ['html', 'md'], describe: 'default: from --out, else html' })
        .option('out', { type: 'string', describe: 'file to write (default: beside the journal, or DIR/report.html)' }),
    handler: (args) => {
        const a = args;
        const input = readReportInput(a.path);
        const format = a.format ?? (a.out?.toLowerCase().endsWith('.md') ? 'md' : 'html');
        const written = writeReport(input, a.out ?? defaultOut(a.path, format), format);
        process.stdout.write(`wrote ${written[0]}${written.length > 1 ? ` and ${written.length - 1} chart${written.length === 2 ? '' : 's'}` : ''}\n`);
    },
};
//# sourceMappingURL=report.js.map