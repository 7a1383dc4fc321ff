import { createHash } from 'node:crypto';
/** The latest desired write among `items`: what a version stands for, whichever later bookkeeping the list also saw. */
export const newestChange = (items, isDesired) => {
    let newest = 0;
    for (const kv of items)
        if (isDesired(kv.key) && kv.modRevision > newest)
            newest = kv.modRevision;
    return newest;
};
/**
 * When each lease ends: its remainder as the store says, never past a
 * deadline the control plane recorded for it (replica/lease-deadlines.ts:
 * etcd gives a lease its whole ttl again after a restart or a new leader,
 * which would revive a fault its holder stopped renewing). One read per
 * lease: a run's faults share its lease, and on etcd each read is a round
 * trip.
 */
export async function readEnds(store, items, now, deadlines) {
    const reads = new Map();
    await Promise.all(items.map(async (l) => {
        if (l.lease === undefined)
            return;
        let read = reads.get(l.lease);
        if (!read)
            reads.set(l.lease, (read = store.leaseTtl(l.lease)));
        const ttl = await read;
        l.endsAt = ttl === undefined ? 0 : Math.min(now() + ttl, deadlines?.get(l.lease) ?? Infinity);
    }));
}
/** Builds the desired state from the store's keys, labelled `version`. */
export async function buildDesired(items, version, keys, store, now, deadlines) {
    const k = keys;
    let mesh = null;
    let halt;
    const registrations = [];
    const faults = [];
    const overrides = [];
    for (const kv of items) {
        if (kv.key === k.mesh)
            mesh = { ...kv.value, version: kv.modRevision };
        else if (kv.key === k.halt)
            halt = kv.value;
        else if (kv.key.startsWith(k.registrations))
            registrations.push({ value: kv.value, lease: kv.lease });
        else if (kv.key.startsWith(k.faults))
            faults.push({ id: kv.key.slice(k.faults.length), value: kv.value, modRevision: kv.modRevision, lease: kv.lease, endsAt: Infinity });
        else if (kv.key.startsWith(k.overrides))
            overrides.push({ value: kv.value, lease: kv.lease, endsAt: Infinity });
    }
    await readEnds(store, [...faults, ...overrides], now, deadlines);
    // A lease that ended between the list and its read: its delete is on its way, and it is not pushed meanwhile.
    const live = (l) => l.endsAt > 0 && l.endsAt > now();
    const state = { mesh, registrations, faults: faults.filter(live), halt, overrides: overrides.filter(live) };
    return { version, builtAt: now(), ...state, digest: digestOf(state) };
}
function digestOf(d) {
    const content = {
        mesh: d.mesh && [d.mesh.text, d.mesh.file],
        registrations: d.registrations.map((r) => r.value),
        faults: d.faults.map((f) => [f.id, f.value.spec]),
        halted: d.halt !== undefined,
        overrides: d.overrides.map((o) => [o.value.service, o.value.route, o.value.to]),
    };
    return createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 22);
}
//# sourceMappingURL=desired-build.js.map