import express, { type Express } from 'express';
import { guardAdminAccess, type AdminAccess } from '../../proxy/admin/admin-access.js';
import { AdminError } from '../../proxy/admin/admin-error.js';
import { requireToken } from '../../proxy/admin/auth.js';
import { jsonBodies } from '../../proxy/admin/json-body.js';
import { channelRoute } from '../push/proxy-channel.js';
import { proxyRoutes } from '../push/proxy-routes.js';
import type { StreamHub } from '../push/stream-hub.js';
import { storeGate } from '../replica/store-gate.js';
import { statusRoute } from '../status/status-route.js';
import type { IssuanceDeps } from '../ca/issuance.js';
import type { JoinTokens } from '../ca/join-tokens.js';
import { CONTROL_TOKEN_REFUSAL } from './bearer.js';
import { certificateRoutes } from './ca-routes.js';
import type { ControlMetrics } from './control-metrics.js';
import type { ControlContext } from './context.js';
import { sendControlError } from './control-error.js';
import { faultRoutes } from './fault-routes.js';
import { haltRoute, resumeRoute } from './halt-routes.js';
import { healthRoute } from './health-route.js';
import { joinTokenRoutes } from './join-token-routes.js';
import { leaseRoutes } from './lease-routes.js';
import { meshRoutes } from './mesh-routes.js';
import { metricsRoute } from './metrics-route.js';
import { overrideRoutes } from './override-routes.js';
import { registrationRoutes } from './registration-routes.js';
import { toxiproxyControlRoutes } from './toxiproxy-routes.js';
import { controlUi } from '../ui/control-ui.js';

export interface ControlAppDeps {
  readonly ctx: ControlContext;
  readonly hub: StreamHub;
  readonly token: string | undefined;
  readonly access: AdminAccess;
  /** /healthz `startedAt`: when the store's leases began (storeEpoch). */
  readonly startedAt: string;
  readonly processStartedAt: Date;
  /** Where the store is, for messages (etcd endpoints). */
  readonly storeName?: string | undefined;
  /** The CA's side: join tokens, and the issuance of certificates (absent without --ca-dir). */
  readonly ca: { readonly tokens: JoinTokens; readonly issuance: IssuanceDeps | undefined; readonly metrics: ControlMetrics };
}

/**
 * The control plane's HTTP API, one router per resource. The guards are the
 * proxy admin's, in the same order: who may ask (Host, Origin, token on
 * every state change; the stream asks for it too), then the halt, which no
 * body can block, then the proxies' channels, read as lines, then bodies. Errors are thrown and answered in one place.
 */
export function createControlApp({ ctx, hub, token, access, startedAt, processStartedAt, storeName, ca }: ControlAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(guardAdminAccess(access));
  const gate = ctx.health && storeGate(ctx.health, storeName ?? 'the store');
  // Before the control token: a proxy enrolls with its join token, which the route checks itself.
  if (gate) app.use('/v1/certificates', gate);
  app.use(certificateRoutes({ issuance: ca.issuance, metrics: ca.metrics }));
  app.use(requireToken(token, CONTROL_TOKEN_REFUSAL));
  if (gate) app.use(gate);
  app.use(haltRoute(ctx));
  // Before bodies: a proxy's channel is one NDJSON request read line by line for as long as its stream is open.
  app.use(channelRoute({ hub, observed: ctx.observed }));
  app.use(jsonBodies('1mb'));
  // First: every proxy acks each version and reports every 2 s, and each router passed on the way costs (npm run bench:control).
  // On a shared store a proxy may come from a replica whose watch is ahead; a memory store's history is its own (a version above it is another history's).
  app.use(proxyRoutes({ hub, observed: ctx.observed, desired: ctx.desired, token, catchUpMs: ctx.store.shared ? 1_000 : 0 }));

  app.use(healthRoute(ctx, startedAt, processStartedAt));
  app.use(metricsRoute(ctx.everyProxy, ca.metrics.registry));
  app.use(statusRoute(ctx));
  app.use(meshRoutes(ctx));
  app.use(faultRoutes(ctx));
  app.use(resumeRoute(ctx));
  app.use(leaseRoutes(ctx));
  app.use(registrationRoutes(ctx));
  app.use(overrideRoutes(ctx));
  app.use(toxiproxyControlRoutes(ctx, token));
  app.use(joinTokenRoutes({ tokens: ca.tokens, hasCa: ca.issuance !== undefined, token }));
  // The dashboard (GET /ui, its one event stream) and the runs it shows (PUT /v1/runs/:id, under the token like every write).
  app.use(controlUi({ ctx, tokenRequired: token !== undefined }));

  app.use((req) => {
    throw new AdminError('NOT_FOUND', 404, `no control-plane endpoint ${req.method} ${req.path}`);
  });
  app.use(sendControlError);
  return app;
}
