/**
 * Outlier detection across cluster workers. The rule (README, "Workers"):
 * each worker runs its own detector; an ejection on any worker applies on
 * every worker within one IPC round-trip (worker → primary → the others),
 * until the same clock time and with the same ejection count, so the next
 * one doubles alike. Returns (probation) then happen on each worker at that
 * time, judged by that worker's next result; ejecting again from probation
 * is a new ejection, shared the same way. A worker's maxEjectionPercent cap
 * wins over agreeing: an ejection the cap refuses there is not applied.
 */
/** What a worker tells the others of an ejection it just made. */
export function ejectionOf(endpoint) {
    const h = endpoint.health;
    return { service: endpoint.service, instance: endpoint.id, address: endpoint.address, until: h.ejectedUntil, ejections: h.ejections };
}
/** Ejects the same instance in `table` until the same time; false when the table lacks it or nothing changed. */
export function adoptEjection(table, e) {
    const service = table.services.get(e.service);
    const endpoint = service?.endpoints.find((x) => x.id === e.instance && x.address === e.address);
    return service !== undefined && endpoint !== undefined && service.detector.adopt(endpoint, e.until, e.ejections);
}
/** The ejections in force in `table`: what a new or replacement worker gets before it serves. */
export function liveEjections(table) {
    const out = [];
    for (const service of table.services.values()) {
        service.detector.epoch(); // ends ejections whose time is up
        for (const e of service.endpoints)
            if (e.health.state === 'ejected')
                out.push(ejectionOf(e));
    }
    return out;
}
//# sourceMappingURL=ejections.js.map