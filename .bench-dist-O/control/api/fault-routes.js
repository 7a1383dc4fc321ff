import { Router } from 'express';
import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { faultRuleShape, checkActions } from '../../proxy/faults/fault-rule-schema.js';
import { FaultStoreError } from '../../proxy/faults/fault-store.js';
import { StoreError } from '../store/store.js';
import { meshServices } from './mesh-view.js';
import { holdingFor, leaseIdSchema, parseBody, release, ttlSchema } from './request-body.js';
/** A rule as a proxy's admin takes it, with `lease` as the alternative to `ttl`. */
const faultRequestSchema = faultRuleShape.omit({ ttl: true }).extend({ ttl: ttlSchema.optional(), lease: leaseIdSchema.optional() }).superRefine(checkActions);
const notFound = (id) => new FaultStoreError('FAULT_NOT_FOUND', `no active fault with id "${id}" (it may have expired)`);
/**
 * /v1/faults, speaking a proxy admin's API so that the runner's FaultLedger
 * and `faultmesh faults` work against a control URL unchanged; the replies
 * add `counts` summed over the proxies' reports and `proxies`, the ids that
 * applied the fault. Reads go to the store, so a read sees the write before it.
 */
export function faultRoutes(ctx) {
    const { store, keys } = ctx;
    const router = Router();
    // Every replica's proxies (a shared store): the runner's counts and "applied by" cover the whole mesh, whichever replica it asks.
    const describe = async (kv, everyProxy) => {
        const v = kv.value;
        const left = kv.lease === undefined ? undefined : await store.leaseTtl(kv.lease);
        if (left === undefined)
            return undefined;
        const counts = { matched: 0, hit: 0, active: 0 };
        const proxies = [];
        for (const p of everyProxy) {
            const c = p.faults[v.spec.id];
            if (c) {
                counts.matched += c.matched;
                counts.hit += c.hit;
            }
            if (p.connected && p.applied >= kv.modRevision)
                proxies.push(p.id);
        }
        // The defaults a proxy admin shows, for listings that print them (faults list).
        return { percentage: 100, phase: 'request', ...v.spec, id: v.spec.id, createdAt: v.addedAt, expiresAt: new Date(ctx.now() + left).toISOString(), ...(v.ownLease ? {} : { lease: kv.lease }), counts, proxies };
    };
    const live = async (id) => {
        const kv = await store.get(keys.fault(id));
        const described = kv && (await describe(kv, await ctx.everyProxy()));
        if (!kv || !described)
            throw notFound(id);
        return { kv, described };
    };
    const halted = async () => (await store.get(keys.halt)) !== undefined;
    router.post('/v1/faults', async (req, res) => {
        const { ttl, lease, ...rule } = parseBody(faultRequestSchema, req.body, 'fault rule', 'INVALID_FAULT');
        if (await halted())
            throw new FaultStoreError('FAULTS_HALTED', 'fault injection is halted on every proxy: resume it (faultmesh faults resume --control URL, or POST /v1/resume) before adding faults');
        const id = rule.id ?? `fault-${randomBytes(4).toString('hex')}`;
        // Stored as it was sent (durations as strings), for each proxy to validate as its own admin would.
        const { ttl: _t, lease: _l, ...sent } = req.body;
        const holding = await holdingFor(store, { ttl, lease }, ctx.maxTtlMs, 'control --max-ttl');
        const value = { spec: { ...sent, id, target: rule.target }, addedAt: new Date(ctx.now()).toISOString(), ownLease: holding.own };
        try {
            await store.put(keys.fault(id), value, { lease: holding.lease, expectModRevision: 0 });
        }
        catch (err) {
            await release(store, holding);
            if (err instanceof StoreError && err.code === 'CONFLICT')
                throw new FaultStoreError('FAULT_EXISTS', `a fault with id "${id}" already exists: renew it, or remove it first`);
            throw err;
        }
        // A halt between the check and the put listed the faults before this one existed: it must not survive the halt.
        if (await halted()) {
            await removeFault(id, holding.own, holding.lease);
            throw new FaultStoreError('FAULTS_HALTED', 'fault injection was halted while this fault was being added; it was removed');
        }
        const services = meshServices(ctx.desired.current.mesh);
        const unknown = rule.target !== '*' && services && !services.has(rule.target) ? `no service "${rule.target}" in the control plane's mesh: the rule matches nothing until the mesh has it` : undefined;
        const warning = [holding.warning, unknown].filter(Boolean).join('; ');
        const fault = { ...value.spec, createdAt: value.addedAt, expiresAt: new Date(ctx.now() + holding.ttlMs).toISOString(), ...(holding.own ? {} : { lease: holding.lease }) };
        res.status(201).json({ id, fault, expiresAt: fault.expiresAt, ...(warning ? { warning } : {}) });
    });
    router.get('/v1/faults', async (_req, res) => {
        const { items } = await store.list(keys.faults);
        const everyProxy = await ctx.everyProxy();
        const faults = (await Promise.all(items.map((kv) => describe(kv, everyProxy)))).filter((f) => f !== undefined);
        res.json({ halted: await halted(), faults });
    });
    router.get('/v1/faults/:id', async (req, res) => {
        res.json((await live(req.params.id)).described);
    });
    router.post('/v1/faults/:id/renew', async (req, res) => {
        const { ttl } = parseBody(z.object({ ttl: ttlSchema }), req.body ?? {}, 'renewal ({"ttl": "60s"})', 'INVALID_FAULT');
        const { kv } = await live(req.params.id);
        const v = kv.value;
        const asked = Math.ceil(Math.min(ttl, ctx.maxTtlMs));
        let ttlMs = await keepAlive(kv.lease, req.params.id);
        let warning = ttl > ctx.maxTtlMs ? 'ttl capped (control --max-ttl)' : undefined;
        if (!v.ownLease)
            warning = `this fault hangs on lease ${kv.lease}: that lease was renewed for its own ttl; renew it with POST /v1/leases/${kv.lease}/renew`;
        else if (ttlMs !== asked) {
            // Another ttl than the lease's: the fault moves to a new lease of that ttl.
            const next = await store.grantLease(asked);
            await store.put(kv.key, v, { lease: next.id, expectModRevision: kv.modRevision }).catch(async (err) => {
                await store.revokeLease(next.id).catch(() => { });
                throw err instanceof StoreError && err.code === 'CONFLICT' ? notFound(req.params.id) : err;
            });
            await store.revokeLease(kv.lease).catch(() => { });
            ttlMs = next.ttlMs;
        }
        void ctx.desired.refreshLeases();
        res.json({ id: req.params.id, expiresAt: new Date(ctx.now() + ttlMs).toISOString(), ...(warning ? { warning } : {}) });
    });
    router.delete('/v1/faults/:id', async (req, res) => {
        const kv = await store.get(keys.fault(req.params.id));
        if (!kv || !(await removeFault(req.params.id, kv.value.ownLease, kv.lease)))
            throw notFound(req.params.id);
        res.json({ removed: [req.params.id] });
    });
    router.delete('/v1/faults', async (_req, res) => {
        res.json({ removed: await removeAllFaults(ctx) });
    });
    async function keepAlive(lease, id) {
        try {
            return (await store.keepAlive(lease)).ttlMs;
        }
        catch (err) {
            throw err instanceof StoreError && err.code === 'LEASE_NOT_FOUND' ? notFound(id) : err;
        }
    }
    async function removeFault(id, ownLease, lease) {
        return removeOne(ctx, keys.fault(id), ownLease, lease);
    }
    return router;
}
/** Deletes a leased key; a lease of its own goes with it (revoking deletes the key). */
export async function removeOne(ctx, key, ownLease, lease) {
    if (ownLease && lease !== undefined) {
        const existed = (await ctx.store.get(key)) !== undefined;
        await ctx.store.revokeLease(lease).catch((err) => {
            if (!(err instanceof StoreError && err.code === 'LEASE_NOT_FOUND'))
                throw err;
        });
        return existed;
    }
    return ctx.store.delete(key);
}
/** Removes every fault (DELETE /v1/faults, and a halt); returns how many there were. */
export async function removeAllFaults(ctx) {
    const { items } = await ctx.store.list(ctx.keys.faults);
    const removed = await Promise.all(items.map((kv) => removeOne(ctx, kv.key, kv.value.ownLease, kv.lease)));
    return removed.filter(Boolean).length;
}
//# sourceMappingURL=fault-routes.js.map