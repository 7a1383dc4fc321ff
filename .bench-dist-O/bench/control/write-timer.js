import { setTimeout as sleep } from 'node:timers/promises';
import { nowUs } from './watcher.js';
/** Between status polls: a call costs the control plane about a millisecond of CPU, and back to back they would crowd out the acks being timed. */
const POLL_GAP_MS = 2;
/** No write should take this long to reach every proxy; past it the bench stops and says which proxy is missing. */
export const WRITE_TIMEOUT_MS = 30_000;
/**
 * Times writes from the moment they are sent to the acknowledgement of
 * every proxy, on every replica: a write through one replica counts once
 * the proxies of all of them have it. The bench is the only writer and only
 * a write of desired state makes a new version, so the version to wait for
 * is the first one after the version every proxy acked last. (On etcd the
 * replicas' own status keys move the store's revision too, without a new
 * version, so versions can leap: the memory store, `oneVersionPerWrite`,
 * is checked to move by exactly one.)
 *
 * Watchers say when the control plane answered each of their acks (it has
 * recorded the ack by then), on the host's monotonic clock. The real
 * proxies' acks are read where their replica records them, in its GET
 * /v1/status, polled every 2 ms, and only once every watcher has acked, so
 * the polling never competes with the watchers' acks: their figure is late
 * by at most one status call and the gap (the call is measured separately).
 */
export class WriteTimer {
    replicas;
    version;
    oneVersionPerWrite;
    constructor(replicas, version, oneVersionPerWrite = true) {
        this.replicas = replicas;
        this.version = version;
        this.oneVersionPerWrite = oneVersionPerWrite;
    }
    /** The version every proxy acknowledged last. */
    get expectedVersion() {
        return this.version;
    }
    async time(kind, write, watchers) {
        const startUs = nowUs();
        const before = this.version;
        await write();
        const replyUs = nowUs();
        const acked = await this.allAcked(before + 1, watchers);
        if (this.oneVersionPerWrite && this.version !== before + 1)
            throw new Error(`a ${kind} moved the version from ${before} to ${this.version}: a write was not one revision, so the waits were wrong`);
        const ms = (us) => (us - startUs) / 1000;
        return {
            kind,
            replyMs: ms(replyUs),
            receivedMs: acked.receivedUs.length ? ms(Math.max(...acked.receivedUs)) : Number.NaN,
            ackedMs: ms(acked.ackedUs),
            statusPolls: acked.statusPolls,
        };
    }
    /**
     * Waits until every watcher and every real proxy has acknowledged
     * `version` or a later one, then takes the version the replicas are at
     * as the one acked last.
     */
    async allAcked(version, watchers, timeoutMs = WRITE_TIMEOUT_MS) {
        const acks = watchers ? await watchers.waitAll(version, timeoutMs) : { received: [], acked: [] };
        const real = await Promise.all(this.replicas.map((r) => this.realAcked(r, version, timeoutMs)));
        this.version = Math.max(version, ...real.map((r) => r.version));
        return { receivedUs: acks.received, ackedUs: Math.max(...real.map((r) => r.atUs), ...acks.acked), statusPolls: Math.max(...real.map((r) => r.polls)) };
    }
    /** Polls one replica's status until each of its real proxies acknowledged `version`; a rejection stops the bench with its reason. */
    async realAcked(replica, version, timeoutMs) {
        const deadline = Date.now() + timeoutMs;
        for (let polls = 1;; polls++) {
            const status = await replica.api.call('GET', '/v1/status');
            const atUs = nowUs();
            // Its own proxies only: the entries other replicas published are as of their last publish, up to 2 s old.
            const real = status.proxies.filter((p) => p.replica === undefined && replica.realIds.includes(p.id));
            const rejected = real.find((p) => p.lastRejection?.version !== undefined && p.lastRejection.version >= version);
            if (rejected)
                throw new Error(`proxy ${rejected.id} refused version ${rejected.lastRejection.version}: ${rejected.lastRejection.reason}`);
            if (real.length === replica.realIds.length && real.every((p) => p.connected && p.applied >= version))
                return { atUs, polls, version: status.version };
            if (Date.now() > deadline) {
                const missing = replica.realIds.filter((id) => !real.some((p) => p.id === id && p.connected && p.applied >= version));
                throw new Error(`proxies ${missing.join(', ')} had not acknowledged version ${version} after ${timeoutMs} ms`);
            }
            await sleep(POLL_GAP_MS);
        }
    }
}
//# sourceMappingURL=write-timer.js.map