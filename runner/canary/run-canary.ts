import { randomBytes } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import { FaultLedger } from '../fault-ledger.js';
import type { RunOptions } from '../run-experiment.js';
import { JournalWriter } from '../journal.js';
import { sleep } from '../sleep.js';
import type { CanaryFile } from './canary-schema.js';
import type { CanaryJournal, CanaryStatus } from './canary-types.js';
import { runChaosStage } from './chaos-stage.js';
import { newCanaryJournal } from './canary-journal.js';
import { abortedSentence, rolledBackSentence } from './decision.js';
import { backgroundLoad } from './load.js';
import { measurer } from './measure.js';
import { promote } from './promote.js';
import { labelText, readRouteSplit, type CanaryTarget } from './route-info.js';
import { analyseStep } from './step-analysis.js';
import { weightDriver } from './weight-driver.js';

export interface CanaryRunOptions {
  readonly target: CanaryTarget;
  readonly journalPath: string;
  /** The lease the weights hang on; the route returns to stable within it when this process dies. */
  readonly leaseMs: number;
  /** How often the proxies' metrics are read (default 2 s). */
  readonly sampleMs?: number;
  /** Ctrl-C, SIGTERM: roll back at once, whatever the canary is doing. */
  readonly interrupt?: AbortSignal;
  /** Apply the promoted mesh through the control plane instead of printing the command. */
  readonly promoteApply?: boolean;
  /** How long a promotion is held at 100% waiting for the mesh to be applied (default 30 min). */
  readonly holdMs?: number;
  readonly log?: (line: string) => void;
  readonly now?: () => number;
  /** What each chaos stage's experiment run is also given, by the weight it runs at (runner/tracing: its spans). */
  readonly chaosRun?: (weight: number) => Pick<RunOptions, 'events' | 'faultTraceparent'>;
}

type Stop = { readonly kind: 'interrupted'; readonly why: string } | { readonly kind: 'gone' };

/**
 * Runs a canary release to its end: each step's weight under a lease, the
 * chaos stages, the analysis, then promotion or rollback. Whatever ends it
 * (a failed check, insufficient data, Ctrl-C, `canary abort`, an error),
 * the `finally` gives the route back to stable unless the promotion was
 * made permanent. Returns the journal; never throws for what a canary does.
 */
