import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { realClock } from '../../runner/gameday/clock.js';
import { readState } from '../../runner/gameday/gameday-state.js';
import { haltProxies, requestHalt } from '../../runner/gameday/halt.js';
import { loadGameday } from '../../runner/gameday/load-gameday.js';
import { formatPlan, occurrencesOf, planWarnings } from '../../runner/gameday/plan.js';
import { runGameday } from '../../runner/gameday/run-gameday.js';
import { progressPrinter } from '../../runner/progress.js';
import { resolvePython } from '../../runner/python/python-env.js';
import { UsageError } from '../exit.js';
import { interruptOnSignals } from '../interrupt.js';

const tokenOf = (args: { token?: string | undefined }) => args.token ?? process.env.FAULTMESH_ADMIN_TOKEN;

function plan(args: { file: string; python: string | undefined }): void {
  const g = loadGameday(args.file, { python: resolvePython(args.python) });
  const now = new Date();
  const occurrences = occurrencesOf(g, now);
  process.stdout.write(formatPlan(g, occurrences, planWarnings(g, occurrences, now)));
}

/** Why a game day ran nothing: starts skipped (the window, a run they follow) or cancelled (a halt, onFailure). */
function nothingRan(results: ReadonlyArray<{ readonly status: string; readonly reason?: string | undefined }>): string {
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const cancelled = results.filter((r) => r.status === 'cancelled');
  if (!results.length) return 'nothing ran: the game day has no start (see the warnings above)';
  if (!cancelled.length) return 'nothing ran: every start was skipped (see the reasons above)';
  const by = cancelled[0]!.reason ? `, ${cancelled[0]!.reason}` : '';
  if (!skipped) return `nothing ran: every start was cancelled${by}`;
  return `nothing ran: ${skipped} start${skipped === 1 ? ' was' : 's were'} skipped (see the reasons above), ${cancelled.length} cancelled${by}`;
}

async function run(args: { file: string; out: string | undefined; token: string | undefined; python: string | undefined }): Promise<void> {
  const python = resolvePython(args.python);
  const g = loadGameday(resolve(args.file), { python });
  const outDir = resolve(args.out ?? `gameday-${g.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`);
  const interrupt = interruptOnSignals('emergency halt: reverting the running experiments, halting the proxies, cancelling the rest');
  try {
    process.stderr.write(`game day "${g.title}": journals, reports and the summary go to ${outDir}\n`);
    const state = await runGameday(g, {
      outDir,
      clock: realClock,
      interrupt: interrupt.signal,
      events: (key) => progressPrinter(process.stderr, (s) => s, g.concurrency > 1 ? `[${key}] ` : ''),
      log: (line) => process.stderr.write(`${line}\n`),
      token: tokenOf(args),
      python,
    });
    const rows = state.occurrences.map((o) => {
      const r = state.results[o.key];
      return `  ${o.key.padEnd(28)} ${(r?.outcome ?? r?.status ?? 'not run').padEnd(11)} ${r?.verdict ?? r?.reason ?? ''}`;
    });
    // Nothing ran, nothing was tested: never an exit 0 that reads as "held".
    const ran = Object.values(state.results).some((r) => r.status === 'done' || r.status === 'crashed');
    const nothing = ran ? [] : [nothingRan(Object.values(state.results))];
    process.stdout.write(`${[`game day "${g.title}"${state.haltedBy ? `: HALTED by ${state.haltedBy.by} at ${state.haltedBy.at}` : ''}`, ...rows, ...nothing, `summary: ${resolve(outDir, 'summary.html')}`].join('\n')}\n`);
    const failed = !ran || Object.values(state.results).some((r) => r.status === 'crashed' || r.outcome === 'deviated' || r.outcome === 'failed');
    process.exitCode = state.haltedBy ? 3 : failed ? 1 : 0;
  } finally {
    interrupt.dispose();
  }
}

async function halt(args: { dir: string; reason: string | undefined; token: string | undefined }): Promise<void> {
  const state = readState(args.dir);
  if (!state) throw new UsageError(`${args.dir}: no game day here (no gameday.json)`);
  const record = requestHalt(args.dir, args.reason, new Date());
  process.stdout.write(`halt requested by ${record.by}; the running game day stops within a second\n`);
  // Halt the proxies from here too, in case the game-day runner is gone.
  for (const line of await haltProxies(state.admins, tokenOf(args))) process.stdout.write(`  ${line}\n`);
}

export const gamedayCommand = {
  command: 'gameday <action>',
  describe: 'plan, run and halt game days: experiments scheduled at times, by cron or in sequence, inside a window',
  builder: (y: Argv) =>
    y
      .option('token', { type: 'string', describe: 'admin token of the proxies (or FAULTMESH_ADMIN_TOKEN)' })
      .option('python', { type: 'string', describe: 'the Python interpreter of python providers and controls (default: FAULTMESH_PYTHON, else python3 on PATH)' })
      .command('plan <file>', 'print the timeline in the game day\'s time zone and UTC, with warnings', (c: Argv) => c.positional('file', { type: 'string', demandOption: true }), (a) => plan(a as unknown as { file: string; python: string | undefined }))
      .command(
        'run <file>',
        'run the game day: wait for each start, run, report; Ctrl-C halts',
        (c: Argv) => c.positional('file', { type: 'string', demandOption: true }).option('out', { type: 'string', describe: 'folder for journals, reports and the summary (a second run in it resumes)' }),
        (a) => run(a as unknown as { file: string; out: string | undefined; token: string | undefined; python: string | undefined }),
      )
      .command(
        'halt <dir>',
        'emergency halt of the game day running in DIR: its experiments revert, its proxies halt, the rest is cancelled',
        (c: Argv) => c.positional('dir', { type: 'string', demandOption: true }).option('reason', { type: 'string' }),
        (a) => halt(a as unknown as { dir: string; reason: string | undefined; token: string | undefined }),
      )
      .demandCommand(1),
  handler: () => {},
};
