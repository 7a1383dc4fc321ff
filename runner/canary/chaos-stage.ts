import type { Activity } from '../experiment/activity-schema.js';
import type { Experiment } from '../experiment/load-experiment.js';
import type { Journal } from '../journal.js';
import { runExperiment, type RunOptions } from '../run-experiment.js';
import type { ChaosStageRecord } from './canary-types.js';
import type { Labels } from './route-info.js';

/**
 * The experiment with every fault on the canary's service narrowed to the
 * canary's instances (match.labels), so the new version is tested under
 * the fault while stable's traffic is left alone. Faults on other services
 * (a dependency of the canary, say) run as written.
 */
export function aimAtCanary(exp: Experiment, service: string, canary: Labels): Experiment {
  const aim = (a: Activity): Activity => {
    const p = a.provider as { type: string; rule?: { target: string; match?: Record<string, unknown> } };
    if (p.type !== 'fault' || !p.rule || (p.rule.target !== service && p.rule.target !== '*')) return a;
    const rule = { ...p.rule, target: service, match: { ...(p.rule.match ?? {}), labels: { ...((p.rule.match?.labels as Labels | undefined) ?? {}), ...canary } } };
    return { ...a, provider: { ...p, rule } } as Activity;
  };
  return { ...exp, method: exp.method.map(aim), rollbacks: exp.rollbacks.map(aim) };
}

export interface ChaosOutcome {
  readonly record: ChaosStageRecord;
  readonly journal: Journal;
  /** The experiment's hypothesis held and nothing failed. */
  readonly held: boolean;
}

/**
 * Runs one chaos stage: the experiment, aimed at the canary, with its own
 * journal. The canary's interrupt is the experiment's, so an abort during
 * the stage reverts its faults before the canary rolls back.
 */
export async function runChaosStage(exp: Experiment, at: number, service: string, canary: Labels, options: Pick<RunOptions, 'interrupt' | 'token' | 'leaseMs' | 'journalPath' | 'events' | 'faultTraceparent' | 'now'>): Promise<ChaosOutcome> {
  const now = options.now ?? Date.now;
  const record: ChaosStageRecord = { at, experiment: exp.file, start: new Date(now()).toISOString(), end: null, status: 'running', deviated: false, journal: options.journalPath ?? null, stoppedBy: null };
  const journal = await runExperiment(aimAtCanary(exp, service, canary), options);
  record.end = new Date(now()).toISOString();
  record.status = journal.status;
  record.deviated = journal.deviated;
  record.stoppedBy = journal.stoppedBy;
  return { record, journal, held: journal.status === 'completed' && !journal.deviated };
}
