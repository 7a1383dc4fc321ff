import { Router } from 'express';
import { removeAllFaults } from './fault-routes.js';
/**
 * POST /v1/halt and POST /v1/resume. The halt is mounted before bodies are
 * read, as on a proxy: an emergency stop is never refused for its body. The
 * halt key goes in first, so a fault added meanwhile sees it (fault-routes
 * checks again after its write) and is removed rather than surviving.
 */
export function haltRoute(ctx) {
    const router = Router();
    router.post('/v1/halt', async (req, res) => {
        const halt = { halted: true, at: new Date(ctx.now()).toISOString(), by: `api ${req.socket.remoteAddress ?? ''}`.trim() };
        await ctx.store.put(ctx.keys.halt, halt);
        res.json({ halted: true, removed: await removeAllFaults(ctx) });
    });
    return router;
}
export function resumeRoute(ctx) {
    const router = Router();
    router.post('/v1/resume', async (_req, res) => {
        await ctx.store.delete(ctx.keys.halt);
        res.json({ halted: false });
    });
    return router;
}
//# sourceMappingURL=halt-routes.js.map