import { Router } from 'express';
import { buildStatus } from './status.js';
/** GET /v1/status: desired against observed, as `faultmesh status` prints it. */
export function statusRoute(ctx) {
    const router = Router();
    router.get('/v1/status', async (_req, res) => {
        res.json(await buildStatus(ctx));
    });
    return router;
}
//# sourceMappingURL=status-route.js.map