import { Router } from 'express';
import { z } from 'zod';
import type { OverrideValue } from '../keys.js';
import type { KeyValue } from '../store/store.js';
import type { ControlContext } from './context.js';
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
  by: z.string().max(200).default('api'),
});

/**
 * /v1/overrides/:service/:route: a leased change of one route's split (a
 * canary's). When its lease ends the key goes, and proxies fall back to the
 * weights in the mesh file.
 */
export function overrideRoutes(ctx: ControlContext): Router {
  const { store, keys } = ctx;
  const router = Router();
  const routeIndex = (text: string) => {
    if (!/^\d{1,6}$/.test(text)) throw new ControlError('INVALID_REQUEST', 400, `route "${text}" is not a route index (0 for the service's first route)`);
    return Number(text);
  };
  const describe = async (kv: KeyValue) => {
    const left = kv.lease === undefined ? undefined : await store.leaseTtl(kv.lease);
    if (left === undefined) return undefined;
    const { ownLease, ...v } = kv.value as OverrideValue;
    return { ...v, ...(ownLease ? {} : { lease: kv.lease }), remainingMs: left, expiresAt: new Date(ctx.now() + left).toISOString() };
  };

  router.put('/v1/overrides/:service/:route', async (req, res) => {
    const { service } = req.params;
    const route = routeIndex(req.params.route);
    const body = parseBody(overrideSchema, req.body, 'override');
    // Checked against the applied mesh when there is one: an override of a route that does not split would never apply.
    const mesh = parsedMesh(ctx.desired.current.mesh);
    const target = mesh?.services[service]?.routes[route];
    if (mesh && !target?.to) throw new ControlError('INVALID_REQUEST', 400, `the mesh has no route ${route} with "to" in service "${service}"`, [{ field: 'route', message: 'no such splitting route' }]);
    const holding = await holdingFor(store, body, ctx.maxTtlMs, 'control --max-ttl');
    const key = keys.override(service, route);
    const before = await store.get(key);
    const value: OverrideValue = { service, route, to: body.to, by: body.by, at: new Date(ctx.now()).toISOString(), ownLease: holding.own };
    await store.put(key, value, { lease: holding.lease }).catch(async (err) => {
      await release(store, holding);
      throw err;
    });
    if (before?.lease && (before.value as OverrideValue).ownLease) await store.revokeLease(before.lease).catch(() => {});
    res.json({ override: { ...value, remainingMs: holding.ttlMs }, ...(holding.warning ? { warning: holding.warning } : {}) });
  });

  router.get('/v1/overrides', async (_req, res) => {
    const { items } = await store.list(keys.overrides);
    res.json({ overrides: (await Promise.all(items.map(describe))).filter((o) => o !== undefined) });
  });

  router.delete('/v1/overrides/:service/:route', async (req, res) => {
    const key = keys.override(req.params.service, routeIndex(req.params.route));
    const kv = await store.get(key);
    if (!kv) throw new ControlError('OVERRIDE_NOT_FOUND', 404, `no override of ${req.params.service} route ${req.params.route}`);
    if (kv.lease && (kv.value as OverrideValue).ownLease) await store.revokeLease(kv.lease).catch(() => {});
    await store.delete(key);
    res.json({ removed: `${req.params.service}/${req.params.route}` });
  });
  return router;
}
