import { populateKeeps, servesListen } from '../../toxiproxy/input/address.js';
import { patchedSpec, specOf } from '../../toxiproxy/input/toxic-input.js';
import { proxyExists, proxyNotFound, toxicExists, toxicNotFound } from '../../toxiproxy/toxiproxy-error.js';
import { byName } from './toxiproxy-set.js';
/** A toxic validated (400 on bad attributes), on the next granted lease when it has a ttl. */
function stored(draft, take, at = []) {
    const spec = specOf(draft, at);
    return draft.ttlMs === undefined ? { spec } : { spec, ...take() };
}
const find = (set, name) => set.proxies.find((p) => p.name === name) ?? throwError(proxyNotFound());
const findToxic = (p, name) => p.toxics.find((t) => t.spec.name === name) ?? throwError(toxicNotFound());
/** The set with `proxy` in place of the one of its name (or added), sorted. */
const put = (set, proxy) => ({ ...set, proxies: [...set.proxies.filter((p) => p.name !== proxy.name), proxy].sort(byName) });
export function createProxy(set, draft, take) {
    if (set.proxies.some((p) => p.name === draft.name))
        throw proxyExists(['name']);
    const proxy = { name: draft.name, listen: draft.listen, upstream: draft.upstream, enabled: draft.enabled ?? true, toxics: (draft.toxics ?? []).map((t, i) => stored(t, take, ['toxics', i])) };
    return { set: put(set, proxy), answer: proxy };
}
/** Each entry kept when its listen and upstream match (its toxics replaced when it lists some, `enabled` applied when given), else replaced. */
export function populate(set, drafts, take) {
    // Every toxic is checked before any proxy is touched: a bad one changes nothing.
    const toxicsOf = drafts.map((d, i) => d.toxics?.map((t, j) => stored(t, take, [i, 'toxics', j])));
    let next = set;
    const done = drafts.map((draft, i) => {
        const existing = next.proxies.find((p) => p.name === draft.name);
        const toxics = toxicsOf[i];
        const proxy = existing && populateKeeps(existing, draft)
            ? { ...existing, enabled: draft.enabled ?? existing.enabled, toxics: toxics ?? existing.toxics }
            : { name: draft.name, listen: draft.listen, upstream: draft.upstream, enabled: draft.enabled ?? true, toxics: toxics ?? [] };
        next = put(next, proxy);
        return proxy;
    });
    return { set: next, answer: done };
}
export function updateProxy(set, name, patch) {
    const p = find(set, name);
    const proxy = {
        ...p,
        // Port 0 is satisfied by the address the proxy has, as in the local registry.
        listen: patch.listen !== undefined && !servesListen(p.listen, patch.listen) ? patch.listen : p.listen,
        upstream: patch.upstream ?? p.upstream,
        enabled: patch.enabled ?? p.enabled,
    };
    return { set: put(set, proxy), answer: proxy };
}
export function removeProxy(set, name) {
    find(set, name);
    return { set: { ...set, proxies: set.proxies.filter((p) => p.name !== name) }, answer: undefined };
}
export function addToxic(set, proxy, draft, take) {
    const p = find(set, proxy);
    if (p.toxics.some((t) => t.spec.name === draft.name))
        throw toxicExists(['name']);
    const toxic = stored(draft, take);
    return { set: put(set, { ...p, toxics: [...p.toxics, toxic] }), answer: toxic };
}
/** Merges attributes, sets toxicity; a ttl moves the toxic to its new lease, else it keeps its end. It keeps its place in the chain. */
export function updateToxic(set, proxy, name, patch, take) {
    const p = find(set, proxy);
    const current = findToxic(p, name);
    const spec = patchedSpec(current.spec, patch);
    const toxic = patch.ttlMs === undefined ? { ...current, spec } : { spec, ...take() };
    return { set: put(set, { ...p, toxics: p.toxics.map((t) => (t === current ? toxic : t)) }), answer: toxic };
}
export function removeToxic(set, proxy, name) {
    const p = find(set, proxy);
    const toxic = findToxic(p, name);
    return { set: put(set, { ...p, toxics: p.toxics.filter((t) => t !== toxic) }), answer: undefined };
}
/** Every proxy enabled, every toxic gone. */
export function reset(set) {
    return { set: { ...set, proxies: set.proxies.map((p) => ({ ...p, enabled: true, toxics: [] })) }, answer: undefined };
}
const throwError = (err) => {
    throw err;
};
//# sourceMappingURL=set-changes.js.map