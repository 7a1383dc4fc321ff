import { Router } from 'express';
import { explainIssues, formatPath } from '../config/config-error.js';
import { formatDuration } from '../config/duration.js';
import { routeOverrideSchema } from '../config/route-override-schema.js';
import { OverrideRefusedError } from '../mesh-state.js';
import { AdminError } from './admin-error.js';
/**
 * /v1/overrides on a proxy with no control plane: a leased change of one
 * route's split (a canary's weights), in the control plane's shape. The
 * ttl is required and capped like a fault's; putting the override again
 * renews it. When it runs out, the route has the mesh file's weights again,
 * whether or not whoever put it is still there. Writes pass the token check
 * and, on a managed proxy, are refused (managed.ts) before they get here.
 */
export function overrideRoutes({ state, now, maxTtlMs }) {
    const router = Router();
    const describe = (o) => {
        const { endsAt, ...rest } = o;
        return { ...rest, expiresAt: new Date(endsAt).toISOString(), remainingMs: Math.max(0, endsAt - now()) };
    };
    const routeIndex = (text) => {
        if (!/^\d{1,6}$/.test(text))
            throw new AdminError('INVALID_OVERRIDE', 400, `route "${text}" is not a route index (0 for the service's first route)`, { errors: [{ field: 'route', message: 'not a route index' }] });
        return Number(text);
    };
    router.put('/v1/overrides/:service/:route', (req, res) => {
        const { service } = req.params;
        const route = routeIndex(req.params.route);
        if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
            throw new AdminError('INVALID_OVERRIDE', 400, 'send the override as a JSON object, with content-type: application/json', { errors: [] });
        }
        const parsed = routeOverrideSchema.safeParse(req.body);
        if (!parsed.success) {
            throw new AdminError('INVALID_OVERRIDE', 400, 'override refused; nothing was changed', {
                errors: explainIssues(parsed.error.issues, req.body).map((i) => ({ field: formatPath(i.path), message: i.message })),
            });
        }
        const body = parsed.data;
        let put;
        try {
            put = state.putOverride({ service, route, to: body.to, by: body.by }, Math.min(body.ttl, maxTtlMs));
        }
        catch (err) {
            if (err instanceof OverrideRefusedError)
                throw new AdminError('INVALID_OVERRIDE', 400, err.message, { errors: [err.refusal] });
            throw err;
        }
        res.json({ override: describe(put), ...(body.ttl > maxTtlMs ? { warning: `ttl capped to ${formatDuration(maxTtlMs)} (--max-fault-ttl)` } : {}) });
    });
    router.get('/v1/overrides', (_req, res) => {
        res.json({ overrides: state.liveOverrides().map(describe) });
    });
    router.delete('/v1/overrides/:service/:route', (req, res) => {
        const route = routeIndex(req.params.route);
        if (!state.removeOverride(req.params.service, route))
            throw new AdminError('OVERRIDE_NOT_FOUND', 404, `no override of ${req.params.service} route ${route}`);
        res.json({ removed: `${req.params.service}/${route}` });
    });
    return router;
}
//# sourceMappingURL=override-routes.js.map