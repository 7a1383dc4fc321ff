import { outcomeOf, type Outcome } from '../../reports/report-model.js';
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
