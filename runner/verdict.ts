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
  // Why it held: each probe's value at each check (during the method too), against its tolerance.
  const probes = first.probes.map((p) => {
    const at = (h: HypothesisRecord | null) => h?.probes.find((q) => q.activity.name === p.activity.name);
    const values = [at(b) && `${judgedSummary(at(b)!)} before`, duringValues(checks, p.activity.name), at(a) && `${judgedSummary(at(a)!)} after`].filter((v): v is string => Boolean(v));
    const listed = values.length > 1 ? `${values.slice(0, -1).join(', ')} and ${values.at(-1)}` : (values[0] ?? '');
    return `"${p.activity.name}" ${listed} (${p.tolerance})`;
  });
  const times = [b ? 'before' : '', a ? 'after' : ''].filter(Boolean).join(' and ');
  const during = checks.length ? `at ${checks.length} check${checks.length === 1 ? '' : 's'} during it` : '';
  const met = times ? `met ${times} the method${during ? `, and ${during}` : ''}` : `met ${during.replace('during it', 'during the method')}`;
  const unseen = noCheckDuringFaults(journal);
  if (failed) return `The hypothesis held, but ${failed}: ${untested(journal)}. The steady state was ${met}: ${probes.join('; ')}${unseen}.`;
  return `The hypothesis held: the steady state was ${met}: ${probes.join('; ')}${unseen}.`;
}

/** `0.97 to 1 at 3 checks during`, `1 during`: what one probe returned at the checks made during the method; empty without any. */
function duringValues(checks: readonly HypothesisRecord[], name: string): string {
  const records = checks.flatMap((h) => h.probes.filter((q) => q.activity.name === name));
  if (!records.length) return '';
  const where = records.length === 1 ? 'during' : `at ${records.length} checks during`;
  return `${spread(records)} ${where}`;
}

/** The values of some records: the lowest to the highest when they are numbers, else each distinct one (the first three). */
function spread(records: readonly ActivityRecord[]): string {
  const shown = records.map(judgedSummary);
  const numbers = records.map((r) => (typeof r.value === 'number' ? r.value : typeof r.output === 'number' ? r.output : undefined));
  if (numbers.every((n) => n !== undefined) && new Set(shown).size > 1) {
    const lo = shown[numbers.indexOf(Math.min(...(numbers as number[])))]!;
    const hi = shown[numbers.indexOf(Math.max(...(numbers as number[])))]!;
    return lo === hi ? lo : `${lo} to ${hi}`;
  }
  const distinct = [...new Set(shown)];
  return distinct.length > 3 ? `${distinct.slice(0, 3).join(', ')}...` : distinct.join(', ');
}

/**
 * `; no check ran during the fault window`, when faults were injected and
 * the hypothesis was not checked while they held: the verdict then rests on
 * before and after alone. What the safeguards saw meanwhile is added.
 */
function noCheckDuringFaults(journal: Journal): string {
  if (journal.steady_states.during.length || !journal.faults.length) return '';
  const byName = new Map<string, ActivityRecord[]>();
  for (const r of journal.safeguards) if (r.status === 'succeeded') byName.set(r.activity.name, [...(byName.get(r.activity.name) ?? []), r]);
  const seen = [...byName].map(([name, rs]) => `safeguard "${name}" saw ${spread(rs)}`);
  return `; no check ran during the fault window${seen.length ? ` (${seen.join('; ')} during the method)` : ''}`;
}

/**
 * A run that completed, held, and yet did not test all it meant to: a
 * method activity failed. Badges say "held, partly tested", as the verdict does.
 */
export function partlyTested(journal: Journal): boolean {
  return journal.status === 'completed' && !journal.deviated && journal.run.some((r) => r.status === 'failed');
}
