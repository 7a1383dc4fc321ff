import { Router } from 'express';
import { z } from 'zod';
import { hasLabels } from '../../proxy/config/mesh-schema.js';
import { ControlError } from './control-error.js';
import { parsedMesh } from './mesh-view.js';
import { holdingFor, leaseIdSchema, parseBody, release, ttlSchema } from './request-body.js';
const overrideSchema = z.strictObject({
    to: z
        .array(z.strictObject({ labels: z.record(z.string(), z.string({ error: 'label values must be strings (quote numbers)' })), weight: z.number().min(0, 'weight is 0 or more') }))
        .min(1, 'to needs at least one subset')
        .refine((to) => to.some((s) => s.weight > 0), 'at least one subset needs a weight above 0'),
    ttl: ttlSchema.optional(),
    lease: leaseIdSchema.optional(),
    // No default: a made-up name would read as a service or a run that set it.
    by: z.string().min(1).max(200).optional(),
});
/**
 * /v1/overrides/:service/:route: a leased change of one route's split (a
 * canary's). When its lease ends the key goes, and proxies fall back to the
 * weights in the mesh file.
 */
export function overrideRoutes(ctx) {
    const { store, keys } = ctx;
    const router = Router();
    const routeIndex = (text) => {
        if (!/^\d{1,6}$/.test(text))
            throw new ControlError('INVALID_REQUEST', 400, `route "${text}" is not a route index (0 for the service's first route)`);
        return Number(text);
    };
    const describe = async (kv) => {
        const left = kv.lease === undefined ? undefined : await store.leaseTtl(kv.lease);
        if (left === undefined)
            return undefined;
        const { ownLease, ...v } = kv.value;
        return { ...v, ...(ownLease ? {} : { lease: kv.lease }), remainingMs: left, expiresAt: new Date(ctx.now() + left).toISOString() };
    };
    router.put('/v1/overrides/:service/:route', async (req, res) => {
        const { service } = req.params;
        const route = routeIndex(req.params.route);
        const body = parseBody(overrideSchema, req.body, 'override');
        // Checked against the applied mesh when there is one: an override of a route that does not split would never apply.
        const mesh = parsedMesh(ctx.desired.current.mesh);
        const target = mesh?.services[service]?.routes[route];
        if (mesh && !target?.to)
            throw new ControlError('INVALID_REQUEST', 400, `the mesh has no route ${route} with "to" in service "${service}"`, [{ field: 'route', message: 'no such splitting route' }]);
        // One subset takes all the traffic: there is no split to override, and an override would silently re-aim the whole route.
        if (target?.to && target.to.length < 2) {
            throw new ControlError('INVALID_REQUEST', 400, `route ${route} of service "${service}" does not split (its "to" has one subset); change the mesh to split it first`, [{ field: 'route', message: 'route does not split' }]);
        }
        const unmatched = mesh ? subsetsWithoutInstances(body.to, service, mesh, ctx.desired.current.registrations) : [];
        const holding = await holdingFor(store, body, ctx.maxTtlMs, 'control --max-ttl');
        const key = keys.override(service, route);
        const before = await store.get(key);
        const value = { service, route, to: body.to, ...(body.by === undefined ? {} : { by: body.by }), at: new Date(ctx.now()).toISOString(), ownLease: holding.own };
        await store.put(key, value, { lease: holding.lease }).catch(async (err) => {
            await release(store, holding);
            throw err;
        });
        if (before?.lease && before.value.ownLease)
            await store.revokeLease(before.lease).catch(() => { });
        const warning = [holding.warning, unmatched.length ? `no instance of "${service}" has the labels of ${unmatched.map((s) => JSON.stringify(s.labels)).join(', ')}: their share of traffic is answered 503 NO_INSTANCE until one registers` : undefined]
            .filter(Boolean)
            .join('; ');
        res.json({ override: { ...value, remainingMs: holding.ttlMs }, ...(warning ? { warning } : {}) });
    });
    router.get('/v1/overrides', async (_req, res) => {
        const { items } = await store.list(keys.overrides);
        res.json({ overrides: (await Promise.all(items.map(describe))).filter((o) => o !== undefined) });
    });
    router.delete('/v1/overrides/:service/:route', async (req, res) => {
        const key = keys.override(req.params.service, routeIndex(req.params.route));
        const kv = await store.get(key);
        if (!kv)
            throw new ControlError('OVERRIDE_NOT_FOUND', 404, `no override of ${req.params.service} route ${req.params.route}`);
        if (kv.lease && kv.value.ownLease)
            await store.revokeLease(kv.lease).catch(() => { });
        await store.delete(key);
        res.json({ removed: `${req.params.service}/${req.params.route}` });
    });
    return router;
}
/** Subsets with weight that no current instance (the mesh's, or a registered one) has the labels for. */
function subsetsWithoutInstances(to, service, mesh, registrations) {
    const labels = [...(mesh.services[service]?.instances ?? []).map((i) => i.labels), ...registrations.filter((r) => r.value.service === service).map((r) => r.value.labels)];
    return to.filter((s) => s.weight > 0 && !labels.some((l) => hasLabels(l, s.labels)));
}
//# sourceMappingURL=override-routes.js.map