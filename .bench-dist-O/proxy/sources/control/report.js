/** At most this many instances per report: one small JSON every 2 s, whatever the mesh's size. */
export const MAX_REPORTED_INSTANCES = 1_000;
/**
 * What this proxy tells the control plane every 2 s: each rule's counts
 * here, and each instance's health as this proxy's outlier detection sees
 * it (its callers' view, which `faultmesh status` shows per service).
 */
export function buildReport(store, table) {
    const faults = {};
    for (const rule of store.list())
        faults[rule.id] = { matched: rule.counters.matched, hit: rule.counters.hit };
    const instances = [];
    for (const service of table.services.values()) {
        service.detector.epoch(); // ends ejections whose time is up
        for (const e of service.endpoints) {
            if (instances.length >= MAX_REPORTED_INSTANCES)
                return { faults, instances };
            const h = e.health;
            instances.push({ service: service.name, id: e.id, state: h.state, ...(h.state === 'ejected' ? { ejectedUntil: new Date(h.ejectedUntil).toISOString() } : {}) });
        }
    }
    return { faults, instances };
}
//# sourceMappingURL=report.js.map