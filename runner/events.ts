import type { ActivityRecord, FaultRecord, HypothesisRecord, Journal } from './journal.js';
import type { Activity } from './experiment/activity-schema.js';

/**
 * What a run tells its subscribers (progress on stderr, later reports and
 * dashboards). Every handler is optional: the run never depends on one.
 */
export interface RunEvents {
  phase?(phase: Journal['phase']): void;
  activityStarted?(activity: Activity, section: ActivityRecord['section']): void;
  activityEnded?(record: ActivityRecord): void;
  hypothesisChecked?(when: 'before' | 'during' | 'after', record: HypothesisRecord): void;
  faultInjected?(fault: FaultRecord): void;
  faultEnded?(fault: FaultRecord): void;
  stopped?(reason: string): void;
  runEnded?(journal: Journal): void;
}
