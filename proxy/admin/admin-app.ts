import express, { type Express } from 'express';
import type { FaultStore } from '../faults/fault-store.js';
import type { MeshState, ReloadResult } from '../mesh-state.js';
import type { Metrics } from '../telemetry/metrics.js';
import { guardAdminAccess, type AdminAccess } from './admin-access.js';
import { AdminError, sendAdminError } from './admin-error.js';
import { requireToken } from './auth.js';
import { faultRoutes } from './fault-routes.js';
import { describeService } from './instance-state.js';
import { jsonBodies } from './json-body.js';

export interface AdminDeps {
  readonly state: MeshState;
  /** The proxy's clock, on which ejection times run. */
  readonly now: () => number;
  readonly metrics: Metrics;
  readonly identity: { readonly service?: string | undefined; readonly region?: string | undefined; readonly zone?: string | undefined };
  readonly token: string | undefined;
  /** Which Host names and web origins may use the admin API. */
  readonly access: AdminAccess;
  readonly startedAt: Date;
  readonly inFlight: () => number;
  readonly reload: () => ReloadResult;
  readonly faults: FaultStore;
  readonly maxFaultTtlMs: number;
}

/** The admin surface: health, metrics, what the proxy knows, and reload. Off the hot path, so express. */
export function createAdminApp(deps: AdminDeps): Express {
  const { state, metrics } = deps;
  const app = express();
  app.disable('x-powered-by');
  // Order matters: who may ask (Host, Origin, token), then halt, then bodies.
  app.use(guardAdminAccess(deps.access));
  app.use(requireToken(deps.token));
  // Answered before any body is read: an emergency halt is never refused for
  // its body or content type (Host, Origin and token still apply).
  app.post('/v1/halt', (_req, res) => {
    res.json({ halted: true, removed: deps.faults.halt() });
  });
  app.use(jsonBodies('1mb'));

  app.get('/healthz', (_req, res) => {
    res.json({
      status: deps.faults.halted ? 'halted' : 'ok',
      halted: deps.faults.halted,
      activeFaults: deps.faults.list().length,
      ...deps.identity,
      meshFile: state.file,
      loadedAt: state.loadedAt.toISOString(),
      services: state.table().services.size,
      inFlight: deps.inFlight(),
      // Who holds a fault compares this with what it saw at injection: a new value means a restart, and every fault was dropped.
      startedAt: deps.startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
    });
  });

  app.get('/metrics', async (_req, res) => {
    res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get('/v1/services', (_req, res) => {
    const now = deps.now();
    res.json({ services: [...state.table().services.values()].map((s) => describeService(s, now)) });
  });

  app.get('/v1/routes', (_req, res) => {
    res.json({ services: [...state.table().services.values()].map((s) => s.describe()) });
  });

  app.post('/v1/reload', (_req, res) => {
    const result = deps.reload();
    if (!result.ok) throw new AdminError('CONFIG_INVALID', 400, 'mesh file rejected; the running configuration stays', { errors: result.issues });
    res.json({ reloaded: true, services: result.services, loadedAt: state.loadedAt.toISOString() });
  });

  app.use(faultRoutes({ store: deps.faults, maxTtlMs: deps.maxFaultTtlMs, hasService: (name) => state.table().services.has(name) }));

  app.use((req) => {
    throw new AdminError('NOT_FOUND', 404, `no admin endpoint ${req.method} ${req.path}`);
  });
  app.use(sendAdminError);
  return app;
}
