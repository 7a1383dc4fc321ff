import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readReportInput } from '../../reports/report-input.js';
import { outcomeOf } from '../../reports/report-model.js';
import { writeReport } from '../../reports/write-report.js';
import { alsoTo, isolate, warnOnce, type RunEvents } from '../events.js';
import { runExperiment } from '../run-experiment.js';
import { verdictOf } from '../verdict.js';
import type { PythonChoice } from '../python/python-env.js';
import type { Clock } from './clock.js';
import { readState, writeState, type GamedayState, type HaltRecord, type RunResult } from './gameday-state.js';
import { haltedProxy, haltOn, haltProxies, readHaltFile, signalName } from './halt.js';
import type { Gameday, GamedayRun } from './load-gameday.js';
import { formatInZones, occurrencesOf, startlessCronRuns } from './plan.js';

export interface GamedayOptions {
  readonly outDir: string;
  readonly clock: Clock;
  /** Ctrl-C: an emergency halt. */
  readonly interrupt: AbortSignal;
  readonly events: (key: string) => RunEvents;
  readonly log: (line: string) => void;
  /** How often the HALT file and the proxies' halt state are checked (default 1 s). */
  readonly pollMs?: number;
  readonly leaseMs?: number;
  readonly token?: string | undefined;
  /** The interpreter of the experiments' python providers and controls. */
  readonly python?: PythonChoice | undefined;
  /** What the caller hangs on each run as it starts (its dashboard record, its spans): see RunAttachment. */
  readonly attach?: (key: string, run: GamedayRun) => RunAttachment;
  /** The game day's own subscriber: starts that will not run, the halt. */
  readonly gamedayEvents?: GamedayEvents;
}

/**
 * What a run of the game day carries besides its progress, given by the
 * caller (the CLI composes the dashboard's record and the run's spans; the
 * runner knows neither). Isolated: a part that throws costs a warning, never the run.
 */
export interface RunAttachment {
  /** More subscribers of the run, told after its progress. */
  readonly events?: RunEvents;
  /** The traceparent each of its faults carries to the proxies (RunOptions.faultTraceparent). */
  readonly faultTraceparent?: (activity: string) => string | undefined;
  /** Once the run ended (or crashed): what it holds is let go; awaited before the run counts as ended. */
  close?(): Promise<void>;
}

/** What the game day tells besides its log lines; every handler optional and isolated. */
export interface GamedayEvents {
  /** A start that will not run: skipped (the window, a run it follows) or cancelled (a halt, onFailure), and why. */
  startDropped?(key: string, status: 'skipped' | 'cancelled', reason: string): void;
  /** The emergency halt, once, as recorded in gameday.json. */
  halted?(record: HaltRecord): void;
}

/** The output folder belongs to another game day: its journals and state would mix. */
export class GamedayFolderError extends Error {
  readonly code = 'USAGE';
  override readonly name = 'GamedayFolderError';
}

const END: ReadonlySet<RunResult['status']> = new Set(['done', 'crashed', 'skipped', 'cancelled']);
const fileName = (key: string) => key.replace(/\.ya?ml$/i, '').replace(/[^\w.-]+/g, '_');
/** Where the report of the start `key` is written in the game-day folder (its journal beside it, .json). */
export const reportPathOf = (outDir: string, key: string) => join(outDir, `${fileName(key)}.html`);

/** The state to go on from: the folder's, if it holds this game day (a resume), else a new plan. */
function startingState(g: Gameday, dir: string, now: number): GamedayState {
  const old = readState(dir);
  if (old && old.file !== g.file) throw new GamedayFolderError(`${dir} holds the game day "${old.gameday}" (${old.file}); give this one its own --out folder`);
  if (old) {
    // A run marked running when the runner died did run, partly; its faults ended with their leases. It is not run twice.
    for (const r of Object.values(old.results)) if (r.status === 'running') Object.assign(r, { status: 'crashed', reason: 'the game-day runner stopped during this run; its faults ended with their leases' });
    return old;
  }
  const occurrences = occurrencesOf(g, new Date(now)).map((o) => ({ ...o, due: o.due.toISOString() }));
  return { gameday: g.title, file: g.file, timezone: g.timezone, admins: g.admins, createdAt: new Date(now).toISOString(), occurrences, results: {}, haltedBy: null, finishedAt: null };
}

/**
 * Runs a game day: waits for each start, runs the experiment with the same
 * runner (journal and report each), honours the window, concurrency and
 * onFailure, and ends with a summary. An emergency halt (Ctrl-C, a HALT file,
 * a halted proxy or control plane, noticed by the poller, before a start or
 * by a run it stopped) interrupts the running experiments, which revert,
 * halts every listed proxy and cancels the rest.
 */
