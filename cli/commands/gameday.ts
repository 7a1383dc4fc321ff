import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { runPublisher } from '../../control/ui/run-publisher.js';
import { alsoTo } from '../../runner/events.js';
import { masker } from '../../runner/experiment/variables.js';
import { realClock } from '../../runner/gameday/clock.js';
import { readState, type GamedayState } from '../../runner/gameday/gameday-state.js';
import { haltedNotice, haltProxies, requestHalt, stillHalted } from '../../runner/gameday/halt.js';
import { loadGameday, type Gameday } from '../../runner/gameday/load-gameday.js';
import { planDocument } from '../../runner/gameday/plan-json.js';
import { formatPlan, occurrencesOf, planWarnings } from '../../runner/gameday/plan.js';
import { reportPathOf, runGameday, type GamedayOptions, type RunAttachment } from '../../runner/gameday/run-gameday.js';
import { progressPrinter } from '../../runner/progress.js';
import { progressTerminal } from '../../runner/progress-terminal.js';
import { resolvePython } from '../../runner/python/python-env.js';
import { gamedayTraceOf } from '../../runner/tracing/run-trace.js';
import { tokenOrNone } from '../control-target.js';
import { UsageError } from '../exit.js';
import { interruptOnSignals } from '../interrupt.js';
import { JSON_FLAG, printJson } from '../json-output.js';
import { otlpRunFlag, traceTargetOf } from './run-trace-flag.js';

/** --token, else FAULTMESH_ADMIN_TOKEN; a blank one is refused (exit 2) before anything is read or sent. */
const tokenOf = (args: { token?: string | undefined }) =>
  args.token !== undefined ? tokenOrNone(args.token, '--token', 'proxies') : tokenOrNone(process.env.FAULTMESH_ADMIN_TOKEN, 'FAULTMESH_ADMIN_TOKEN', 'proxies');

type Attach = NonNullable<GamedayOptions['attach']>;

/**
 * Each run through a control plane (its own `configuration.control`, else
 * the game day's) listed on that plane's dashboard (/ui) under the game
 * day, with its report, as a hand `faultmesh run` is.
 * @example runGameday(g, { ...options, attach: dashboardAttachment(g, outDir, token) })
 */
export function dashboardAttachment(g: Gameday, outDir: string, token: string | undefined): Attach {
  return (key, run) => {
    const configured = run.experiment.configuration.control;
    const control = typeof configured === 'string' && configured ? configured : g.control;
    if (!control) return {};
    const publisher = runPublisher({ control, token, name: run.experiment.title, gameday: g.title, report: reportPathOf(outDir, key), mask: masker(run.experiment.secrets) });
    return { events: publisher, close: () => publisher.close() };
  };
}

/** Two attachments as one: `first`'s subscriber, then `second`'s (isolated from it), the traceparent of whichever gives one, both closed. */
export function attachBoth(first: Attach, second: Attach): Attach {
  return (key, run) => {
    const a = first(key, run);
    const b = second(key, run);
    const events = a.events && b.events ? alsoTo(a.events, b.events) : (a.events ?? b.events);
    const faultTraceparent = a.faultTraceparent ?? b.faultTraceparent;
    const both: RunAttachment = { close: async () => void (await Promise.allSettled([a.close?.(), b.close?.()])) };
    return { ...both, ...(events ? { events } : {}), ...(faultTraceparent ? { faultTraceparent } : {}) };
  };
}

