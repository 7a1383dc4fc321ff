/**
 * Who wants to hear of a change. Each listener is isolated: one that throws
 * is reported to the caller (a control source NACKs the version) and never
 * keeps the others from hearing.
 */
export class Listeners {
    all = new Set();
    add(listener) {
        this.all.add(listener);
        return () => this.all.delete(listener);
    }
    /** Tells every listener; returns what the ones that failed threw. */
    emit(value) {
        const errors = [];
        for (const listener of this.all) {
            try {
                listener(value);
            }
            catch (err) {
                errors.push(err);
            }
        }
        return errors;
    }
}
//# sourceMappingURL=listeners.js.map