import { Router } from 'express';
import type { Metrics } from '../../proxy/telemetry/metrics.js';
import { realTimers, type Timers } from '../../proxy/core/timers.js';
import { buildProxyState, type ProxyUiDeps } from './proxy-model.js';
import { DashboardFeed } from './sse-feed.js';
import { setSecurityHeaders, uiAssets } from './ui-assets.js';

/**
 * One proxy's dashboard on its admin listener: the same page with fewer
 * panels, fed from this proxy's own reads and its own /metrics registry
 * (with --workers, the primary's aggregate of its workers). Halt and
 * resume go to this proxy's POST /v1/halt and /v1/resume.
 */
export function proxyUi(deps: ProxyUiDeps & { readonly metrics: Metrics; readonly timers?: Timers | undefined }): Router {
  let title: string | undefined;
  const feed = new DashboardFeed(
    {
      build: async () => buildProxyState({ ...deps, title }),
      watch: (listener) => deps.faults.onChange(listener),
      targets: async () => [{ id: 'this proxy', read: () => deps.metrics.registry.metrics() }],
    },
    { timers: deps.timers ?? realTimers },
  );
  const router = Router();
  router.use(uiAssets());
  router.get('/ui/events', (req, res) => {
    title = `${deps.identity.service ? `${deps.identity.service} proxy` : 'proxy'} ${req.headers.host ?? ''}`.trim();
    setSecurityHeaders(res);
    feed.attach(res);
  });
  return router;
}
