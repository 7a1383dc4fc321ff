import { Router } from 'express';
import type { HaltValue } from '../keys.js';
import type { ControlContext } from './context.js';
import { removeAllFaults } from './fault-routes.js';

/**
 * POST /v1/halt and POST /v1/resume. The halt is mounted before bodies are
 * read, as on a proxy: an emergency stop is never refused for its body. The
 * halt key goes in first, so a fault added meanwhile sees it (fault-routes
 * checks again after its write) and is removed rather than surviving.
 */
export function haltRoute(ctx: ControlContext): Router {
  const router = Router();
  router.post('/v1/halt', async (req, res) => {
    const halt: HaltValue = { halted: true, at: new Date(ctx.now()).toISOString(), by: `api ${req.socket.remoteAddress ?? ''}`.trim() };
    await ctx.store.put(ctx.keys.halt, halt);
    res.json({ halted: true, removed: await removeAllFaults(ctx) });
  });
  return router;
}

export function resumeRoute(ctx: ControlContext): Router {
  const router = Router();
  router.post('/v1/resume', async (_req, res) => {
    await ctx.store.delete(ctx.keys.halt);
    res.json({ halted: false });
  });
  return router;
}
