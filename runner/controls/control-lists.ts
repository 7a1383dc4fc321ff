import type { FieldIssue } from '../../proxy/config/config-error.js';
import type { Activity } from '../experiment/activity-schema.js';
import { isControlRef, type ControlEntry, type ControlSpec } from './control-schema.js';

/** A list of activities or of controls, with the path the file declares it at. */
export interface Located<T> {
  readonly path: readonly PropertyKey[];
  readonly entries: readonly T[];
}

export interface ExperimentControls {
  /** The top-level controls, which every level may apply. */
  readonly top: readonly ControlSpec[];
  /** Every list of controls in the file (top level, hypothesis, each activity's), for the Python check. */
  readonly lists: ReadonlyArray<Located<ControlEntry>>;
  readonly issues: readonly FieldIssue[];
}

/**
 * The experiment's controls, checked: a `{ref}` (in the hypothesis or an
 * activity) must name a top-level control, and the top level declares
 * controls rather than referring to them.
 */
export function experimentControls(top: readonly ControlEntry[] | undefined, hypothesis: readonly ControlEntry[] | undefined, activities: ReadonlyArray<Located<Activity | { ref: string }>>): ExperimentControls {
  const issues: FieldIssue[] = [];
  const specs = (top ?? []).filter((c, i) => {
    if (isControlRef(c)) issues.push({ path: ['controls', i, 'ref'], message: 'a top-level control is declared here (name and provider); {ref: NAME} refers to one from a hypothesis or an activity' });
    return !isControlRef(c);
  }) as ControlSpec[];
  const lists: Array<Located<ControlEntry>> = [{ path: ['controls'], entries: top ?? [] }];
  if (hypothesis) lists.push({ path: ['steady-state-hypothesis', 'controls'], entries: hypothesis });
  for (const { path, entries } of activities) entries.forEach((a, i) => !('ref' in a) && a.controls && lists.push({ path: [...path, i, 'controls'], entries: a.controls }));
  const names = new Set(specs.map((c) => c.name));
  for (const { path, entries } of lists.slice(1)) {
    entries.forEach((c, i) => {
      if (isControlRef(c) && !names.has(c.ref)) issues.push({ path: [...path, i, 'ref'], message: `no top-level control named "${c.ref}" is declared in this experiment` });
    });
  }
  return { top: specs, lists, issues };
}