export async function runGameday(g: Gameday, o: GamedayOptions): Promise<GamedayState> {
  // The log is a subscriber too: one that throws must not skip a halt or leave a run unreverted. (Each run isolates its own events.)
  const warn = warnOnce();
  o = { ...o, log: isolate('log', o.log, warn) };
  const told = { startDropped: isolate('startDropped', o.gamedayEvents?.startDropped, warn), halted: isolate('halted', o.gamedayEvents?.halted, warn) };
  mkdirSync(o.outDir, { recursive: true });
  const { clock } = o;
  const state = startingState(g, o.outDir, clock.now());
  const save = () => writeState(o.outDir, state);
  const result = (key: string) => (state.results[key] ??= { status: 'skipped' });
  const drop = (key: string, status: 'skipped' | 'cancelled', reason: string) => {
    state.results[key] = { status, reason };
    told.startDropped(key, status, reason);
  };
  if (state.haltedBy) {
    o.log(`this game day was halted by ${state.haltedBy.by} at ${state.haltedBy.at}; start a new one in another folder`);
    return state;
  }
  const halt = new AbortController();
  const haltWith = (record: HaltRecord) => {
    if (halt.signal.aborted) return;
    state.haltedBy = record;
    save();
    told.halted(record);
    o.log(`EMERGENCY HALT by ${record.by}: the running experiments revert, the rest is cancelled`);
    // Who halted is in the line above and in gameday.json; each run's journal says what stopped it.
    halt.abort({ why: "the game day's emergency halt" });
  };
  const onInterrupt = () => haltWith({ source: 'signal', by: signalName(o.interrupt.reason), at: new Date(clock.now()).toISOString() });
  if (o.interrupt.aborted) onInterrupt();
  o.interrupt.addEventListener('abort', onInterrupt, { once: true });
  const askAdmins = async () => {
    const admin = await haltedProxy(g.admins, o.token);
    if (admin) haltWith(haltOn(admin, g.control, new Date(clock.now()).toISOString()));
  };
  let asking = false;
  const poller = setInterval(() => {
    const file = readHaltFile(o.outDir);
    if (file) return haltWith(file);
    // One question to the proxies at a time: an unreachable one must not pile up requests.
    if (asking) return;
    asking = true;
    void askAdmins().finally(() => (asking = false));
  }, o.pollMs ?? 1000);
  /** Asked once before a pass starts anything: a halt made since the poller last looked must not be raced by a new run. */
  const haltedNow = async () => {
    const file = readHaltFile(o.outDir);
    if (file) haltWith(file);
    else await askAdmins();
    return halt.signal.aborted;
  };

  let wake = new AbortController();
  let stopRest: string | undefined;
  const running = new Map<string, Promise<void>>();
  const runByName = new Map(g.runs.map((r) => [r.name, r]));

  const attachmentOf = (key: string, run: GamedayRun): RunAttachment => {
    try {
      return o.attach?.(key, run) ?? {};
    } catch (err) {
      return (warn('attach', err), {});
    }
  };
  const start = (key: string, runName: string) => {
    const run = runByName.get(runName)!;
    const r = result(key);
    Object.assign(r, { status: 'running', startedAt: new Date(clock.now()).toISOString() });
    save();
    o.log(`\n=== ${key}: ${run.experiment.title} (${new Date(clock.now()).toISOString()})`);
    const journalPath = join(o.outDir, `${fileName(key)}.json`);
    const task = (async () => {
      try {
        const extra = attachmentOf(key, run);
        const events = alsoTo(o.events(key), extra.events, warn);
        // (The fault ledger guards faultTraceparent itself: a fault goes on without a trace rather than not at all.)
        const traced = extra.faultTraceparent ? { faultTraceparent: extra.faultTraceparent } : {};
        const journal = await runExperiment(run.experiment, { journalPath, interrupt: halt.signal, events, ...traced, ...(o.leaseMs ? { leaseMs: o.leaseMs } : {}), token: o.token, ...(o.python ? { python: o.python } : {}) }).finally(() => Promise.resolve().then(() => extra.close?.()).catch((err: unknown) => warn('close', err)));
        // A halt the run met (its fault removed by it) halts the game day now, with the run's own time: the poller may not have seen it yet, or ever.
        if (journal.emergencyHalt) haltWith(haltOn(journal.emergencyHalt.admin, g.control, journal.emergencyHalt.at));
        const report = writeReport(readReportInput(journalPath), reportPathOf(o.outDir, key))[0]!;
        Object.assign(r, { status: 'done', endedAt: new Date(clock.now()).toISOString(), journal: journalPath, report, outcome: outcomeOf(journal), verdict: verdictOf(journal) });
        if (g.onFailure === 'halt' && (r.outcome === 'deviated' || r.outcome === 'failed') && !stopRest) stopRest = `${key} ${r.outcome} and onFailure is halt`;
      } catch (err) {
        Object.assign(r, { status: 'crashed', endedAt: new Date(clock.now()).toISOString(), reason: (err as Error).message });
      } finally {
        running.delete(key);
        save();
        wake.abort();
      }
    })();
    running.set(key, task);
  };

  if (g.window && clock.now() > g.window.end.getTime() && state.occurrences.some((x) => !state.results[x.key])) {
    o.log(`the window closed at ${formatInZones(g.window.end, g.timezone)}, before this game day started: no run can start, every start is skipped`);
  }
  for (const line of startlessCronRuns(g, state.occurrences)) o.log(line);
  try {
    save();
    for (;;) {
      if (halt.signal.aborted || stopRest) break;
      const now = clock.now();
      let checked = false;
      const pending = state.occurrences.filter((x) => !state.results[x.key]);
      // An `after` run is due once every start of the run it follows has ended.
      const ready = pending.filter((x) => {
        if (x.trigger !== 'after') return true;
        const after = (runByName.get(x.run)!.trigger as { after: string }).after;
        const before = state.occurrences.filter((y) => y.run === after);
        return before.every((y) => END.has(state.results[y.key]?.status ?? 'running'));
      });
      for (const x of ready) {
        if (x.trigger === 'after') {
          const after = (runByName.get(x.run)!.trigger as { after: string }).after;
          const ranBefore = state.occurrences.filter((y) => y.run === after).some((y) => state.results[y.key]?.status === 'done');
          if (!ranBefore) {
            drop(x.key, 'skipped', `${after} did not run`);
            continue;
          }
        }
        const due = x.trigger === 'after' ? now : Date.parse(x.due);
        if (x.outsideWindow && x.trigger !== 'after') drop(x.key, 'skipped', 'due outside the window');
        else if (g.window && now > g.window.end.getTime()) drop(x.key, 'skipped', 'the window closed before it could start');
        else if (g.window && now < g.window.start.getTime()) continue;
        else if (due <= now && running.size < g.concurrency) {
          if (!checked) {
            checked = true;
            if (await haltedNow()) break;
          }
          start(x.key, x.run);
        }
      }
      save();
      const waiting = state.occurrences.filter((x) => !state.results[x.key]);
      if (waiting.length === 0 && running.size === 0) break;
      const signal = AbortSignal.any([wake.signal, halt.signal]);
      const timed = waiting.filter((x) => x.trigger !== 'after').map((x) => Math.max(Date.parse(x.due), g.window?.start.getTime() ?? 0));
      const next = Math.min(...timed);
      if (running.size < g.concurrency && Number.isFinite(next) && next > now) {
        if (running.size === 0) o.log(`waiting until ${formatInZones(new Date(next), g.timezone)} for ${waiting.find((x) => Math.max(Date.parse(x.due), g.window?.start.getTime() ?? 0) === next)?.key ?? 'the next run'}`);
        await clock.sleepUntil(next, signal);
      }
      // Nothing running and no timed start ahead: the `after` runs left follow runs that have ended, so the next pass decides them.
      else if (running.size > 0) await new Promise<void>((done) => (signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true })));
      if (wake.signal.aborted) wake = new AbortController();
    }
    if (stopRest) o.log(`stopping the game day: ${stopRest}`);
    await Promise.all(running.values());
    if (halt.signal.aborted && g.admins.length) o.log(`halting every listed proxy:\n${(await haltProxies(g.admins, o.token)).map((l) => `  ${l}`).join('\n')}`);
    const halted = state.haltedBy as HaltRecord | null;
    const why = halted ? `halted by ${halted.by}` : stopRest;
    for (const x of state.occurrences) if (!state.results[x.key]) drop(x.key, 'cancelled', why ?? 'not reached');
  } finally {
    clearInterval(poller);
    o.interrupt.removeEventListener('abort', onInterrupt);
    state.finishedAt = new Date(clock.now()).toISOString();
    save();
  }
  writeReport(readReportInput(o.outDir), join(o.outDir, 'summary.html'));
  return state;
}
