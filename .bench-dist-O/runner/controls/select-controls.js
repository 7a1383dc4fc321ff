import { isControlRef } from './control-schema.js';
/**
 * The controls applied at `level`, in order, as chaoslib's
 * get_context_controls picks them: every top-level control around the
 * experiment; the automatic ones around the method and the rollbacks; around
 * a hypothesis or an activity, the automatic top-level ones first (less any
 * the context redeclares by name), then the context's own, a `{ref}` standing
 * for the top-level control of that name.
 *
 * @example controlsAt('activity', [tracing], activity.controls)
 */
export function controlsAt(level, top, own = []) {
    if (level === 'experiment')
        return [...top];
    const automatic = top.filter((c) => c.automatic);
    if (level === 'method' || level === 'rollback' || own.length === 0)
        return automatic;
    const mine = own.flatMap((c) => (isControlRef(c) ? top.filter((t) => t.name === c.ref) : [c]));
    const names = new Set(mine.map((c) => c.name));
    return [...automatic.filter((c) => !names.has(c.name)), ...mine];
}
/** Each control once by name, over the whole experiment: configure_control and cleanup_control are called once per name, as in chaoslib. */
export function uniqueControls(lists) {
    const seen = new Map();
    for (const list of lists)
        for (const c of list ?? [])
            if (!isControlRef(c) && !seen.has(c.name))
                seen.set(c.name, c);
    return [...seen.values()];
}
/** The hook function a control module implements for `level` and `scope`: `before_activity_control`, ... */
export const hookName = (level, scope) => `${scope}_${level}_control`;
//# sourceMappingURL=select-controls.js.map