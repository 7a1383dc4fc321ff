import { formatDuration } from '../../proxy/config/duration.js';
/** Left-aligned columns, two spaces apart; the header row first. */
export function table(rows) {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
    return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')).join('\n');
}
const ago = (iso, now) => (iso ? `${formatDuration(Math.max(0, Math.round((now - Date.parse(iso)) / 1000)) * 1000 || 0)} ago` : '-');
const place = (region, zone) => [region, zone].filter(Boolean).join('/') || '-';
/**
 * What `faultmesh status` prints: the one-line summary, every discrepancy,
 * then a table of proxies, one of services and their instances, and the
 * faults and route overrides in force with their remaining lease.
 */
export function formatStatus(s, now = Date.now()) {
    const out = [s.summary];
    for (const d of s.discrepancies)
        out.push(`  ! ${d}`);
    if (s.halted)
        out.push('  fault injection is HALTED (faultmesh faults resume --control URL)');
    out.push('');
    if (s.proxies.length) {
        const rows = [['PROXY', 'SERVICE', 'PLACE', 'CONNECTED', 'VERSION', 'BEHIND', 'HALTED', 'FAULTS (matched/hit)', 'LAST REJECTION']];
        for (const p of s.proxies) {
            const faults = Object.entries(p.faults).map(([id, c]) => `${id} ${c.matched}/${c.hit}`).join(', ') || '-';
            rows.push([
                p.id,
                p.service || '-',
                place(p.region, p.zone),
                // A proxy of another replica (a shared store) says which: it is as of that replica's last publish.
                (p.connected ? `since ${ago(p.connectedSince, now)}` : `NO (left ${ago(p.disconnectedAt, now)})`) + (p.replica ? ` via ${p.replica}` : ''),
                `${p.applied}/${s.version}`,
                p.behindBy ? `${p.behindBy} for ${formatDuration(Math.round((p.behindSinceMs ?? 0) / 1000) * 1000 || 0)}` : '-',
                p.halted ? 'yes' : 'no',
                faults,
                p.lastRejection ? `v${p.lastRejection.version}: ${p.lastRejection.reason}` : '-',
            ]);
        }
        out.push(table(rows), '');
    }
    else
        out.push('no proxies', '');
    if (s.services.length) {
        const rows = [['SERVICE', 'INSTANCE', 'ADDRESS', 'PLACE', 'SOURCE', 'LEASE', 'HEALTH (per proxy)']];
        for (const svc of s.services) {
            for (const i of svc.instances) {
                const health = Object.entries(i.health).map(([proxy, state]) => `${proxy}=${state}`).join(', ') || '-';
                rows.push([svc.name, i.id, i.address, place(i.region, i.zone), i.source, i.leaseRemainingMs === undefined ? '-' : `${Math.ceil(i.leaseRemainingMs / 1000)}s left`, health]);
            }
            if (svc.instances.length === 0)
                rows.push([svc.name, '-', '-', '-', '-', '-', 'no instances']);
        }
        out.push(table(rows), '');
    }
    if (s.faults.length) {
        const rows = [['FAULT', 'TARGET', 'LEFT', 'APPLIED BY', 'MISSING ON']];
        for (const f of s.faults)
            rows.push([f.id, f.target, `${Math.ceil(f.remainingMs / 1000)}s`, f.appliedBy.join(', ') || '-', f.missingOn.join(', ') || '-']);
        out.push(table(rows), '');
    }
    // Read optionally: an older control plane sends no `overrides`.
    if (s.overrides?.length) {
        const rows = [['OVERRIDE', 'SPLIT', 'LEFT', 'BY']];
        for (const o of s.overrides)
            rows.push([`${o.service} route ${o.route}`, o.to.map((t) => `${JSON.stringify(t.labels)}=${t.weight}`).join(', '), `${Math.ceil(o.remainingMs / 1000)}s`, o.by ?? '-']);
        out.push(table(rows), '');
    }
    return `${out.join('\n')}\n`;
}
//# sourceMappingURL=format-status.js.map