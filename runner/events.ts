import type { ActivityRecord, FaultRecord, HypothesisRecord, Journal } from './journal.js';
import type { Activity } from './experiment/activity-schema.js';

/**
 * What a run tells its subscribers (progress on stderr, later reports and
 * dashboards). Every handler is optional, and the run isolates each one
 * (`isolateEvents`): it never depends on one, and one that throws is recorded.
 */
export interface RunEvents {
  phase?(phase: Journal['phase']): void;
  activityStarted?(activity: Activity, section: ActivityRecord['section']): void;
  activityEnded?(record: ActivityRecord): void;
  hypothesisChecked?(when: 'before' | 'during' | 'after', record: HypothesisRecord): void;
  faultInjected?(fault: FaultRecord): void;
  faultEnded?(fault: FaultRecord): void;
  /** A held fault's counts summed over its proxies, as read at each renewal round and once more at its removal: what live views show. */
  faultCounted?(fault: FaultRecord, counts: { readonly matched: number; readonly hit: number }): void;
  stopped?(reason: string): void;
  /** The declared rollbacks do not run, and why (`strategy never`): the words follow "rollbacks skipped: ". */
  rollbacksSkipped?(reason: string): void;
  runEnded?(journal: Journal): void;
}

/** Every event a run emits, in the order of RunEvents. */
export const EVENT_NAMES = ['phase', 'activityStarted', 'activityEnded', 'hypothesisChecked', 'faultInjected', 'faultEnded', 'faultCounted', 'stopped', 'rollbacksSkipped', 'runEnded'] as const satisfies ReadonlyArray<keyof RunEvents>;

/**
 * `fn`, made harmless to its caller: whatever it throws (or rejects with) goes
 * to `onError` and never further, so a broken subscriber cannot stand between
 * a run and its revert.
 *
 * @example const log = isolate('log', o.log, (name, err) => errors.push(`${name}: ${err}`));
 */
export function isolate<A extends unknown[]>(name: string, fn: ((...args: A) => unknown) | undefined, onError: (name: string, err: unknown) => void): (...args: A) => void {
  const report = (err: unknown) => {
    try {
      onError(name, err);
    } catch {
      // The error sink failed too: nothing is left to tell.
    }
  };
  return (...args) => {
    if (!fn) return;
    try {
      const result = fn(...args);
      if (result instanceof Promise) result.catch(report);
    } catch (err) {
      report(err);
    }
  };
}

/** Every handler of `events`, each isolated (see `isolate`); a missing one does nothing. */
export function isolateEvents(events: RunEvents, onError: (name: string, err: unknown) => void): Required<RunEvents> {
  const out: Partial<Record<keyof RunEvents, (...args: never[]) => void>> = {};
  for (const name of EVENT_NAMES) out[name] = isolate(name, events[name]?.bind(events) as ((...args: unknown[]) => unknown) | undefined, onError);
  return out as Required<RunEvents>;
}

/** An error's message, for records: subscribers may throw anything. */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * An `onError` for subscribers that have no record to write to (a log
 * line sink): a process warning, once per distinct failure.
 */
export function warnOnce(): (name: string, err: unknown) => void {
  const seen = new Set<string>();
  return (name, err) => {
    const message = `a subscriber failed on ${name}: ${messageOf(err)}`;
    if (seen.has(message)) return;
    seen.add(message);
    process.emitWarning(message, 'SubscriberWarning');
  };
}

/**
 * Both subscribers: each handler calls `first` (progress, which the run
 * must not lose), then `second` isolated, so nothing the second one does
 * (the dashboard, spans) can stop or delay the first, nor the run.
 * @example events: alsoTo(progressPrinter(process.stderr, mask), runPublisher({ control, token, name }))
 */
export function alsoTo(first: RunEvents, second: RunEvents | undefined, onError: (name: string, err: unknown) => void = warnOnce()): RunEvents {
  if (!second) return first;
  const guarded = isolateEvents(second, onError) as Record<string, (...args: never[]) => void>;
  const out: Record<string, (...args: never[]) => unknown> = {};
  for (const name of EVENT_NAMES) {
    const own = first[name]?.bind(first) as ((...args: never[]) => unknown) | undefined;
    out[name] = (...args: never[]) => {
      try {
        return own?.(...args);
      } finally {
        guarded[name]!(...args);
      }
    };
  }
  return out as RunEvents;
}