export async function runCanary(c: CanaryFile, options: CanaryRunOptions): Promise<CanaryJournal> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const sampleMs = options.sampleMs ?? 2000;
  const iso = () => new Date(now()).toISOString();
  const journal = newCanaryJournal(c, options.target, iso());
  const writer = new JournalWriter(options.journalPath, c.secrets);
  const save = () => {
    try {
      writer.write(journal);
    } catch (err) {
      if (!journal.errors.some((e) => e.message.startsWith('cannot write'))) journal.errors.push({ at: iso(), message: `cannot write the journal: ${(err as Error).message}` });
    }
  };
  const run = new AbortController();
  const stop = (s: Stop) => run.signal.aborted || run.abort(s);
  const onInterrupt = () => stop({ kind: 'interrupted', why: String(options.interrupt?.reason ?? 'interrupted') });
  if (options.interrupt?.aborted) onInterrupt();
  options.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  const ledger = new FaultLedger({ runId: randomBytes(3).toString('hex'), leaseMs: options.leaseMs, token: options.target.token, now, events: {} });
  const end = (status: Exclude<CanaryStatus, 'running'>, sentence: string) => {
    journal.status = status;
    journal.decision = { outcome: status, sentence, at: iso(), weight: journal.weight };
    log(sentence);
  };

  let split;
  try {
    split = await readRouteSplit(options.target, c.service, c.route, c.stable, c.canary);
  } catch (err) {
    options.interrupt?.removeEventListener('abort', onInterrupt);
    throw err;
  }
  Object.assign(journal, { route: split.index });
  const driver = weightDriver({ target: options.target, service: c.service, route: split.index, stable: c.stable, canary: c.canary, by: `canary:${c.name}`, leaseMs: options.leaseMs });
  const measure = measurer(options.target, c.service, split.index, c.stable, c.canary);
  const renewals = setInterval(() => {
    driver.renew().then(
      (r) => r === 'gone' && stop({ kind: 'gone' }),
      () => {},
    );
  }, Math.max(200, options.leaseMs / 3));
  const load = c.load ? backgroundLoad(c.load, c.service, run.signal, (m) => journal.errors.push({ at: iso(), message: m })) : undefined;
  const failed = { count: 0 };
  save();
  try {
    const stopped = () => run.signal.aborted;
    for (const [i, weight] of c.steps.entries()) {
      if (stopped()) break;
      await driver.set(weight);
      Object.assign(journal, { step: i + 1, weight, phase: `step ${i + 1} of ${c.steps.length} at ${weight}%` });
      journal.weights.push({ at: iso(), weight });
      log(`${c.name}: ${weight}% of ${c.service} route ${split.index} to ${labelText(c.canary)} (step ${i + 1} of ${c.steps.length})`);
      save();
      const chaos = c.chaos.find((s) => s.at === weight);
      if (chaos) {
        journal.phase = `chaos at ${weight}%: ${chaos.file}`;
        save();
        log(`${c.name}: chaos stage at ${weight}%: ${chaos.file}, aimed at ${labelText(c.canary)}`);
        // Beside the canary's journal and named after it (--journal), so two runs of one canary keep their chaos journals apart.
        const chaosJournal = join(dirname(options.journalPath), `${basename(options.journalPath, extname(options.journalPath))}-chaos-${weight}.json`);
        const outcome = await runChaosStage(chaos.experiment, weight, c.service, c.canary, { interrupt: run.signal, token: options.target.token, leaseMs: options.leaseMs, journalPath: chaosJournal, now, ...options.chaosRun?.(weight) });
        journal.chaos.push(outcome.record);
        save();
        if (stopped()) break;
        if (!outcome.held) {
          end('rolled-back', rolledBackSentence(weight, `the chaos stage ${chaos.file} ${outcome.journal.deviated ? 'deviated' : outcome.journal.status}${outcome.journal.stoppedBy ? ` (${outcome.journal.stoppedBy})` : ''}`, failed.count));
          return journal;
        }
        journal.phase = `step ${i + 1} of ${c.steps.length} at ${weight}%`;
      }
      const result = await analyseStep(i + 1, weight, failed, {
        measurer: measure,
        settings: { minRequests: c.minRequests, confidence: c.analysis.confidence, ...(c.analysis.errorRatio ? { errorRatio: c.analysis.errorRatio } : {}), ...(c.analysis.latency ? { latency: c.analysis.latency } : {}) },
        probes: c.analysis.probes,
        ledger,
        intervalMs: c.intervalMs,
        maxWaitMs: c.maxWaitMs,
        failedChecksAllowed: c.failedChecks,
        sampleMs,
        signal: run.signal,
        now,
        point: (p) => {
          journal.timeseries.push(p);
          save();
        },
        judged: (j) => {
          journal.judgements.push(j);
          log(`${c.name}: ${j.outcome} at ${weight}% (${j.failedChecks} failed so far): ${j.reason}`);
          save();
        },
        error: (m) => {
          journal.errors.push({ at: iso(), message: m });
          log(`${c.name}: ${m}`);
        },
      });
      if (result.kind === 'stopped') break;
      if (result.kind === 'rollback') {
        end('rolled-back', rolledBackSentence(weight, result.reason, failed.count));
        return journal;
      }
    }
    if (stopped()) {
      const s = run.signal.reason as Stop;
      end('aborted', abortedSentence(journal.weight, s.kind === 'gone' ? "the canary's override was removed (faultmesh canary abort, or a lease that ran out)" : `${s.why}`));
      return journal;
    }
    await promote(c, journal, split, driver, { target: options.target, journalPath: options.journalPath, promoteApply: options.promoteApply ?? false, holdMs: options.holdMs ?? 30 * 60_000, sampleMs, signal: run.signal, now, log, save, end });
    return journal;
  } catch (err) {
    journal.errors.push({ at: iso(), message: (err as Error).message });
    end('failed', `Failed at ${journal.weight}%: ${(err as Error).message}; traffic returned to stable.`);
    return journal;
  } finally {
    clearInterval(renewals);
    run.abort({ kind: 'interrupted', why: 'the canary ended' } satisfies Stop);
    await load;
    for (const problem of await driver.clear()) journal.errors.push({ at: iso(), message: problem });
    options.interrupt?.removeEventListener('abort', onInterrupt);
    journal.end = iso();
    if (journal.status !== 'promoted') journal.phase = 'ended: traffic on the mesh\'s weights';
    save();
  }
}
