/** A proxy this long behind the desired version is reported; shorter is a push still on its way. */
export const BEHIND_GRACE_MS = 3000;
/**
 * What differs between desired and observed state, one sentence each: a
 * proxy behind for longer than the grace, a rejected version, a proxy that
 * left, a fault that some connected proxies did not apply.
 */
export function findDiscrepancies(version, proxies, faults, faultAgeMs) {
    const out = [];
    for (const p of proxies) {
        if (!p.connected) {
            out.push(`${p.id} disconnected${p.disconnectedAt ? ` since ${p.disconnectedAt}` : ''} (last applied version ${p.applied})`);
            continue;
        }
        // Proxies take a new stream's first snapshot whatever its number, and the control plane counts only what they ack: a proxy ahead acked a version this control plane never built.
        if (p.applied > version)
            out.push(`${p.id} reports version ${p.applied}, ahead of the control plane's ${version}: it acknowledged a version this control plane never built`);
        else if (p.lastRejection && p.lastRejection.version > p.applied)
            out.push(`${p.id} rejected version ${p.lastRejection.version}: ${p.lastRejection.reason}`);
        else if (p.behindBy > 0 && (p.behindSinceMs ?? 0) > BEHIND_GRACE_MS)
            out.push(`${p.id} on version ${p.applied}, ${Math.round((p.behindSinceMs ?? 0) / 1000)}s behind version ${version}`);
    }
    for (const f of faults) {
        if (f.missingOn.length && faultAgeMs(f.id) > BEHIND_GRACE_MS)
            out.push(`fault ${f.id} not applied on ${f.missingOn.join(', ')}`);
    }
    return out;
}
/**
 * The one line on top of `faultmesh status`. The mesh version is named
 * beside the control plane's, since it is the one `--expect-version` takes
 * and the two part as soon as anything but the mesh is written.
 */
export function summarize(version, proxies, discrepancies, meshVersion) {
    const connected = proxies.filter((p) => p.connected).length;
    const mesh = meshVersion === undefined ? '' : `mesh version ${meshVersion}`;
    if (discrepancies.length)
        return `${discrepancies.length} discrepanc${discrepancies.length === 1 ? 'y' : 'ies'} (version ${version}): ${discrepancies.join('; ')}`;
    if (connected === 0)
        return `no proxies connected (version ${version}${mesh && `, ${mesh}`})`;
    return `all ${connected} prox${connected === 1 ? 'y' : 'ies'} on version ${version}${mesh && ` (${mesh})`}`;
}
//# sourceMappingURL=discrepancies.js.map