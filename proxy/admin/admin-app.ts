import type { ForwarderKind } from '../config/mesh-schema.js';
import express, { type Express } from 'express';
import type { MeshState } from '../mesh-state.js';
import type { FaultSource } from '../sources/fault-source.js';
import type { Metrics } from '../telemetry/metrics.js';
import { guardAdminAccess, type AdminAccess } from './admin-access.js';
import { AdminError, sendAdminError } from './admin-error.js';
import { requireToken } from './auth.js';
import { faultRoutes } from './fault-routes.js';
import { describeService } from './instance-state.js';
import { jsonBodies } from './json-body.js';
import { refuseManagedWrites } from './managed.js';
import { overrideRoutes } from './override-routes.js';
import { proxyUi } from '../../control/ui/proxy-ui.js';

/** What /healthz says of the control-plane connection, on a proxy that has one. */
export interface ControlHealth {
  readonly url: string | null;
  readonly connected: boolean;
  readonly since: string | null;
  readonly version: number;
  readonly lastError: string | null;
}

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
  /** Counts reloads for metrics; the mesh source does the reading. */
  readonly onReload?: (ok: boolean) => void;
  readonly faults: FaultSource;
  readonly maxFaultTtlMs: number;
  /** The control-plane connection, when the proxy has one. */
  readonly control?: (() => ControlHealth) | undefined;
  /** The proxy's --forwarder, shown per service in /v1/services (a service's own `forwarder:` wins). */
  readonly forwarder?: ForwarderKind | undefined;
  /** The mesh file given with --mesh, shown in /healthz (the fallback of a control-plane proxy). */
  readonly meshFile?: string | undefined;
  /** A cluster primary's workers (--workers N), shown in /healthz. */
  readonly workers?: (() => unknown) | undefined;
  /** The certificate this proxy presents, without its key (IdentityHolder.describe()), shown in /healthz; absent without an identity. */
  readonly certificate?: (() => { readonly service: string; readonly spiffeId: string; readonly notAfter: string } | undefined) | undefined;
}

/** The admin surface: health, metrics, what the proxy knows, and reload. Off the hot path, so express. */
export function createAdminApp(deps: AdminDeps): Express {
  const { state, metrics } = deps;
  const store = deps.faults.store;
  const app = express();
  app.disable('x-powered-by');
  // Order matters: who may ask (Host, Origin, token), then halt, then bodies.
  app.use(guardAdminAccess(deps.access));
  app.use(requireToken(deps.token));
  app.use(refuseManagedWrites(deps.faults.owner));
  // Answered before any body is read: an emergency halt is never refused for
  // its body or content type (Host, Origin and token still apply).
  app.post('/v1/halt', (_req, res) => {
    res.json({ halted: true, removed: store.halt() });
  });
  app.use(jsonBodies('1mb'));

  app.get('/healthz', (_req, res) => {
    const control = deps.control?.();
    const snapshot = state.snapshot;
    const certificate = deps.certificate?.();
    // Peers refuse a proxy whose certificate expired (its renewals failing): it can neither call nor be called over mTLS.
    const expired = certificate !== undefined && Date.parse(certificate.notAfter) <= deps.now();
    const notReadyReason = snapshot === undefined ? state.notReadyReason() : expired ? `its certificate expired at ${certificate.notAfter}: peers refuse its mTLS connections until a renewal succeeds` : undefined;
    res.json({
      status: store.halted ? 'halted' : 'ok',
      halted: store.halted,
      ...('haltedLocally' in store && store.haltedLocally ? { haltedLocally: true } : {}),
      activeFaults: store.list().length,
      ...deps.identity,
      // Not ready: no configuration to route with yet (a control plane never reached, and no --mesh fallback).
      ready: notReadyReason === undefined,
      ...(notReadyReason === undefined ? {} : { notReadyReason }),
      meshFile: deps.meshFile ?? null,
      meshOrigin: snapshot?.origin ?? null,
      meshVersion: snapshot?.version ?? 0,
      loadedAt: state.loadedAt?.toISOString() ?? null,
      services: state.table().services.size,
      ...(control ? { control } : {}),
      inFlight: deps.inFlight(),
      ...(deps.workers ? { workers: deps.workers() } : {}),
      ...(deps.certificate ? { certificate: certificate ? { ...certificate, expired } : null } : {}),
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
    res.json({ services: [...state.table().services.values()].map((s) => describeService(s, now, deps.forwarder)) });
  });

  app.get('/v1/routes', (_req, res) => {
    res.json({ services: [...state.table().services.values()].map((s) => s.describe()) });
  });

  app.post('/v1/reload', (_req, res) => {
    if (!state.reload) throw new AdminError('NOT_FOUND', 404, 'this proxy has no mesh file to reload');
    const result = state.reload();
    deps.onReload?.(result.ok);
    if (!result.ok) throw new AdminError('CONFIG_INVALID', 400, 'mesh file rejected; the running configuration stays', { errors: result.issues });
    res.json({ reloaded: true, services: result.services, loadedAt: state.loadedAt?.toISOString() ?? null });
  });

  app.use(faultRoutes({ store, maxTtlMs: deps.maxFaultTtlMs, hasService: (name) => state.table().services.has(name) }));
  app.use(overrideRoutes({ state, now: deps.now, maxTtlMs: deps.maxFaultTtlMs }));
  // The dashboard for this one proxy (GET /ui and its event stream), the control plane's page with fewer panels.
  app.use(proxyUi({ ...deps, metrics }));

  app.use((req) => {
    throw new AdminError('NOT_FOUND', 404, `no admin endpoint ${req.method} ${req.path}`);
  });
  app.use(sendAdminError);
  return app;
}

/** Why a proxy without a snapshot cannot route; MeshState gives it to /healthz and to every call (503 NOT_READY). */
export function notReadyReason(control: ControlHealth | undefined): string {
  if (!control) return 'no mesh configuration';
  if (!control.connected) return `never reached the control plane${control.lastError ? ` (${control.lastError})` : ''}, and no --mesh fallback`;
  return 'the control plane has no mesh configuration yet (faultmesh mesh apply FILE), and no --mesh fallback';
}
