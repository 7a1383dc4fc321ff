import { callAdmin, describeFailure, isOk } from '../proxy/admin/admin-client.js';
import { formatDuration } from '../proxy/config/duration.js';
import { countsOf, healthOf, leaseRanOut, lossCause, onLease, wireRule } from './proxy-answers.js';
/**
 * Every fault this run injected, held under short leases that are renewed
 * while the run needs them. Whatever ends the run, `releaseAll` removes what
 * is still held; if the process dies instead, the leases run out by themselves.
 * A proxy found without a fault it should hold (restarted, halted, lease
 * missed) is reported once, through `faultLost`.
 */
export class FaultLedger {
    options;
    records = [];
    held = new Set();
    holdings = new Map();
    renewer;
    /**
     * Per control plane, the run's one lease there: every fault of the run on
     * it hangs on that lease, renewed once a round, and revoked at the end.
     * Undefined for a proxy (each fault has its own ttl there). A promise, so
     * injections at the same time share one lease.
     */
    runLeases = new Map();
    sequence = 0;
    /** A renewal round still waiting on a slow proxy: the next tick skips rather than piling up requests. */
    renewing = false;
    constructor(options) {
        this.options = options;
        this.renewer = setInterval(() => {
            if (this.renewing)
                return;
            this.renewing = true;
            void this.renewAll().finally(() => (this.renewing = false));
        }, Math.max(100, options.leaseMs / 3));
        this.renewer.unref();
    }
    /**
     * Adds `rule` on every proxy in `admins`, or on none: if any proxy refuses,
     * the ones that took it are asked to remove it again, and this throws.
     */
    async inject(activity, admins, rule, tokenOverride) {
        const token = tokenOverride ?? this.options.token;
        const base = (rule.id ?? activity.replace(/[^A-Za-z0-9-_.]+/g, '-').replace(/^[-_.]+|[-_.]+$/g, '')).slice(0, 60) || 'fault';
        const id = `${base}-${this.options.runId}-${++this.sequence}`;
        const body = wireRule(rule, id, this.options.leaseMs);
        const traceparent = this.traceparentOf(activity);
        if (traceparent !== undefined)
            body.traceparent = traceparent;
        const leases = await Promise.all(admins.map((admin) => this.runLeaseOn(admin, token)));
        const replies = await Promise.all(admins.map((admin, i) => callAdmin(admin, 'POST', '/v1/faults', token, leases[i] ? onLease(body, leases[i]) : body)));
        const answeredAt = this.options.now();
        const refused = replies.filter((r) => !isOk(r));
        if (refused.length) {
            await Promise.all(replies.filter(isOk).map((r) => callAdmin(r.admin, 'DELETE', `/v1/faults/${id}`, token)));
            throw new Error(`fault not injected (rolled back where it was added): ${refused.map(describeFailure).join('; ')}`);
        }
        // Asked after the fault is on: a restart from here on shows as a new start time.
        const health = await Promise.all(admins.map((admin) => healthOf(admin, token)));
        const controls = admins.filter((_, i) => health[i].role === 'control');
        const record = { id, activity, rule: body, admins: [...admins], ...(controls.length ? { controls } : {}), injectedAt: new Date(this.options.now()).toISOString(), state: 'held', errors: [] };
        this.holdings.set(record, { token, startedAt: new Map(admins.map((a, i) => [a, health[i].startedAt])), lostOn: new Set(), failing: new Set(), renewedAt: new Map(admins.map((a) => [a, answeredAt])), counts: new Map() });
        this.records.push(record);
        this.held.add(record);
        this.options.events.faultInjected?.(record);
        return record;
    }
    /**
     * Removes one fault from every proxy it is on, after reading what it did
     * there. A proxy that no longer has it makes it `lost`, and so does one
     * that could not be reached since its lease surely ran out; one that
     * cannot be reached before that leaves it `unconfirmed`, with the error.
     * Safe to call twice.
     */
    async release(record) {
        if (!this.held.delete(record))
            return;
        const holding = this.holdings.get(record);
        const path = `/v1/faults/${encodeURIComponent(record.id)}`;
        const counts = { matched: 0, hit: 0 };
        let countedUntil = Infinity;
        let unconfirmed = false;
        // Every proxy, even one where it was lost: something (a control plane, a person) may have put it back since.
        await Promise.all(record.admins.map(async (admin) => {
            const seen = await callAdmin(admin, 'GET', path, holding.token);
            const now = isOk(seen) ? seen.body.counts : undefined;
            // A control plane names the proxies that applied it: read with the counts, so the journal can say where it ran.
            if (isOk(seen) && record.controls?.includes(admin) && Array.isArray(seen.body.proxies))
                (record.appliedBy ??= []).push(...seen.body.proxies.map(String));
            // Where it was lost, a copy there now is a new one: what the old one did is known only as last read.
            if (!now || holding.lostOn.has(admin)) {
                const last = holding.counts.get(admin);
                counts.matched += last?.matched ?? 0;
                counts.hit += last?.hit ?? 0;
                countedUntil = Math.min(countedUntil, last?.at ?? Date.parse(record.injectedAt));
            }
            counts.matched += now?.matched ?? 0;
            counts.hit += now?.hit ?? 0;
            const gone = await callAdmin(admin, 'DELETE', path, holding.token);
            if (isOk(gone) || holding.lostOn.has(admin))
                return;
            if (gone.status === 404) {
                // Already gone: learned now rather than at a renewal, and judged the same way.
                const health = await healthOf(admin, holding.token);
                this.lose(record, admin, lossCause(holding.startedAt.get(admin), health, true), health.startedAt);
                return;
            }
            // Out of reach for longer than a lease: it ended there before the run let it go.
            if (this.options.now() >= holding.renewedAt.get(admin) + this.options.leaseMs) {
                this.lose(record, admin, leaseRanOut(gone));
                return;
            }
            unconfirmed = true;
            record.errors.push(`not confirmed removed from ${describeFailure(gone)}; its ${formatDuration(this.options.leaseMs)} lease ends it`);
        }));
        if (countedUntil !== Infinity)
            record.countedUntil = new Date(countedUntil).toISOString();
        this.options.events.faultCounted?.(record, counts);
        this.end(record, record.lost ? 'lost' : unconfirmed ? 'unconfirmed' : 'removed', counts);
    }
    /** Removes every fault still held. The revert: called whatever ended the run. */
    async releaseAll() {
        clearInterval(this.renewer);
        await Promise.all([...this.held].map((r) => this.release(r)));
        // Each fault is off already; revoking the run's lease ends anything a person hung on it too. Unreachable: it ends at its ttl.
        const leases = [...this.runLeases];
        this.runLeases.clear();
        await Promise.all(leases.map(async ([admin, lease]) => {
            const id = await lease;
            if (id)
                await callAdmin(admin, 'DELETE', `/v1/leases/${encodeURIComponent(id)}`, this.options.token);
        }));
    }
    /** The run's lease on `admin` when it is a control plane (granted at its first fault there), else undefined. */
    runLeaseOn(admin, token) {
        let lease = this.runLeases.get(admin);
        if (!lease) {
            lease = (async () => {
                if ((await healthOf(admin, token)).role !== 'control')
                    return undefined;
                const r = await callAdmin(admin, 'POST', '/v1/leases', token, { ttl: `${this.options.leaseMs}ms` });
                // Refused: the faults take their own ttls there, as on a proxy.
                return isOk(r) && typeof r.body.id === 'string' ? r.body.id : undefined;
            })();
            this.runLeases.set(admin, lease);
        }
        return lease;
    }
    /** The tracing subscriber's context for `activity`; a subscriber never stands between a run and its fault. */
    traceparentOf(activity) {
        try {
            return this.options.traceparent?.(activity);
        }
        catch {
            return undefined;
        }
    }
    get active() {
        return this.held.size;
    }
    end(record, state, counts) {
        const now = this.options.now();
        record.state = state;
        record.removedAt = new Date(now).toISOString();
        record.heldMs = (record.lost ? Date.parse(record.lost.at) : now) - Date.parse(record.injectedAt);
        record.counts = counts;
        this.options.events.faultEnded?.(record);
    }
    /**
     * Records that `admin` no longer holds `record`; the first loss of a fault
     * is the one the run is told. `startedAt` is the proxy's start time now:
     * for a restart, the latest the fault can have held there.
     */
    lose(record, admin, cause, startedAt) {
        const holding = this.holdings.get(record);
        if (holding.lostOn.has(admin))
            return;
        holding.lostOn.add(admin);
        const restartedAt = cause === 'proxy restarted' ? startedAt : undefined;
        const loss = { admin, at: new Date(this.lostAt(record, admin, restartedAt)).toISOString(), cause };
        if (record.lost) {
            record.errors.push(`also lost on ${admin} at ${loss.at} (${cause})`);
            return;
        }
        record.lost = loss;
        record.state = 'lost';
        this.options.events.faultLost?.(record, loss);
    }
    /**
     * The latest time the fault can still have held on `admin`, which is the
     * best estimate of its loss: now (when it was found gone), one lease after
     * the last renewal there answered, or the start of the proxy found restarted.
     */
    lostAt(record, admin, restartedAt) {
        const bounds = [this.options.now(), this.holdings.get(record).renewedAt.get(admin) + this.options.leaseMs];
        const restarted = restartedAt ? Date.parse(restartedAt) : NaN;
        if (Number.isFinite(restarted))
            bounds.push(restarted);
        // Never before it went on: a proxy's clock may not be the runner's.
        return Math.max(Date.parse(record.injectedAt), Math.min(...bounds));
    }
    /** Renews every held fault on every proxy at once, so one slow proxy delays no other fault's lease. */
    async renewAll() {
        const records = [...this.held];
        // One renewal per run lease, whatever the number of faults on it; its answer stands for each of them.
        const leased = new Map();
        for (const [admin, lease] of this.runLeases) {
            const id = await lease;
            if (id)
                leased.set(admin, callAdmin(admin, 'POST', `/v1/leases/${encodeURIComponent(id)}/renew`, this.options.token).then((reply) => ({ reply, at: this.options.now() })));
        }
        const replies = await Promise.all(records.map((record) => this.renew(record, leased)));
        // Asked after the renewals, so a restart in between shows as one (a new start time), not as a missed lease.
        const admins = [...new Set(records.flatMap((r) => r.admins))];
        const seen = new Map(await Promise.all(admins.map(async (admin) => [admin, await Promise.all([healthOf(admin, this.options.token), countsOf(admin, this.options.token, this.options.now)])])));
        records.forEach((record, i) => this.judge(record, replies[i], seen));
    }
    renew(record, leased) {
        const holding = this.holdings.get(record);
        const path = `/v1/faults/${encodeURIComponent(record.id)}/renew`;
        const renewOn = async (admin) => (await leased.get(admin)) ?? { reply: await callAdmin(admin, 'POST', path, holding.token, { ttl: `${this.options.leaseMs}ms` }), at: this.options.now() };
        return Promise.all(record.admins.filter((a) => !holding.lostOn.has(a)).map(renewOn));
    }
    /** What one renewal round says about one fault: lost somewhere, renewed, or a proxy that did not answer. */
    judge(record, replies, seen) {
        // Released while the round was out: the release has the last word.
        if (!this.held.has(record))
            return;
        const holding = this.holdings.get(record);
        let counted = false;
        for (const { reply: r, at } of replies) {
            const [health, counts] = seen.get(r.admin) ?? [{}, undefined];
            // On a run lease, a renewed lease says nothing of one fault (a halt removes faults, not leases): the list does.
            const unlisted = health.role === 'control' && isOk(r) && counts !== undefined && !counts.has(record.id);
            // Not re-added where it was lost: a halt must stick, and a run whose fault had a gap has already failed.
            const cause = lossCause(holding.startedAt.get(r.admin), health, r.status === 404 || r.status === 409 || unlisted);
            if (cause) {
                this.lose(record, r.admin, cause, health.startedAt);
                continue;
            }
            if (isOk(r)) {
                holding.failing.delete(r.admin);
                holding.renewedAt.set(r.admin, at);
                const c = counts?.get(record.id);
                if (c)
                    holding.counts.set(r.admin, c);
                counted ||= c !== undefined;
                continue;
            }
            if (!holding.failing.has(r.admin)) {
                holding.failing.add(r.admin);
                record.errors.push(`renew failed on ${describeFailure(r)}`);
            }
            // Unrenewed for a whole lease: the proxy dropped it by now (or is gone itself), whatever it says when it comes back.
            if (this.options.now() >= holding.renewedAt.get(r.admin) + this.options.leaseMs)
                this.lose(record, r.admin, leaseRanOut(r));
        }
        if (counted) {
            const last = [...holding.counts.values()];
            this.options.events.faultCounted?.(record, { matched: last.reduce((n, c) => n + c.matched, 0), hit: last.reduce((n, c) => n + c.hit, 0) });
        }
    }
}
//# sourceMappingURL=fault-ledger.js.map