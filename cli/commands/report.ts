import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { readReportInput } from '../../reports/report-input.js';
import { writeReport, type ReportFormat } from '../../reports/write-report.js';

interface ReportArgs {
  readonly path: string;
  readonly format: ReportFormat | undefined;
  readonly out: string | undefined;
}

/** Where a report goes when --out is not given: beside the journal, or inside the game day's folder. */
function defaultOut(path: string, format: ReportFormat): string {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) return join(path, `report.${format}`);
  return `${path.replace(/\.json$/i, '')}.${format}`;
}

export const reportCommand = {
  command: 'report <path>',
  describe: 'turn a journal (an experiment run\'s or a canary\'s), or a game day folder of journals, into an HTML or Markdown report with charts',
  builder: (y: Argv) =>
    y
      .positional('path', { type: 'string', demandOption: true, describe: 'JOURNAL.json or GAMEDAY_DIR' })
      .option('format', { choices: ['html', 'md'] as const, describe: 'default: from --out, else html' })
      .option('out', { type: 'string', describe: 'file to write (default: beside the journal, or DIR/report.html)' }),
  handler: (args: unknown) => {
    const a = args as ReportArgs;
    const input = readReportInput(a.path);
    const format = a.format ?? (a.out?.toLowerCase().endsWith('.md') ? 'md' : 'html');
    const written = writeReport(input, a.out ?? defaultOut(a.path, format), format);
    process.stdout.write(`wrote ${written[0]}${written.length > 1 ? ` and ${written.length - 1} chart${written.length === 2 ? '' : 's'}` : ''}\n`);
  },
};
