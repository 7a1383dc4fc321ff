/**
 * Applies one state from the primary: the mesh first (a new mesh drops the
 * overrides its routes no longer take), then the overrides, then the fault
 * rules and halt. Throws when the mesh or an override cannot be built; the
 * worker then exits rather than serve another state than its siblings.
 */
export function applyState(to, state) {
    if (state.mesh)
        to.meshSource.push(state.mesh);
    syncOverrides(to.mesh, state.overrides, to.now());
    to.faults.apply(state.rules, state.halted);
}
const keyOf = (o) => `${o.service}/${o.route}`;
/** Put again at most this far from the primary's end: `now` moves between reading it here and the put. */
const SAME_END_MS = 2;
/**
 * Makes the worker's overrides the primary's: each ends at the primary's
 * `endsAt` on the shared clock, so both drop it at the same moment without
 * a message. One already in force as wanted is left alone, so a fault
 * change does not rebuild the table.
 */
export function syncOverrides(mesh, wanted, now) {
    const want = new Map(wanted.filter((o) => o.endsAt > now).map((o) => [keyOf(o), o]));
    for (const have of mesh.liveOverrides()) {
        const w = want.get(keyOf(have));
        if (!w)
            mesh.removeOverride(have.service, have.route);
        else if (Math.abs(w.endsAt - have.endsAt) <= SAME_END_MS && JSON.stringify([w.to, w.by]) === JSON.stringify([have.to, have.by]))
            want.delete(keyOf(have));
    }
    for (const o of want.values())
        mesh.putOverride({ service: o.service, route: o.route, to: o.to, by: o.by }, o.endsAt - now);
}
//# sourceMappingURL=apply-state.js.map