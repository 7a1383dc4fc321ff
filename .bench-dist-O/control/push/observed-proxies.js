/** How long a proxy that left stays in the list (and in the discrepancies). */
export const KEEP_DISCONNECTED_MS = 5 * 60_000;
/**
 * Per-proxy observed state, kept in memory by the replica the proxy is
 * connected to. A reconnection under the same id takes the entry over; the
 * old stream closing afterwards does not mark it disconnected.
 */
export class ObservedProxies {
    now;
    keepDisconnectedMs;
    proxies = new Map();
    connections = 0;
    constructor(now, keepDisconnectedMs = KEEP_DISCONNECTED_MS) {
        this.now = now;
        this.keepDisconnectedMs = keepDisconnectedMs;
    }
    /** A stream opened; returns the connection number its close must give back. */
    connect(identity, applied) {
        const connection = ++this.connections;
        const before = this.proxies.get(identity.id);
        this.proxies.set(identity.id, {
            ...identity,
            connection,
            connected: true,
            connectedSince: this.now(),
            applied,
            lastRejection: before?.lastRejection,
            faults: before?.faults ?? {},
            instances: before?.instances ?? [],
            lastReportAt: before?.lastReportAt,
            lastChannelError: before?.lastChannelError,
        });
        return connection;
    }
    disconnect(id, connection) {
        const p = this.proxies.get(id);
        if (p && p.connection === connection)
            this.proxies.set(id, { ...p, connected: false, disconnectedAt: this.now() });
    }
    /** Records an acknowledgement; false for a proxy this replica has never seen. */
    ack(id, ack) {
        const p = this.proxies.get(id);
        if (!p)
            return false;
        // The version acknowledged last is the one it runs: a proxy acks in order, and the first version of a new stream may be lower (a control plane restarted without --data numbers from 1 again).
        if (ack.applied)
            this.proxies.set(id, { ...p, applied: ack.version });
        else
            this.proxies.set(id, { ...p, lastRejection: { version: ack.version, reason: ack.reason ?? 'no reason given', at: this.now() } });
        return true;
    }
    report(id, report) {
        const p = this.proxies.get(id);
        if (!p)
            return false;
        this.proxies.set(id, { ...p, faults: report.faults, instances: report.instances, lastReportAt: this.now() });
        return true;
    }
    /** Records why a channel was closed; false for a proxy this replica has never seen. */
    channelError(id, reason) {
        const p = this.proxies.get(id);
        if (!p)
            return false;
        this.proxies.set(id, { ...p, lastChannelError: { reason, at: this.now() } });
        return true;
    }
    get(id) {
        return this.proxies.get(id);
    }
    /** Every proxy connected, or gone for less than the keep period; older ones are forgotten here. */
    list() {
        const now = this.now();
        for (const [id, p] of this.proxies)
            if (!p.connected && now - (p.disconnectedAt ?? now) > this.keepDisconnectedMs)
                this.proxies.delete(id);
        return [...this.proxies.values()];
    }
    connectedCount() {
        let n = 0;
        for (const p of this.proxies.values())
            if (p.connected)
                n++;
        return n;
    }
}
//# sourceMappingURL=observed-proxies.js.map