import { judgedSummary } from './activity.js';
import type { ActivityRecord, HypothesisRecord, Journal } from './journal.js';

/** The probe that decided a hypothesis check: the first one not met. */
const culprit = (h: HypothesisRecord | null | undefined): ActivityRecord | undefined => h?.probes.find((p) => p.status !== 'succeeded' || !p.tolerance_met);


function why(p: ActivityRecord): string {
  if (p.status !== 'succeeded') return `probe "${p.activity.name}" failed: ${p.error}`;
  return `probe "${p.activity.name}" returned ${judgedSummary(p)}, outside its tolerance (${p.tolerance})`;
}

/**
 * One sentence that says how the run ended and why: which probe, what value,
 * what tolerance. Progress output and reports both lead with it.
 */
export function verdictOf(journal: Journal): string {
  const { status } = journal;
  if (status === 'running') return `The run did not finish: its journal stops during ${journal.phase}.`;
  if (status === 'aborted') return `Aborted: ${journal.stoppedBy}.`;
  if (status === 'interrupted') return `Interrupted during ${journal.phase === 'done' ? 'the run' : journal.phase}: ${journal.stoppedBy}.`;
  const before = culprit(journal.steady_states.before);
  if (status === 'failed' && before) return `Failed before any fault: the steady state was not met, ${why(before)}.`;
  if (journal.deviated) {
    const after = culprit(journal.steady_states.after);
    const during = journal.steady_states.during.map(culprit).find(Boolean);
    const p = after ?? during;
    return `Deviated: ${p ? `${why(p)} ${after ? 'after' : 'during'} the method` : 'the steady state was not met'}.`;
  }
  if (status === 'failed') return `Failed: ${journal.stoppedBy ?? journal.errors[0]?.message ?? 'see errors'}.`;
  const { before: b, after: a, during: checks } = journal.steady_states;
  // A runtime strategy may check only before, only after, or only during the method.
  const first = b ?? a ?? checks[0];
  if (!first) return 'Completed: the method ran (no steady-state hypothesis to check).';
  const firstWhen = b ? 'before' : a ? 'after' : 'during';
  // Why it held: each probe's value at each check, against its tolerance.
  const probes = first.probes.map((p) => {
    const later = b ? a?.probes.find((q) => q.activity.name === p.activity.name) : undefined;
    return `"${p.activity.name}" ${judgedSummary(p)} ${firstWhen}${later ? ` and ${judgedSummary(later)} after` : ''} (${p.tolerance})`;
  });
  const times = [b ? 'before' : '', a ? 'after' : ''].filter(Boolean).join(' and ');
  const during = checks.length ? `at ${checks.length} check${checks.length === 1 ? '' : 's'} during it` : '';
  const met = times ? `met ${times} the method${during ? `, and ${during}` : ''}` : `met ${during.replace('during it', 'during the method')}`;
  return `The hypothesis held: the steady state was ${met}: ${probes.join('; ')}.`;
}
