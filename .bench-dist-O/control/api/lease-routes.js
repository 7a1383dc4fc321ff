import { Router } from 'express';
import { z } from 'zod';
import { parseBody, ttlSchema } from './request-body.js';
/**
 * /v1/leases: a holder's lease (a run's), on which faults and overrides can
 * hang (`lease` in their request). Revoking it ends all of them at once; a
 * holder that dies stops renewing, and they end at its ttl.
 */
export function leaseRoutes(ctx) {
    const { store } = ctx;
    const router = Router();
    router.post('/v1/leases', async (req, res) => {
        const { ttl } = parseBody(z.strictObject({ ttl: ttlSchema }), req.body ?? {}, 'lease ({"ttl": "30s"})');
        const lease = await store.grantLease(Math.ceil(Math.min(ttl, ctx.maxTtlMs)));
        res.status(201).json({ id: lease.id, ttlMs: lease.ttlMs });
    });
    router.post('/v1/leases/:id/renew', async (req, res) => {
        const { ttlMs } = await store.keepAlive(req.params.id);
        // Proxies hold each fault until its lease's last known end: tell them the new one.
        void ctx.desired.refreshLeases();
        res.json({ id: req.params.id, ttlMs });
    });
    router.delete('/v1/leases/:id', async (req, res) => {
        if ((await store.leaseTtl(req.params.id)) === undefined)
            await store.keepAlive(req.params.id); // throws LEASE_NOT_FOUND: 404
        await store.revokeLease(req.params.id);
        res.json({ revoked: req.params.id });
    });
    return router;
}
//# sourceMappingURL=lease-routes.js.map