import express, { type ErrorRequestHandler, type Express } from 'express';
import type { FaultStore } from '../faults/fault-store.js';
import type { MeshState, ReloadResult } from '../mesh-state.js';
import type { Metrics } from '../telemetry/metrics.js';
import { requireToken } from './auth.js';
import { faultRoutes } from './fault-routes.js';
import { describeService } from './instance-state.js';

export interface AdminDeps {
  readonly state: MeshState;
  /** The proxy's clock, on which ejection times run. */
  readonly now: () => number;
  readonly metrics: Metrics;
  readonly identity: { readonly service?: string | undefined; readonly region?: string | undefined; readonly zone?: string | undefined };
  readonly token: string | undefined;
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
  app.use(express.json({ limit: '1mb' }));
  app.use(requireToken(deps.token));

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
    if (result.ok) res.json({ reloaded: true, services: result.services, loadedAt: state.loadedAt.toISOString() });
    else res.status(400).json({ code: 'CONFIG_INVALID', message: 'mesh file rejected; the running configuration stays', errors: result.issues });
  });

  app.use(faultRoutes({ store: deps.faults, maxTtlMs: deps.maxFaultTtlMs }));

  app.use((req, res) => {
    res.status(404).json({ code: 'NOT_FOUND', message: `no admin endpoint ${req.method} ${req.path}` });
  });
  const onError: ErrorRequestHandler = (err: { status?: number; message?: string }, _req, res, _next) => {
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    res.status(status).json({ code: status === 500 ? 'ADMIN_INTERNAL' : 'BAD_REQUEST', message: err.message ?? 'error' });
  };
  app.use(onError);
  return app;
}
