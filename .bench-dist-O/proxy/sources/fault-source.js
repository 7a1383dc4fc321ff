import { MemoryFaultStore } from '../faults/fault-store.js';
import { Listeners } from './listeners.js';
/** Today's proxy alone: rules come and go through its own admin API. */
export function localFaultSource(now, random) {
    const listeners = new Listeners();
    const store = new MemoryFaultStore(now, random, () => void listeners.emit());
    return {
        store,
        owner: { kind: 'admin' },
        onChange: (listener) => listeners.add(listener),
        sweep: () => void store.sweep(),
        close: () => { },
    };
}
//# sourceMappingURL=fault-source.js.map