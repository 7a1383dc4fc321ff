/** Every event a run emits, in the order of RunEvents. */
export const EVENT_NAMES = ['phase', 'activityStarted', 'activityEnded', 'hypothesisChecked', 'faultInjected', 'faultEnded', 'faultCounted', 'stopped', 'rollbacksSkipped', 'runEnded'];
/**
 * `fn`, made harmless to its caller: whatever it throws (or rejects with) goes
 * to `onError` and never further, so a broken subscriber cannot stand between
 * a run and its revert.
 *
 * @example const log = isolate('log', o.log, (name, err) => errors.push(`${name}: ${err}`));
 */
export function isolate(name, fn, onError) {
    const report = (err) => {
        try {
            onError(name, err);
        }
        catch {
            // The error sink failed too: nothing is left to tell.
        }
    };
    return (...args) => {
        if (!fn)
            return;
        try {
            const result = fn(...args);
            if (result instanceof Promise)
                result.catch(report);
        }
        catch (err) {
            report(err);
        }
    };
}
/** Every handler of `events`, each isolated (see `isolate`); a missing one does nothing. */
export function isolateEvents(events, onError) {
    const out = {};
    for (const name of EVENT_NAMES)
        out[name] = isolate(name, events[name]?.bind(events), onError);
    return out;
}
/** An error's message, for records: subscribers may throw anything. */
export const messageOf = (err) => (err instanceof Error ? err.message : String(err));
/**
 * An `onError` for subscribers that have no record to write to (a log
 * line sink): a process warning, once per distinct failure.
 */
export function warnOnce() {
    const seen = new Set();
    return (name, err) => {
        const message = `a subscriber failed on ${name}: ${messageOf(err)}`;
        if (seen.has(message))
            return;
        seen.add(message);
        process.emitWarning(message, 'SubscriberWarning');
    };
}
//# sourceMappingURL=events.js.map