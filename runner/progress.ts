import ora, { type Ora } from 'ora';
import { describeResult } from './activity.js';
import type { RunEvents } from './events.js';
import { describeRule, faultWhere } from './describe.js';
import type { Journal } from './journal.js';
import { verdictOf } from './verdict.js';

const PHASES: Record<Journal['phase'], string> = {
  'hypothesis-before': 'steady state before',
  method: 'method',
  'hypothesis-after': 'steady state after',
  // Told once the faults are off (the lines just above say how each ended), so no printer stands before the revert.
  revert: 'revert done',
  rollbacks: 'rollbacks',
  done: 'done',
};

/**
 * Progress on stderr as the run goes: phases, each probe's value against its
 * tolerance, fault windows. On a terminal a spinner shows what is running
 * now; elsewhere (CI logs, pipes) only plain lines are written.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr, mask: (s: string) => string = (s) => s, prefix = ''): RunEvents {
  // A terminal that reports no width (some pseudo-terminals) would make the spinner miscount the lines it clears.
  const spinner: Ora | undefined = stream.isTTY && (stream.columns ?? 0) > 0 ? ora({ stream, discardStdin: false }) : undefined;
  const line = (text: string) => {
    const spinning = spinner?.isSpinning;
    if (spinning) spinner!.clear();
    stream.write(`${prefix}${mask(text)}\n`);
    if (spinning) spinner!.render();
  };
  const spin = (text: string) => {
    if (!spinner) return;
    spinner.text = mask(text);
    if (!spinner.isSpinning) spinner.start();
  };
  return {
    phase(phase) {
      if (phase === 'done') return void spinner?.stop();
      line(`» ${PHASES[phase]}`);
      spin(PHASES[phase]);
    },
    activityStarted(activity, section) {
      spin(`${section} ${activity.type} "${activity.name}"`);
    },
    activityEnded(r) {
      line(`  ${r.section} ${r.activity.type} "${r.activity.name}": ${describeResult(r)} [${r.duration.toFixed(1)}s]`);
    },
    hypothesisChecked(when, h) {
      line(`  steady state ${when}: ${h.met ? 'met' : 'NOT met'}`);
    },
    faultInjected(f) {
      line(`  fault ${f.id} injected ${faultWhere(f)}: ${describeRule(f.rule as object)}`);
    },
    faultEnded(f) {
      const counts = f.counts ? `, matched ${f.counts.matched}, hit ${f.counts.hit}${f.countedUntil ? ` (counted until ${f.countedUntil})` : ''}` : '';
      const applied = f.appliedBy ? `, applied by ${f.appliedBy.length} prox${f.appliedBy.length === 1 ? 'y' : 'ies'}${f.appliedBy.length ? ` (${f.appliedBy.join(', ')})` : ''}` : '';
      line(`  fault ${f.id} ${f.state} after ${((f.heldMs ?? 0) / 1000).toFixed(1)}s${counts}${applied}${f.errors.length ? ` (${f.errors.join('; ')})` : ''}`);
    },
    stopped(reason) {
      line(`✗ stopping: ${reason}`);
    },
    rollbacksSkipped(reason) {
      line(`» rollbacks skipped: ${reason}`);
    },
    runEnded(journal) {
      spinner?.stop();
      line(`${journal.status}${journal.deviated ? ' (deviated)' : ''} in ${(journal.duration ?? 0).toFixed(1)}s. ${verdictOf(journal)}`);
    },
  };
}
