import { Router } from 'express';
import { realTimers } from '../../proxy/core/timers.js';
import { buildControlState } from './control-model.js';
import { runRoutes } from './run-routes.js';
import { adminTarget } from './metrics-scraper.js';
import { DashboardFeed } from './sse-feed.js';
import { setSecurityHeaders, uiAssets } from './ui-assets.js';
/**
 * The control plane's dashboard: GET /ui, its files, GET /ui/events, the
 * one stream the page reads, and /v1/runs, where runs say what they do. Mounted behind the same Host and Origin
 * guard as the API; reads need no token, as GET /v1/status does not, and
 * the page's halt, resume and fault removal go to the API itself
 * (POST /v1/halt …) with the token the user typed.
 */
export function controlUi({ ctx, tokenRequired, timers = realTimers, feed: tuning }) {
    let title = 'control plane';
    // A run's write is no version (nothing is pushed for it), so the runs API tells the feed itself.
    const runListeners = new Set();
    const feed = new DashboardFeed({
        build: () => buildControlState(ctx, { tokenRequired, title }),
        // A new version (a fault, the halt, a mesh) and a lease renewal are shown at once, not at the next tick.
        watch: (listener) => {
            runListeners.add(listener);
            const offs = [ctx.desired.subscribe(() => listener()), ctx.desired.onLeases(() => listener()), () => runListeners.delete(listener)];
            return () => offs.forEach((off) => off());
        },
        targets: async () => (await ctx.everyProxy()).filter((p) => p.connected && p.admin).map((p) => adminTarget(p.id, p.admin)),
    }, { timers, ...tuning });
    const router = Router();
    router.use(runRoutes(ctx, () => runListeners.forEach((l) => l())));
    router.use(uiAssets());
    router.get('/ui/events', (req, res) => {
        title = `control plane ${req.headers.host ?? ''}`.trim();
        setSecurityHeaders(res);
        feed.attach(res);
    });
    return router;
}
//# sourceMappingURL=control-ui.js.map