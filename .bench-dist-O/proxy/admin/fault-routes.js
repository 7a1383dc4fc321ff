import { Router } from 'express';
import { formatDuration, durationSchema } from '../config/duration.js';
import { explainIssues, formatPath } from '../config/config-error.js';
import { faultRuleSchema } from '../faults/fault-rule-schema.js';
import { FaultStoreError } from '../faults/fault-store.js';
import { AdminError } from './admin-error.js';
/** JSON view of a live rule: what was asked, its lease, and what it has done here. */
export function describeRule(rule) {
    const { ttl: _ttl, ...spec } = rule.spec;
    return {
        ...spec,
        id: rule.id,
        createdAt: new Date(rule.createdAt).toISOString(),
        expiresAt: new Date(rule.expiresAt).toISOString(),
        counts: { matched: rule.counters.matched, hit: rule.counters.hit, active: rule.counters.active },
    };
}
/**
 * /v1/faults and /v1/resume (/v1/halt is answered before bodies are read, in
 * admin-app). State changes pass the access and token checks mounted before
 * this router; errors are thrown, and sendAdminError answers them.
 */
export function faultRoutes({ store, maxTtlMs, hasService }) {
    const router = Router();
    const capTtl = (ms) => Math.min(ms, maxTtlMs);
    /** What adding or renewing answers: the lease, and a warning when the ttl asked for was cut. */
    const leaseReply = (rule, askedMs) => ({
        id: rule.id,
        expiresAt: new Date(rule.expiresAt).toISOString(),
        ...(askedMs > maxTtlMs ? { warning: `ttl capped to ${formatDuration(maxTtlMs)} (--max-fault-ttl)` } : {}),
    });
    router.post('/v1/faults', (req, res) => {
        if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
            throw new AdminError('INVALID_FAULT', 400, 'send one rule as a JSON object, with content-type: application/json', { errors: [] });
        }
        const parsed = faultRuleSchema.safeParse(req.body);
        if (!parsed.success) {
            throw new AdminError('INVALID_FAULT', 400, 'fault rule refused; nothing was applied', {
                errors: explainIssues(parsed.error.issues, req.body).map((i) => ({ field: formatPath(i.path), message: i.message })),
            });
        }
        const rule = store.add(parsed.data, capTtl(parsed.data.ttl));
        const reply = leaseReply(rule, parsed.data.ttl);
        const target = parsed.data.target;
        // Added all the same: the mesh may gain the service on its next reload, and the rule's lease bounds it meanwhile.
        const unknown = target !== '*' && hasService && !hasService(target) ? `no service "${target}" in this proxy's mesh: the rule matches nothing until a reload adds it` : undefined;
        res.status(201).json(unknown ? { ...reply, warning: [reply.warning, unknown].filter(Boolean).join('; ') } : reply);
    });
    router.get('/v1/faults', (_req, res) => {
        res.json({ halted: store.halted, faults: store.list().map(describeRule) });
    });
    router.get('/v1/faults/:id', (req, res) => {
        const rule = store.get(req.params.id);
        if (!rule)
            throw new FaultStoreError('FAULT_NOT_FOUND', `no active fault with id "${req.params.id}"`);
        res.json(describeRule(rule));
    });
    router.post('/v1/faults/:id/renew', (req, res) => {
        const ttl = durationSchema.safeParse(req.body?.ttl);
        if (!ttl.success || ttl.data <= 0) {
            throw new AdminError('INVALID_FAULT', 400, 'renew needs {"ttl": "<duration>"}, e.g. {"ttl": "60s"}', { errors: [{ field: 'ttl', message: ttl.success ? 'ttl must be above 0' : (ttl.error.issues[0]?.message ?? 'invalid') }] });
        }
        const rule = store.renew(req.params.id, capTtl(ttl.data));
        res.json(leaseReply(rule, ttl.data));
    });
    router.delete('/v1/faults/:id', (req, res) => {
        if (!store.remove(req.params.id))
            throw new FaultStoreError('FAULT_NOT_FOUND', `no active fault with id "${req.params.id}"`);
        res.json({ removed: [req.params.id] });
    });
    router.delete('/v1/faults', (_req, res) => {
        res.json({ removed: store.clear() });
    });
    router.post('/v1/resume', (_req, res) => {
        store.resume();
        res.json({ halted: false });
    });
    return router;
}
//# sourceMappingURL=fault-routes.js.map