/** The folder a game day writes to when --out is not given: its title, in file-name form. */
export const defaultOutDir = (title: string) => `gameday-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

function plan(args: { file: string; python: string | undefined; json: boolean }): void {
  const g = loadGameday(args.file, { python: resolvePython(args.python) });
  const now = new Date();
  const occurrences = occurrencesOf(g, now);
  const warnings = planWarnings(g, occurrences, now);
  if (args.json) return printJson(planDocument(g, occurrences, warnings));
  process.stdout.write(formatPlan(g, occurrences, warnings));
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

/** One row per start. Under a halt, the header says who halted: the rows say only that the halt stopped or cancelled them. */
function rows(state: GamedayState): string[] {
  return state.occurrences.map((o) => {
    const r = state.results[o.key];
    const byHalt = state.haltedBy && ((r?.status === 'cancelled' && r.reason?.startsWith('halted by')) || r?.outcome === 'interrupted');
    return `  ${o.key.padEnd(28)} ${(r?.outcome ?? r?.status ?? 'not run').padEnd(11)} ${byHalt ? 'by the halt' : (r?.verdict ?? r?.reason ?? '')}`;
  });
}

interface RunArgs {
  readonly file: string;
  readonly out: string | undefined;
  readonly token: string | undefined;
  readonly python: string | undefined;
  readonly 'otlp-endpoint': string | undefined;
}

async function run(args: RunArgs): Promise<void> {
  const token = tokenOf(args);
  const target = traceTargetOf(args['otlp-endpoint']);
  const python = resolvePython(args.python);
  const g = loadGameday(resolve(args.file), { python });
  const outDir = resolve(args.out ?? defaultOutDir(g.title));
  // The game day's span starts here, before its first run, and ends after its summary; it never waits on the collector.
  const trace = await gamedayTraceOf(target, g);
  let state: GamedayState | undefined;
  const interrupt = interruptOnSignals('emergency halt: reverting the running experiments, halting the proxies, cancelling the rest');
  // One terminal for every run's progress and the game day's own lines: on a terminal, the live blocks stay under both.
  const terminal = progressTerminal(process.stderr);
  try {
    terminal.line(`game day "${g.title}": journals, reports and the summary go to ${outDir}`);
    state = await runGameday(g, {
      outDir,
      clock: realClock,
      interrupt: interrupt.signal,
      events: (key) => progressPrinter(process.stderr, (s) => s, g.concurrency > 1 ? `[${key}] ` : '', { terminal }),
      log: (line) => terminal.line(line),
      token,
      python,
      attach: attachBoth(dashboardAttachment(g, outDir, token), (key, r) => trace.attach(key, r)),
      gamedayEvents: trace.events,
    });
    terminal.close();
    // Nothing ran, nothing was tested: never an exit 0 that reads as "held".
    const ran = Object.values(state.results).some((r) => r.status === 'done' || r.status === 'crashed');
    const nothing = ran ? [] : [nothingRan(Object.values(state.results))];
    const halted = state.haltedBy ? haltedNotice(await stillHalted([...g.admins, ...(state.haltedBy.admin ? [state.haltedBy.admin] : [])], token), args.token !== undefined) : undefined;
    const header = `game day "${g.title}"${state.haltedBy ? `: HALTED by ${state.haltedBy.by} at ${state.haltedBy.at}` : ''}`;
    process.stdout.write(`${[header, ...rows(state), ...nothing, ...(halted ? [halted] : []), `summary: ${resolve(outDir, 'summary.html')}`].join('\n')}\n`);
    const failed = !ran || Object.values(state.results).some((r) => r.status === 'crashed' || r.outcome === 'deviated' || r.outcome === 'failed');
    process.exitCode = state.haltedBy ? 3 : failed ? 1 : 0;
  } finally {
    terminal.close();
    interrupt.dispose();
    // After the summary is out: what is left of the spans is sent, bounded by the export timeout (a failure was told once already).
    await trace.close(state);
  }
}

async function halt(args: { dir: string; reason: string | undefined; token: string | undefined }): Promise<void> {
  const token = tokenOf(args);
  const state = readState(args.dir);
  if (!state) throw new UsageError(`${args.dir}: no game day here (no gameday.json)`);
  const record = requestHalt(args.dir, args.reason, new Date());
  process.stdout.write(`halt requested by ${record.by}; the running game day stops within a second\n`);
  // Halt the proxies from here too, in case the game-day runner is gone.
  for (const line of await haltProxies(state.admins, token)) process.stdout.write(`  ${line}\n`);
  const halted = haltedNotice(await stillHalted(state.admins, token), args.token !== undefined);
  if (halted) process.stdout.write(`${halted}\n`);
}

const TOKEN = { type: 'string', describe: 'admin token of the proxies and the control plane (or FAULTMESH_ADMIN_TOKEN); a blank one is refused' } as const;
const PYTHON = { type: 'string', describe: 'the Python interpreter of python providers and controls (default: FAULTMESH_PYTHON, else python3 on PATH)' } as const;
const FILE = { type: 'string', demandOption: true, describe: 'game-day file (YAML): its runs, window, time zone and the proxies to halt' } as const;

export const gamedayCommand = {
  command: 'gameday <action>',
  describe: 'plan, run and halt game days: experiments scheduled at times, by cron or in sequence, inside a window',
  builder: (y: Argv) =>
    y
      .command(
        'plan <file>',
        'print the timeline in the game day\'s time zone (and UTC, unless that is its zone), with warnings; touches nothing',
        (c: Argv) => c.positional('file', FILE).option('python', PYTHON).option('json', { ...JSON_FLAG, describe: 'print the plan as one JSON document: {gameday, file, timezone, window, concurrency, onFailure, admins, starts[], warnings[]}' }),
        (a) => plan(a as unknown as { file: string; python: string | undefined; json: boolean }),
      )
      .command(
        'run <file>',
        'run the game day: wait for each start, run, report; Ctrl-C halts',
        (c: Argv) =>
          c
            .positional('file', FILE)
            .option('out', { type: 'string', defaultDescription: 'gameday-<its title>, e.g. gameday-payments-resilience-day', describe: 'folder for journals, reports and the summary (a second run in it resumes)' })
            .option('token', TOKEN)
            .option('python', PYTHON)
            .options(otlpRunFlag),
        (a) => run(a as unknown as RunArgs),
      )
      .command(
        'halt <dir>',
        'emergency halt of the game day running in DIR: its experiments revert, its proxies halt, the rest is cancelled',
        (c: Argv) =>
          c
            .positional('dir', { type: 'string', demandOption: true, describe: 'the game day\'s --out folder' })
            .option('reason', { type: 'string', describe: 'why, recorded with the halt (shown in the summary)' })
            .option('token', TOKEN),
        (a) => halt(a as unknown as { dir: string; reason: string | undefined; token: string | undefined }),
      )
      .demandCommand(1),
  handler: () => {},
};
