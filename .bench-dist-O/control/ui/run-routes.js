import { Router } from 'express';
import { AdminError } from '../../proxy/admin/admin-error.js';
import { ControlError } from '../api/control-error.js';
import { holdingFor, parseBody, release } from '../api/request-body.js';
import { RUN_ID, runBodySchema, runKey, runsPrefix } from './run-schema.js';
/**
 * /v1/runs: experiments, game days and canaries say what they are doing,
 * under a lease, so the dashboard shows them and names the holder of each
 * fault. Writes pass the control token like every state change (mounted
 * after it); a record ends with its lease, so a runner that dies leaves none.
 */
export function runRoutes(ctx, changed = () => { }) {
    const router = Router();
    router.put('/v1/runs/:id', async (req, res) => {
        const id = req.params.id;
        if (!RUN_ID.test(id) || id.length > 100)
            throw new ControlError('INVALID_REQUEST', 400, `run id "${id}": letters, digits, "-", "_" and ".", at most 100`, [{ field: 'id', message: 'not a run id' }]);
        const { lease, ttl, ...body } = parseBody(runBodySchema, req.body, 'run ({"kind": "experiment", "name": …, "state": "running", "phase": …, "lease": …})');
        const key = runKey(ctx.keys, id);
        const before = await ctx.store.get(key);
        const holding = await holdingFor(ctx.store, { ttl, lease }, ctx.maxTtlMs, 'control --max-ttl');
        const value = { ...body, id, ownLease: holding.own, updatedAt: new Date(ctx.now()).toISOString() };
        try {
            await ctx.store.put(key, value, { lease: holding.lease });
        }
        catch (err) {
            await release(ctx.store, holding);
            throw err;
        }
        // A record that had a lease of its own moved to the new one: the old one would only linger.
        const old = before?.value;
        if (old?.ownLease && before?.lease && before.lease !== holding.lease)
            await ctx.store.revokeLease(before.lease).catch(() => { });
        changed();
        res.json({ id, lease: holding.lease, ttlMs: holding.ttlMs, ...(holding.warning ? { warning: holding.warning } : {}) });
    });
    router.get('/v1/runs', async (_req, res) => {
        res.json({ runs: await listRuns(ctx) });
    });
    router.delete('/v1/runs/:id', async (req, res) => {
        const key = runKey(ctx.keys, req.params.id);
        const kv = await ctx.store.get(key);
        if (!kv)
            throw new AdminError('NOT_FOUND', 404, `no run "${req.params.id}" (its lease may have ended)`);
        const v = kv.value;
        if (v.ownLease && kv.lease)
            await ctx.store.revokeLease(kv.lease).catch(() => { });
        else
            await ctx.store.delete(key);
        changed();
        res.json({ removed: req.params.id });
    });
    return router;
}
/** Every registered run, with the lease it hangs on. */
export async function listRuns(ctx) {
    const { items } = await ctx.store.list(runsPrefix(ctx.keys));
    return items.map((kv) => ({ ...kv.value, lease: kv.lease }));
}
//# sourceMappingURL=run-routes.js.map