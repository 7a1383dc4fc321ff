import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminApp } from './admin/admin-app.js';
import { formatHostPort, isLoopback, type ListenAddress } from './config/listen-address.js';
import { createForwarder } from './http/forwarder.js';
import { createProxyServer } from './http/proxy-server.js';
import { MeshState, type ReloadResult } from './mesh-state.js';
import type { Random } from './routing/balancer.js';
import { buildStack } from './stack.js';
import { createAccessLog, type AccessLogTarget } from './telemetry/access-log.js';
import { createMetrics, type Metrics } from './telemetry/metrics.js';
import { createCallRecorder } from './telemetry/record-call.js';

export interface ProxyOptions {
  readonly meshFile: string;
  readonly listen: ListenAddress;
  readonly admin: ListenAddress;
  readonly service?: string | undefined;
  readonly region?: string | undefined;
  readonly zone?: string | undefined;
  /** How long to wait for an upstream's response headers. */
  readonly timeoutMs?: number;
  readonly adminToken?: string | undefined;
  readonly accessLog?: AccessLogTarget;
  /** Source of randomness for weighted routes and balancing; seed it to replay a run. */
  readonly random?: Random;
}

export interface RunningProxy {
  readonly proxyUrl: string;
  readonly adminUrl: string;
  readonly metrics: Metrics;
  reload(): ReloadResult;
  /** Graceful stop: no new requests, in-flight ones get up to `drainMs` (default 10 s). */
  close(drainMs?: number): Promise<{ drained: boolean; cut: number }>;
}

/** Refused before anything listens: an open admin port can break production traffic. */
export class AdminExposedError extends Error {
  readonly code = 'ADMIN_EXPOSED';
  override readonly name = 'AdminExposedError';
  constructor(host: string) {
    super(`refusing to serve the admin API on non-loopback address ${host} without a token: set --admin-token or FAULTMESH_ADMIN_TOKEN`);
  }
}

/**
 * Starts a faultmesh proxy: the data-plane listener and the admin listener.
 * Throws ConfigError for an invalid mesh file before listening on anything.
 */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  if (!isLoopback(options.admin.host) && !options.adminToken) throw new AdminExposedError(options.admin.host);
  const random = options.random ?? Math.random;
  const state = new MeshState(options.meshFile, random);
  const metrics = createMetrics();
  const accessLog = createAccessLog(options.accessLog ?? { kind: 'stdout' });
  const { forward, agent } = createForwarder();
  const handler = buildStack({ table: state.table, forward, timeoutMs: options.timeoutMs ?? 15_000 });
  const proxy = createProxyServer({ handler, record: createCallRecorder(metrics, accessLog?.logger), service: options.service });
  const reload = (): ReloadResult => {
    const result = state.reload();
    metrics.reloads.labels(result.ok ? 'ok' : 'rejected').inc();
    return result;
  };
  const admin = createAdminApp({
    state,
    metrics,
    identity: { service: options.service, region: options.region, zone: options.zone },
    token: options.adminToken,
    startedAt: new Date(),
    inFlight: proxy.inFlight,
    reload,
  });

  const proxyAddr = await listen(proxy.server, options.listen);
  let adminServer: Server;
  try {
    adminServer = admin.listen(options.admin.port, options.admin.host);
    await once(adminServer, 'listening');
  } catch (err) {
    proxy.server.close();
    throw err;
  }
  const adminAddr = adminServer.address() as AddressInfo;

  return {
    proxyUrl: `http://${formatHostPort(proxyAddr.address, proxyAddr.port)}`,
    adminUrl: `http://${formatHostPort(adminAddr.address, adminAddr.port)}`,
    metrics,
    reload,
    async close(drainMs = 10_000) {
      const result = await proxy.shutdown(drainMs);
      adminServer.closeAllConnections();
      await new Promise<void>((resolve) => adminServer.close(() => resolve()));
      agent.destroy();
      await accessLog?.close();
      return result;
    },
  };
}

async function listen(server: Server, at: ListenAddress): Promise<AddressInfo> {
  server.listen(at.port, at.host);
  await once(server, 'listening');
  return server.address() as AddressInfo;
}
