import { randomBytes } from 'node:crypto';
import { runActivity } from './activity.js';
import { startControls } from './controls/run-controls.js';
import { journalOnDisk, statusOfFinishedRun } from './ctk-journal.js';
import { isolateEvents, messageOf, type RunEvents } from './events.js';
import type { Experiment } from './experiment/load-experiment.js';
import { FaultLedger } from './fault-ledger.js';
import { checkHypothesis } from './hypothesis.js';
import { JournalWriter, newJournal, type Journal } from './journal.js';
import { runMethod } from './method.js';
import { resolvePython, sysPathFor, type PythonChoice } from './python/python-env.js';
import { hypothesisPlan, rollbacksSkippedBecause, rollbackStrategyOf, type RuntimeFlags } from './runtime.js';
import { journalSampler, touchedBy } from './sampler.js';
import { statusOf, stopReasonOf, type StopReason } from './stop-reason.js';

export type { RollbackStrategy } from './experiment/runtime-schema.js';

/** `RuntimeFlags`: the command line's strategies, which win over the experiment's `runtime`. */
export interface RunOptions extends RuntimeFlags {
  /** Where the journal is written as the run goes; none keeps it in memory. */
  readonly journalPath?: string;
  readonly events?: RunEvents;
  /** Aborting it interrupts the run (SIGINT, SIGTERM, an emergency halt); the revert still runs. */
  readonly interrupt?: AbortSignal;
  /** The lease faults are held under; about 10 s, so a dead runner's faults go within that. */
  readonly leaseMs?: number;
  readonly safeguardEveryMs?: number;
  /** How often the mesh's metrics are sampled for reports (default 1 s). */
  readonly sampleEveryMs?: number;
  /** Admin token for the proxies (FAULTMESH_ADMIN_TOKEN when absent). */
  readonly token?: string;
  readonly now?: () => number;
  /** The interpreter of python providers and controls (default: FAULTMESH_PYTHON, else python3). */
  readonly python?: PythonChoice;
  /** How long one control hook may run before its process is killed (default 60 s). */
  readonly controlHookTimeoutMs?: number;
  /** The trace context each fault of an activity carries to the proxies (runner/tracing), so their spans link to the run. */
  readonly faultTraceparent?: (activity: string) => string | undefined;
}

export const DEFAULT_LEASE_MS = 10_000;

/**
 * Runs an experiment from top to bottom: hypothesis before, method (with
 * safeguards), hypothesis after. Whatever happens — a deviation, a safeguard,
 * an exception, an interrupt — the `finally` removes every fault this run
 * injected and then runs the rollbacks. Returns the journal; never throws
 * for what an experiment does.
 */
