import { callAdmin, isOk } from '../proxy/admin/admin-client.js';
const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v) => (typeof v === 'string' && v ? v : undefined);
/** The fields of a place that are set: a journal holds no `"zone": null`. */
function place(v) {
    const out = {};
    for (const k of ['service', 'region', 'zone']) {
        const value = text(v[k]);
        if (value)
            out[k] = value;
    }
    return out;
}
/** `services: [{ name, instances: [{ id, region, zone }] }]`, as a proxy's /v1/services and a control plane's /v1/status both give them. */
function placesIn(services, into) {
    for (const s of Array.isArray(services) ? services : []) {
        if (!isRecord(s) || !text(s.name))
            continue;
        const byId = (into[s.name] ??= {});
        for (const i of Array.isArray(s.instances) ? s.instances : []) {
            if (isRecord(i) && text(i.id))
                byId[i.id] = { ...byId[i.id], ...place(i) };
        }
    }
}
/**
 * Asks each admin URL who it is, so a report names proxies instead of
 * ports: a proxy's /healthz gives its service, region and zone; a control
 * plane's /v1/status gives its proxies and every instance's place. An
 * admin that does not answer keeps only its URL. Reads only (GET), so no
 * token is needed; one is sent when given.
 */
export async function nameAdmins(admins, token) {
    const places = {};
    const names = await Promise.all(admins.map(async (url) => {
        const health = await callAdmin(url, 'GET', '/healthz', token);
        if (health.status === 0)
            return { url, role: 'proxy' };
        if (health.body.role === 'control') {
            const status = await callAdmin(url, 'GET', '/v1/status', token);
            if (!isOk(status))
                return { url, role: 'control' };
            placesIn(status.body.services, places);
            const proxies = (Array.isArray(status.body.proxies) ? status.body.proxies : []).filter(isRecord).filter((p) => text(p.id)).map((p) => ({ id: p.id, ...place(p) })).sort((a, b) => a.id.localeCompare(b.id));
            return { url, role: 'control', proxies };
        }
        const services = await callAdmin(url, 'GET', '/v1/services', token);
        if (isOk(services))
            placesIn(services.body.services, places);
        return { url, role: 'proxy', ...place(health.body) };
    }));
    return { names, places };
}
/** Two namings merged, the later one's facts over the earlier's: the end of a run knows instances that registered during it. */
export function mergeNames(a, b) {
    const places = {};
    for (const p of [a.places, b.places])
        for (const [d, byId] of Object.entries(p))
            places[d] = { ...places[d], ...byId };
    const names = a.names.map((n) => {
        const later = b.names.find((m) => m.url === n.url);
        if (!later)
            return n;
        const proxies = [...(n.proxies ?? []), ...(later.proxies ?? []).filter((p) => !n.proxies?.some((q) => q.id === p.id))];
        return { ...n, ...later, ...(proxies.length ? { proxies } : {}) };
    });
    return { names, places };
}
//# sourceMappingURL=mesh-names.js.map