import { Router } from 'express';
import { z } from 'zod';
import { addressSchema, serviceNameSchema } from '../../proxy/config/mesh-schema.js';
import { ControlError } from './control-error.js';
import { holdingFor, parseBody, release, ttlSchema } from './request-body.js';
const NAME = /^[a-z0-9]([a-z0-9-_.]*[a-z0-9])?$/i;
const registerSchema = z.strictObject({
    service: serviceNameSchema,
    id: z.string().regex(NAME, 'id: letters, digits, "-", "_" and "."').max(200),
    address: addressSchema,
    region: z.string().max(200).optional(),
    zone: z.string().max(200).optional(),
    labels: z.record(z.string().max(200), z.string({ error: 'label values must be strings (quote numbers)' }).max(1000)).default({}),
    ttl: ttlSchema,
});
/**
 * /v1/registrations: an instance that comes up registers itself (or its
 * sidecar does) under a lease of its own and renews it; when it stops, the
 * key ends with the lease and every proxy stops sending it traffic.
 * Registering again replaces the entry and its lease.
 */
export function registrationRoutes(ctx) {
    const { store, keys } = ctx;
    const router = Router();
    const gone = (service, id) => new ControlError('REGISTRATION_NOT_FOUND', 404, `no registration ${service}/${id}: its lease ended or it was removed; register again`);
    const describe = async (kv) => {
        const left = kv.lease === undefined ? undefined : await store.leaseTtl(kv.lease);
        return left === undefined ? undefined : { ...kv.value, lease: kv.lease, leaseRemainingMs: left };
    };
    router.post('/v1/registrations', async (req, res) => {
        const r = parseBody(registerSchema, req.body, 'registration');
        const key = keys.registration(r.service, r.id);
        const before = await store.get(key);
        const holding = await holdingFor(store, { ttl: r.ttl }, ctx.maxTtlMs, 'control --max-ttl');
        const value = { service: r.service, id: r.id, address: r.address.text, region: r.region, zone: r.zone, labels: r.labels, registeredAt: new Date(ctx.now()).toISOString() };
        await store.put(key, value, { lease: holding.lease }).catch(async (err) => {
            await release(store, holding);
            throw err;
        });
        if (before?.lease)
            await store.revokeLease(before.lease).catch(() => { });
        res.status(201).json({ registration: value, lease: { id: holding.lease, ttlMs: holding.ttlMs }, ...(holding.warning ? { warning: holding.warning } : {}) });
    });
    router.get('/v1/registrations', async (_req, res) => {
        const { items } = await store.list(keys.registrations);
        res.json({ registrations: (await Promise.all(items.map(describe))).filter((r) => r !== undefined) });
    });
    router.post('/v1/registrations/:service/:id/renew', async (req, res) => {
        const { service, id } = req.params;
        const kv = await store.get(keys.registration(service, id));
        if (!kv?.lease)
            throw gone(service, id);
        const { ttlMs } = await store.keepAlive(kv.lease).catch(() => {
            throw gone(service, id);
        });
        res.json({ registration: kv.value, lease: { id: kv.lease, ttlMs } });
    });
    router.delete('/v1/registrations/:service/:id', async (req, res) => {
        const { service, id } = req.params;
        const kv = await store.get(keys.registration(service, id));
        if (!kv)
            throw gone(service, id);
        if (kv.lease)
            await store.revokeLease(kv.lease).catch(() => { });
        await store.delete(kv.key);
        res.json({ removed: `${service}/${id}` });
    });
    return router;
}
//# sourceMappingURL=registration-routes.js.map