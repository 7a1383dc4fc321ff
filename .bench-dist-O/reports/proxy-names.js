/** `eu-west · eu-west-1a`: the parts of a place that are known, without the service when the name already says it. */
export function placeText(p, name = '') {
    return [p.service && !name.includes(p.service) ? p.service : '', p.region ?? '', p.zone && p.zone !== p.region ? p.zone : ''].filter(Boolean).join(' · ');
}
const withPlace = (name, p) => {
    const where = placeText(p, name);
    return where ? `${name} (${where})` : name;
};
const nameFor = (j, url) => j.timeseries.names?.find((n) => n.url === url);
/**
 * What an admin URL is called in a report: `control plane`, `checkout proxy
 * (eu-west · eu-west-1a)`, or the URL itself when the journal does not say
 * (an older journal, a proxy that did not answer).
 */
export function adminName(j, url) {
    const n = nameFor(j, url);
    if (!n)
        return { text: url, title: url };
    if (n.role === 'control')
        return { text: 'control plane', title: url };
    if (!n.service)
        return { text: url, title: url };
    return { text: withPlace(`${n.service} proxy`, n), title: url };
}
/** A proxy behind a control plane, by the id it connected with: `checkout-sidecar (checkout · eu-west)`. */
export function proxyIdName(j, id) {
    for (const n of j.timeseries.names ?? []) {
        const p = n.proxies?.find((q) => q.id === id);
        if (p)
            return withPlace(id, p);
    }
    return id;
}
/** Whoever `by` is: a proxy's id behind a control plane, or an admin URL. */
export function byName(j, by) {
    return /^https?:\/\//.test(by) ? adminName(j, by).text : proxyIdName(j, by);
}
/** "Sampled from": each admin named, a control plane with the proxies behind it. */
export function sampledFrom(j) {
    return j.timeseries.admins.map((url) => {
        const named = adminName(j, url);
        const proxies = nameFor(j, url)?.proxies ?? [];
        if (!proxies.length)
            return named;
        return { text: `${named.text} (${proxies.length} prox${proxies.length === 1 ? 'y' : 'ies'}: ${proxies.map((p) => proxyIdName(j, p.id)).join(', ')})`, title: named.title };
    });
}
/** The instance's place as the journal recorded it: `eu-west-1a`, `us-east`, or ''. */
export function instancePlace(j, destination, instance) {
    return j.timeseries.places?.[destination]?.[instance] ?? {};
}
//# sourceMappingURL=proxy-names.js.map