import { judgedSummary } from './activity.js';
import type { ActivityRecord, HypothesisRecord, Journal } from './journal.js';

/** The probe that decided a hypothesis check: the first one not met. */
const culprit = (h: HypothesisRecord | null | undefined): ActivityRecord | undefined => h?.probes.find((p) => p.status !== 'succeeded' || !p.tolerance_met);

function why(p: ActivityRecord): string {
  if (p.status !== 'succeeded') return `probe "${p.activity.name}" failed: ${p.error}`;
  return `probe "${p.activity.name}" returned ${judgedSummary(p)}, outside its tolerance (${p.tolerance})`;
}

/** `1 method activity failed (explode: RuntimeError: the disk is on fire)`: what chaoslib records and goes on after; empty when none did. */
function failedInMethod(journal: Journal): string {
  const failed = journal.run.filter((r) => r.status === 'failed');
  if (!failed.length) return '';
  const each = failed.map((r) => `${r.activity.name}: ${(r.error ?? 'failed').split('\n')[0]}`).join('; ');
  return `${failed.length} method activit${failed.length === 1 ? 'y' : 'ies'} failed (${each})`;
}

/** What a failed activity leaves untested, after the clause above. */
const untested = (journal: Journal) => (journal.run.filter((r) => r.status === 'failed').length === 1 ? 'what it would have done was not tested' : 'what they would have done was not tested');

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
    const failed = failedInMethod(journal);
    return `Deviated: ${p ? `${why(p)} ${after ? 'after' : 'during'} the method` : 'the steady state was not met'}${failed ? `; and ${failed}` : ''}.`;
  }
  if (status === 'failed') return `Failed: ${journal.stoppedBy ?? journal.errors[0]?.message ?? 'see errors'}.`;
  const { before: b, after: a, during: checks } = journal.steady_states;
  // A runtime strategy may check only before, only after, or only during the method.
  const first = b ?? a ?? checks[0];
  // As chaoslib, a failed activity leaves the run completed; the verdict must not claim it was tested.
  const failed = failedInMethod(journal);
  if (!first) return failed ? `Completed, but ${failed}: ${untested(journal)} (no steady-state hypothesis to check).` : 'Completed: the method ran (no steady-state hypothesis to check).';
  const firstWhen = b ? 'before' : a ? 'after' : 'during';
  // Why it held: each probe's value at each check, against its tolerance.
  const probes = first.probes.map((p) => {
    const later = b ? a?.probes.find((q) => q.activity.name === p.activity.name) : undefined;
    return `"${p.activity.name}" ${judgedSummary(p)} ${firstWhen}${later ? ` and ${judgedSummary(later)} after` : ''} (${p.tolerance})`;
  });
  const times = [b ? 'before' : '', a ? 'after' : ''].filter(Boolean).join(' and ');
  const during = checks.length ? `at ${checks.length} check${checks.length === 1 ? '' : 's'} during it` : '';
  const met = times ? `met ${times} the method${during ? `, and ${during}` : ''}` : `met ${during.replace('during it', 'during the method')}`;
  if (failed) return `The hypothesis held, but ${failed}: ${untested(journal)}. The steady state was ${met}: ${probes.join('; ')}.`;
  return `The hypothesis held: the steady state was ${met}: ${probes.join('; ')}.`;
}
