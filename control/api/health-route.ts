import { Router } from 'express';
import type { ControlContext } from './context.js';

/**
 * GET /healthz, shaped like a proxy's so the FaultLedger reads it unchanged:
 * `startedAt` changes when the control plane restarts (and leased faults
 * with it), `halted` says whether a loss is a halt.
 */
export function healthRoute(ctx: ControlContext, startedAt: Date): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const halted = (await ctx.store.get(ctx.keys.halt)) !== undefined;
    const d = ctx.desired.current;
    res.json({
      status: halted ? 'halted' : 'ok',
      role: 'control',
      halted,
      activeFaults: d.faults.length,
      version: d.version,
      meshVersion: d.mesh?.version ?? null,
      proxies: ctx.observed.connectedCount(),
      ...(ctx.desired.lastError ? { storeError: ctx.desired.lastError } : {}),
      startedAt: startedAt.toISOString(),
      uptimeSeconds: Math.round((ctx.now() - startedAt.getTime()) / 1000),
    });
  });
  return router;
}
