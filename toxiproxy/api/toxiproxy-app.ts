import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import type { ToxiproxyRegistry } from '../registry/registry.js';
import { ToxiproxyError } from '../toxiproxy-error.js';
import { guardToxiproxyAccess, type ToxiproxyAccess } from './access.js';
import { toxiproxyRoutes } from './routes.js';
import { sendToxiproxyError } from './send-error.js';

/** The Toxiproxy API version this server speaks (its routes, fields and errors). */
export const TOXIPROXY_API_VERSION = '2.12.0';

export interface ToxiproxyAppDeps {
  readonly registry: ToxiproxyRegistry;
  readonly metrics: Registry;
  readonly access: ToxiproxyAccess;
  /** faultmesh's version, shown by /version. */
  readonly version: string;
  readonly startedAt: Date;
  readonly now: () => number;
  /** --control: the control plane as this process sees it, for /healthz. */
  readonly control?: (() => object) | undefined;
}

/**
 * Toxiproxy's HTTP API (port 8474 by convention), plus /metrics and
 * /healthz. Off the data path, so express, like the admin API. The order:
 * who may ask (Host, Origin, browser, token), then the body (read raw: Toxiproxy
 * decodes JSON whatever the content type, and curl -d sends a form type),
 * then the routes, then the one error handler.
 */
export function createToxiproxyApp(deps: ToxiproxyAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(guardToxiproxyAccess(deps.access));
  app.use(express.raw({ type: () => true, limit: '1mb' }));

  // Toxiproxy writes this body by hand, with this content type, and a newline; a dev build says "git", so clients cannot rely on a number.
  app.get('/version', (_req, res) => {
    res.status(200).setHeader('content-type', 'application/json;charset=utf-8');
    res.setHeader('x-faultmesh-toxiproxy-api', TOXIPROXY_API_VERSION);
    res.end(`{"version": "faultmesh-${deps.version}"}\n`);
  });

  app.get('/metrics', async (_req, res) => {
    res.set('content-type', deps.metrics.contentType).send(await deps.metrics.metrics());
  });

  app.get('/healthz', async (_req, res) => {
    const proxies = await deps.registry.proxies();
    const toxics = proxies.flatMap((p) => p.toxics);
    res.json({
      status: 'ok',
      proxies: proxies.length,
      enabled: proxies.filter((p) => p.enabled).length,
      toxics: toxics.length,
      leasedToxics: toxics.filter((t) => t.expires_at !== undefined).length,
      toxiproxyApi: TOXIPROXY_API_VERSION,
      startedAt: deps.startedAt.toISOString(),
      uptimeSeconds: Math.round((deps.now() - deps.startedAt.getTime()) / 1000),
      ...(deps.control ? { control: deps.control(), listenErrors: Object.fromEntries(proxies.flatMap((p) => (p.listen_error ? [[p.name, p.listen_error]] : []))) } : {}),
    });
  });

  app.use(toxiproxyRoutes(deps.registry));
  app.use((req) => {
    throw new ToxiproxyError('NOT_FOUND', 404, `404 page not found: no route ${req.method} ${req.path}`);
  });
  app.use(sendToxiproxyError);
  return app;
}
