import { inListOrder, viewOfToxic } from '../../toxiproxy/model.js';
export const EMPTY_SET = { proxies: [], leasesEnded: 0 };
/** The stored value, as written by this module (anything else reads as empty). */
export function setOf(value) {
    const v = value;
    return v && Array.isArray(v.proxies) ? { proxies: v.proxies, leasesEnded: typeof v.leasesEnded === 'number' ? v.leasesEnded : 0 } : EMPTY_SET;
}
/** Whether a toxic is still in force at `now`: its lease has not run out. */
export const inForce = (t, now) => t.expiresAt === undefined || t.expiresAt > now;
/** A proxy as the Toxiproxy API shows it, with `listen` as stored: the control plane listens nowhere. */
export function viewOfStored(p, now) {
    return { name: p.name, listen: p.listen, upstream: p.upstream, enabled: p.enabled, toxics: inListOrder(p.toxics.filter((t) => inForce(t, now))).map(viewOfToxic) };
}
export function snapshotOf(set, revision, now) {
    return {
        revision,
        leasesEnded: set.leasesEnded,
        proxies: set.proxies.map((p) => ({
            ...viewOfStored(p, now),
            toxics: inListOrder(p.toxics.filter((t) => inForce(t, now))).map((t) => ({ ...viewOfToxic(t), ...(t.expiresAt !== undefined ? { remainingMs: t.expiresAt - now } : {}) })),
        })),
    };
}
/** Every lease the set's toxics hang on. */
export const leasesOf = (set) => new Set(set.proxies.flatMap((p) => p.toxics.flatMap((t) => (t.lease === undefined ? [] : [t.lease]))));
export const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
//# sourceMappingURL=toxiproxy-set.js.map