import { parsedMesh } from '../api/mesh-view.js';
import { findDiscrepancies, summarize } from './discrepancies.js';
const iso = (ms) => (ms === undefined ? undefined : new Date(ms).toISOString());
/**
 * GET /v1/status: the desired state (the latest version built from the
 * store) against what each proxy acknowledged and reported, with every
 * discrepancy in one summary line.
 */
export async function buildStatus(deps) {
    const d = deps.desired.current;
    const now = deps.now();
    const observed = await deps.everyProxy();
    const proxies = observed.map((p) => proxyStatus(p, d, deps.desired, now));
    const connected = observed.filter((p) => p.connected);
    // A fault whose lease ended is gone on every proxy, even when the store could not say so yet (out of reach).
    const faults = d.faults.filter((f) => f.endsAt > now).map((f) => ({
        id: f.id,
        target: f.value.spec.target,
        remainingMs: Math.max(0, f.endsAt - now),
        appliedBy: connected.filter((p) => p.applied >= f.modRevision).map((p) => p.id),
        missingOn: connected.filter((p) => p.applied < f.modRevision).map((p) => p.id),
    }));
    const faultAge = (id) => {
        const f = d.faults.find((x) => x.id === id);
        const built = f ? deps.desired.versionInfo(f.modRevision)?.builtAt : undefined;
        return built === undefined ? Infinity : now - built;
    };
    const discrepancies = findDiscrepancies(d.version, proxies, faults, faultAge);
    const meshVersion = d.mesh?.version;
    return {
        version: d.version,
        ...(meshVersion === undefined ? {} : { meshVersion }),
        halted: d.halt !== undefined,
        summary: summarize(d.version, proxies, discrepancies, meshVersion),
        discrepancies,
        proxies,
        services: await services(d, observed, deps.store),
        faults,
        overrides: d.overrides.map(({ value: v, endsAt }) => ({ service: v.service, route: v.route, to: v.to, ...(v.by === undefined ? {} : { by: v.by }), remainingMs: Math.max(0, endsAt - now) })),
    };
}
function proxyStatus(p, d, desired, now) {
    const behindBy = Math.max(0, d.version - p.applied);
    // Behind since the first version it lacks was built, or since it connected if that came later.
    const firstMissing = behindBy > 0 ? desired.firstBuiltAfter(p.applied) : undefined;
    const since = firstMissing === undefined ? undefined : Math.max(firstMissing, p.connectedSince);
    return {
        id: p.id,
        service: p.service,
        region: p.region,
        zone: p.zone,
        admin: p.admin,
        ...(p.replica === undefined ? {} : { replica: p.replica }),
        connected: p.connected,
        ...(p.connected ? { connectedSince: iso(p.connectedSince) } : { disconnectedAt: iso(p.disconnectedAt) }),
        applied: p.applied,
        behindBy,
        ...(since === undefined ? {} : { behindSinceMs: now - since }),
        ...(p.lastRejection ? { lastRejection: { ...p.lastRejection, at: iso(p.lastRejection.at) } } : {}),
        faults: p.faults,
        halted: desired.versionInfo(p.applied)?.halted ?? false,
        ...(p.lastReportAt === undefined ? {} : { lastReportAt: iso(p.lastReportAt) }),
        ...(p.lastChannelError ? { lastChannelError: { ...p.lastChannelError, at: iso(p.lastChannelError.at) } } : {}),
    };
}
async function services(d, observed, store) {
    const byName = new Map();
    const health = (service, id) => {
        const out = {};
        for (const p of observed)
            for (const i of p.instances)
                if (i.service === service && i.id === id)
                    out[p.id] = i.state;
        return out;
    };
    const mesh = parsedMesh(d.mesh);
    for (const [name, s] of Object.entries(mesh?.services ?? {})) {
        byName.set(name, s.instances.map((i) => ({ id: i.id, address: i.address.text, region: i.region, zone: i.zone, source: 'mesh', health: health(name, i.id) })));
    }
    for (const r of d.registrations) {
        const left = r.lease === undefined ? undefined : await store.leaseTtl(r.lease);
        const list = byName.get(r.value.service) ?? [];
        // Same id as a static instance: the registration wins, as it does on the proxies.
        const rest = list.filter((i) => i.id !== r.value.id);
        rest.push({ id: r.value.id, address: r.value.address, region: r.value.region, zone: r.value.zone, source: 'registration', ...(left === undefined ? {} : { leaseRemainingMs: left }), health: health(r.value.service, r.value.id) });
        byName.set(r.value.service, rest);
    }
    return [...byName].map(([name, instances]) => ({ name, instances }));
}
//# sourceMappingURL=status.js.map