export async function runExperiment(exp: Experiment, options: RunOptions = {}): Promise<Journal> {
  const now = options.now ?? Date.now;
  const journal = newJournal(exp, randomBytes(3).toString('hex'), new Date(now()));
  // Subscribers (progress, reports, dashboards) are told, never obeyed: one that throws is written down and the run goes on.
  const subscriberErrors = new Set<string>();
  const events = isolateEvents(options.events ?? {}, (name, err) => {
    const message = `a subscriber failed on ${name}: ${messageOf(err)}`;
    if (subscriberErrors.has(message)) return;
    subscriberErrors.add(message);
    journal.errors.push({ phase: journal.phase, message });
  });
  const writer = options.journalPath ? new JournalWriter(options.journalPath, exp.secrets) : undefined;
  let saveFailed = false;
  // A journal that cannot be written (disk full) must not stop the revert: the error is kept and the run goes on.
  // On disk its records are in Chaos Toolkit's form, the activities as the file wrote them.
  const save = () => {
    try {
      writer?.write(journalOnDisk(journal, exp.asWritten));
    } catch (err) {
      if (!saveFailed) journal.errors.push({ phase: journal.phase, message: `cannot write the journal: ${(err as Error).message}` });
      saveFailed = true;
    }
  };
  const run = new AbortController();
  const stop = (reason: StopReason) => {
    if (run.signal.aborted) return;
    journal.stoppedBy = reason.message;
    if (reason.kind === 'interrupted' && reason.halt) journal.emergencyHalt = reason.halt;
    run.abort(reason);
    events.stopped(reason.message);
  };
  // A reason may be a signal's name or an object (a canary's own stop): only words go into the journal.
  const why = (r: unknown) => (typeof r === 'string' ? r : r && typeof r === 'object' && 'why' in r ? String((r as { why: unknown }).why) : r instanceof Error ? r.message : 'signal');
  const onInterrupt = () => stop({ kind: 'interrupted', message: `interrupted (${why(options.interrupt?.reason)})` });
  if (options.interrupt?.aborted) onInterrupt();
  options.interrupt?.addEventListener('abort', onInterrupt, { once: true });

  const ledger = new FaultLedger({
    runId: journal.runId,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    traceparent: options.faultTraceparent,
    token: options.token ?? process.env.FAULTMESH_ADMIN_TOKEN,
    now,
    events: {
      faultInjected: (fault) => {
        journal.faults.push(fault);
        save();
        events.faultInjected(fault);
      },
      faultEnded: (fault) => {
        save();
        events.faultEnded(fault);
      },
      faultCounted: (fault, counts) => events.faultCounted(fault, counts),
      // A fault that did not hold for its whole window has not tested what the run claims: the run stops.
      faultLost: (fault, { admin, at, cause }) => {
        save();
        // An operator's halt is an emergency stop, as in a game day; anything else fails the run.
        if (cause === 'proxy halted') stop({ kind: 'interrupted', message: `an emergency halt on ${admin} removed fault ${fault.id} at ${at}`, halt: { admin, at } });
        else stop({ kind: 'failed', message: `fault ${fault.id} lost on ${admin} at ${at} (${cause})` });
      },
    },
  });
  const python = { choice: options.python ?? resolvePython(), sysPath: sysPathFor(exp.file), configuration: exp.configuration, secrets: exp.secretScopes };
  // Chaos Toolkit's controls, in one Python process for the run. Started before anything is injected; each hook is cut short by a stop, so none delays the revert.
  const controls = await startControls(exp, {
    python,
    signal: run.signal,
    ...(options.controlHookTimeoutMs ? { hookTimeoutMs: options.controlHookTimeoutMs } : {}),
    onError: (message) => journal.errors.push({ phase: journal.phase, message }),
    onInterrupt: (message) => {
      if (['revert', 'rollbacks', 'done'].includes(journal.phase)) journal.errors.push({ phase: journal.phase, message: `${message} (raised once the run had ended, so only recorded)` });
      else stop({ kind: 'interrupted', message });
    },
  });
  const ctx = { signal: run.signal, ledger, now, python, controls };
  // When the hypothesis is checked: Chaos Toolkit's runtime strategy (default: before and after the method).
  const plan = hypothesisPlan(exp, options);
  const touched = touchedBy(exp);
  const sampleEveryMs = options.sampleEveryMs ?? 1000;
  const sampler = journalSampler(journal, { touched, everyMs: sampleEveryMs, now, token: options.token ?? process.env.FAULTMESH_ADMIN_TOKEN, save });
  const enter = (phase: Journal['phase']) => {
    journal.phase = phase;
    save();
    events.phase(phase);
  };

  sampler.start();
  try {
    await controls.before({ level: 'experiment' }, run.signal);
    if (run.signal.aborted) return journal;
    if (plan.before) enter('hypothesis-before');
    if (exp.hypothesis && plan.before) {
      const before = await checkHypothesis(exp.hypothesis.probes, ctx, events, exp.hypothesis);
      journal.steady_states.before = before;
      events.hypothesisChecked('before', before);
      if (!before.met) {
        stop({ kind: 'failed', message: 'the steady state was not met before the method; nothing was injected' });
        return journal;
      }
    }
    if (run.signal.aborted) return journal;
    enter('method');
    await runMethod(exp, { ...ctx, journal, events, save, stop, safeguardEveryMs: options.safeguardEveryMs ?? 2000, hypothesisPlan: plan });
    if (run.signal.aborted) return journal;
    if (plan.after) enter('hypothesis-after');
    if (exp.hypothesis && plan.after) {
      const after = await checkHypothesis(exp.hypothesis.probes, ctx, events, exp.hypothesis);
      journal.steady_states.after = after;
      events.hypothesisChecked('after', after);
      if (!after.met) journal.deviated = true;
    }
  } catch (err) {
    journal.errors.push({ phase: journal.phase, message: messageOf(err) });
    stop({ kind: 'failed', message: `the runner failed during ${journal.phase}: ${messageOf(err)}` });
  } finally {
    options.interrupt?.removeEventListener('abort', onInterrupt);
    // The faults come off before anyone is told about it: nothing stands between the run and its revert.
    journal.phase = 'revert';
    save();
    await ledger.releaseAll();
    enter('revert');
    // Decided after the removal, which can still find a fault a proxy had dropped. A deviation is `completed` with `deviated`, as in Chaos Toolkit (exit 1 all the same).
    const reason = stopReasonOf(run.signal);
    journal.status = reason ? statusOf(reason) : statusOfFinishedRun(journal);
    for (const f of journal.faults) for (const e of f.errors) journal.errors.push({ phase: 'revert', message: `fault ${f.id}: ${e}` });
    const skipped = rollbacksSkippedBecause(rollbackStrategyOf(exp, options), journal, reason, plan);
    // Skipped rollbacks are said out loud: a reader of the journal or the report must not wonder whether they ran.
    if (skipped && exp.rollbacks.length) {
      journal.rollbacksSkipped = skipped;
      save();
      events.rollbacksSkipped(skipped);
    }
    if (!skipped) {
      enter('rollbacks');
      // Rollbacks run to the end even when the run was interrupted: a second Ctrl-C does not skip them.
      const rollbackCtx = { ...ctx, signal: new AbortController().signal };
      await controls.before({ level: 'rollback' });
      for (const activity of exp.rollbacks) {
        events.activityStarted(activity, 'rollback');
        const record = await runActivity(activity, 'rollback', rollbackCtx);
        journal.rollbacks.push(record);
        if (record.status === 'failed') journal.errors.push({ phase: 'rollbacks', message: `rollback "${activity.name}" failed: ${record.error}` });
        events.activityEnded(record);
        save();
      }
      await controls.after({ level: 'rollback' }, journal.rollbacks);
    }
    // A rollback that injected a fault of its own (rare, but the format allows it) is not left behind either.
    await ledger.releaseAll();
    await sampler.stop();
    const end = now();
    journal.end = new Date(end).toISOString();
    journal.duration = (end - Date.parse(journal.start)) / 1000;
    // Every hook is bounded by its timeout; cleanup_control ends the controls' process.
    await controls.after({ level: 'experiment' }, journal);
    await controls.close();
    enter('done');
    events.runEnded(journal);
    // Once more, for a subscriber that failed on the end itself.
    if (subscriberErrors.size) save();
  }
  return journal;
}
