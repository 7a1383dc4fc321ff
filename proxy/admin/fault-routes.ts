import { Router, type ErrorRequestHandler } from 'express';
import { formatDuration, durationSchema } from '../config/duration.js';
import { explainIssues, formatPath } from '../config/config-error.js';
import type { CompiledRule } from '../faults/compiled-rule.js';
import { faultRuleSchema } from '../faults/fault-rule-schema.js';
import { FaultStoreError, type FaultStore } from '../faults/fault-store.js';

export interface FaultRoutesDeps {
  readonly store: FaultStore;
  readonly maxTtlMs: number;
}

/** JSON view of a live rule: what was asked, its lease, and what it has done here. */
export function describeRule(rule: CompiledRule) {
  const { ttl: _ttl, ...spec } = rule.spec;
  return {
    ...spec,
    id: rule.id,
    createdAt: new Date(rule.createdAt).toISOString(),
    expiresAt: new Date(rule.expiresAt).toISOString(),
    counts: { matched: rule.counters.matched, hit: rule.counters.hit, active: rule.counters.active },
  };
}

/** /v1/faults, /v1/halt and /v1/resume. State changes go through the token check mounted before this router. */
export function faultRoutes({ store, maxTtlMs }: FaultRoutesDeps): Router {
  const router = Router();
  const capTtl = (ms: number) => Math.min(ms, maxTtlMs);
  /** What adding or renewing answers: the lease, and a warning when the ttl asked for was cut. */
  const leaseReply = (rule: CompiledRule, askedMs: number) => ({
    id: rule.id,
    expiresAt: new Date(rule.expiresAt).toISOString(),
    ...(askedMs > maxTtlMs ? { warning: `ttl capped to ${formatDuration(maxTtlMs)} (--max-fault-ttl)` } : {}),
  });

  router.post('/v1/faults', (req, res) => {
    if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
      res.status(400).json({ code: 'INVALID_FAULT', message: 'send one rule as a JSON object, with content-type: application/json', errors: [] });
      return;
    }
    const parsed = faultRuleSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({
        code: 'INVALID_FAULT',
        message: 'fault rule refused; nothing was applied',
        errors: explainIssues(parsed.error.issues, req.body).map((i) => ({ field: formatPath(i.path), message: i.message })),
      });
      return;
    }
    const rule = store.add(parsed.data, capTtl(parsed.data.ttl));
    res.status(201).json(leaseReply(rule, parsed.data.ttl));
  });

  router.get('/v1/faults', (_req, res) => {
    res.json({ halted: store.halted, faults: store.list().map(describeRule) });
  });

  router.get('/v1/faults/:id', (req, res) => {
    const rule = store.get(req.params.id);
    if (!rule) throw new FaultStoreError('FAULT_NOT_FOUND', `no active fault with id "${req.params.id}"`);
    res.json(describeRule(rule));
  });

  router.post('/v1/faults/:id/renew', (req, res) => {
    const ttl = durationSchema.safeParse((req.body as { ttl?: unknown } | undefined)?.ttl);
    if (!ttl.success || ttl.data <= 0) {
      res.status(400).json({ code: 'INVALID_FAULT', message: 'renew needs {"ttl": "<duration>"}, e.g. {"ttl": "60s"}', errors: [{ field: 'ttl', message: ttl.success ? 'ttl must be above 0' : (ttl.error.issues[0]?.message ?? 'invalid') }] });
      return;
    }
    const rule = store.renew(req.params.id, capTtl(ttl.data));
    res.json(leaseReply(rule, ttl.data));
  });

  router.delete('/v1/faults/:id', (req, res) => {
    if (!store.remove(req.params.id)) throw new FaultStoreError('FAULT_NOT_FOUND', `no active fault with id "${req.params.id}"`);
    res.json({ removed: [req.params.id] });
  });

  router.delete('/v1/faults', (_req, res) => {
    res.json({ removed: store.clear() });
  });

  router.post('/v1/halt', (_req, res) => {
    res.json({ halted: true, removed: store.halt() });
  });

  router.post('/v1/resume', (_req, res) => {
    store.resume();
    res.json({ halted: false });
  });

  const onStoreError: ErrorRequestHandler = (err, _req, res, next) => {
    if (!(err instanceof FaultStoreError)) return next(err);
    res.status(err.code === 'FAULT_NOT_FOUND' ? 404 : 409).json({ code: err.code, message: err.message });
  };
  router.use(onStoreError);
  return router;
}
