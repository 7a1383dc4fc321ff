import { outcomeOf, type Outcome } from '../../reports/report-model.js';
import type { CanaryDecision, CanaryJournal } from '../../runner/canary/canary-types.js';
import type { Journal } from '../../runner/journal.js';
import { verdictOf } from '../../runner/verdict.js';
import { describeLoad, tooBusy, type LoadReading } from './machine-load.js';

/** A demo run's outcome: the journal's, or `not judged` when the run cannot speak for the mesh. */
export type DemoOutcome = Outcome | 'not judged';

/**
 * What the demo says about one experiment. A verdict must not claim more
 * than was tested, and a demo that fails for reasons the user cannot see
 * teaches them to distrust the tool, so two cases are not judged:
 * - a hypothesis that held while every fault hit no request: nothing was tested;
 * - a run that deviated, failed its steady state before any fault, or was
 *   aborted by a safeguard, on a machine too busy to judge (latency and
 *   errors then measure the wait for a CPU as much as the mesh). The
 *   sentence gives the load and then the run's own verdict, values included.
 * A run that held on a busy machine did hold: it keeps its verdict.
 */
export function judgeDemoRun(journal: Journal, load: LoadReading): { readonly outcome: DemoOutcome; readonly verdict: string } {
  const outcome = outcomeOf(journal);
  const verdict = verdictOf(journal);
  const faults = journal.faults;
  if (outcome === 'held' && faults.length > 0 && faults.every((f) => f.counts !== undefined && f.counts.hit === 0)) {
    const counts = faults.map((f) => `${f.id}: matched ${f.counts!.matched}, hit 0`).join('; ');
    return { outcome: 'not judged', verdict: `Not judged: the hypothesis held, but the fault hit no request (${counts}), so nothing was tested. Its target had no matching traffic while it was in force (an instance already ejected, or a match that names nothing).` };
  }
  const beforeFailed = outcome === 'failed' && journal.steady_states.before?.met === false;
  if ((outcome === 'deviated' || outcome === 'aborted' || beforeFailed) && tooBusy(load)) {
    return { outcome: 'not judged', verdict: `Not judged: this machine was too busy to judge (${describeLoad(load)}), so what the run measured is the wait for a CPU as much as the mesh. Run it again on a quieter machine. What it saw: ${verdict}` };
  }
  return { outcome, verdict };
}

/**
 * What the demo says about one canary on a busy machine. Canary and stable
 * are compared side by side under the same load, so a failed check is the
 * release's; but a decision made without one (no healthy baseline, too few
 * requests, a chaos stage's absolute hypothesis) may be the machine's, and a
 * promotion made on such a machine passed checks whose latencies measured the
 * wait for a CPU too. Both get the load and a caveat; a quiet machine's
 * decision, and a rollback on a failed check, keep their own sentence.
 */
export function judgeDemoCanary(journal: Pick<CanaryJournal, 'decision' | 'judgements'>, load: LoadReading, stable: string): { readonly outcome: CanaryDecision['outcome']; readonly sentence: string } {
  const decision = journal.decision ?? { outcome: 'failed' as const, sentence: 'Ended without a decision.' };
  if (!tooBusy(load)) return { outcome: decision.outcome, sentence: decision.sentence };
  if (decision.outcome === 'promoted') {
    return { outcome: decision.outcome, sentence: `${decision.sentence} Judged on a busy machine (${describeLoad(load)}): canary and stable shared the load, so the comparison stands, but their latencies include the wait for a CPU; run it again on a quieter machine before quoting them.` };
  }
  if (journal.judgements.some((j) => j.outcome === 'fail')) return { outcome: decision.outcome, sentence: decision.sentence };
  return { outcome: decision.outcome, sentence: `${decision.sentence} Not judged: this machine was too busy (${describeLoad(load)}), so this decision may be the machine's rather than the release's; traffic is back on ${stable} all the same.` };
}
