import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminApp, notReadyReason } from './admin/admin-app.js';
import { checkAdminToken } from './admin/auth.js';
import { formatHostPort, isLoopback, type ListenAddress } from './config/listen-address.js';
import { selectForwarder, type ForwarderKind } from './forward/forwarder.js';
import { createHpmForwarder } from './forward/hpm-forwarder.js';
import { createUndiciForwarder } from './forward/undici-forwarder.js';
import { ADMIN_MAX_CONNECTIONS } from './http/connection-limit.js';
import { createProxyServer, type ListenerLimits, type ProxyServer } from './http/proxy-server.js';
import { faultFilter } from './faults/fault-filter.js';
import type { FaultStore } from './faults/fault-store.js';
import { sleepWhileOpen } from './faults/sleep.js';
import { MeshState, type ReloadResult } from './mesh-state.js';
import { localFaultSource, type FaultSource } from './sources/fault-source.js';
import { FileMeshSource } from './sources/file-mesh-source.js';
import type { MeshSource } from './sources/mesh-source.js';
import { ControlClient, type ControlClientOptions } from './sources/control/control-client.js';
import { RegistrationClient, type RegistrationOptions } from './sources/control/registration-client.js';
import { realTimers } from './core/timers.js';
import type { Random } from './routing/balancer.js';
import { buildStack } from './stack.js';
import { createAccessLog, type AccessLogTarget } from './telemetry/access-log.js';
import { createMetrics, type Metrics } from './telemetry/metrics.js';
import { createCallRecorder } from './telemetry/record-call.js';
import { createSubsetRecorder } from './telemetry/record-subset-attempt.js';
import { instanceStates } from './admin/instance-state.js';

export interface ProxyOptions {
  /** The mesh file; read by a FileMeshSource when no `meshSource` is given. */
  readonly meshFile?: string | undefined;
  /** Where the mesh comes from (default: the file); the proxy closes it. */
  readonly meshSource?: MeshSource | undefined;
  /** Where fault rules come from (default: this proxy's admin API); the proxy closes it. */
  readonly faultSource?: FaultSource | undefined;
  /**
   * Run on a control plane (--control): the mesh and faults come from it, and
   * `meshFile`, when given, is the configuration until it has one. Service,
   * region and zone default to the proxy's own.
   */
  readonly control?: ControlClientOptions | undefined;
  /** Register the app beside this sidecar on the control plane (--register). */
  readonly registration?: RegistrationOptions | undefined;
  readonly listen: ListenAddress;
  readonly admin: ListenAddress;
  readonly service?: string | undefined;
  readonly region?: string | undefined;
  readonly zone?: string | undefined;
  /** How long to wait for an upstream's response headers. */
  readonly timeoutMs?: number;
  readonly adminToken?: string | undefined;
  /** More Host names the admin API answers to, besides loopback ones (--admin-host). */
  readonly adminHosts?: readonly string[] | undefined;
  /** Web origins that may change state through the admin API (--admin-origin). */
  readonly adminOrigins?: readonly string[] | undefined;
  readonly accessLog?: AccessLogTarget;
  /** Source of randomness for weighted routes, balancing and unseeded fault rules; seed it to replay a run. */
  readonly random?: Random;
  /** Clock for fault leases, ejections and latency averages; tests pass a controllable one. */
  readonly now?: () => number;
  /** Longest lease a fault may ask for (default 1 h). */
  readonly maxFaultTtlMs?: number;
  /** Longest a hang fault holds a request (default 5 min). */
  readonly maxHangMs?: number;
  /** Honour x-faultmesh-abort / x-faultmesh-delay request headers (off by default). */
  readonly allowHeaderFaults?: boolean;
  /** How calls are sent upstream when their service names no `forwarder:` (default undici). */
  readonly forwarder?: ForwarderKind | undefined;
  /** Data-plane client limits: timeouts and the connection cap (defaults in proxy-server.ts). */
  readonly listenerLimits?: ListenerLimits | undefined;
}

export interface RunningProxy {
  readonly proxyUrl: string;
  readonly adminUrl: string;
  readonly metrics: Metrics;
  readonly faults: FaultStore;
  readonly mesh: MeshState;
  /** Reads the mesh file again (SIGHUP); undefined when the mesh is pushed by a control plane. */
  readonly reload: (() => ReloadResult) | undefined;
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
  checkProxyOptions(options);
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  let proxyServer: ProxyServer | undefined;
  const control = options.control
    ? new ControlClient({ service: options.service, region: options.region, zone: options.zone, fallbackFile: options.meshFile, timers: { ...realTimers, now }, random, ...options.control })
    : undefined;
  const faultSource = options.faultSource ?? control?.faults ?? localFaultSource(now, random);
  const store = faultSource.store;
  const meshSource = options.meshSource ?? control?.mesh ?? new FileMeshSource(requireMeshFile(options.meshFile));
  const metrics = createMetrics({
    activeFaults: () => store.list().length,
    inFlight: () => proxyServer?.inFlight() ?? 0,
    // Read at scrape time, after `mesh` exists; the mesh reports ejections to metrics.
    instances: () => instanceStates(mesh),
  });
  const mesh = new MeshState(
    meshSource,
    {
      random,
      now,
      onEject: (endpoint, reason) => metrics.outlierEjections.labels(endpoint.service, endpoint.id, reason).inc(),
    },
    () => notReadyReason(control?.health()),
  );
  const sweeper = setInterval(() => faultSource.sweep(), 1000);
  sweeper.unref();
  const accessLog = createAccessLog(options.accessLog ?? { kind: 'stdout' });
  const forwarders = { undici: createUndiciForwarder(), hpm: createHpmForwarder() };
  const faults = faultFilter({
    store,
    now,
    random,
    sleep: sleepWhileOpen,
    maxHangMs: options.maxHangMs ?? 300_000,
    customerHeader: () => mesh.table().customerHeader,
    allowHeaderFaults: options.allowHeaderFaults ?? false,
    // Per-rule counts live on the rule (GET /v1/faults); rule ids are unique per run, so never labels.
    onInjected: (call, _rule, kinds) => {
      for (const kind of kinds) metrics.faultsInjected.labels(kind, call.service!.name).inc();
    },
  });
  const handler = buildStack({
    table: mesh.table,
    record: createCallRecorder(metrics, accessLog?.logger),
    timeoutMs: options.timeoutMs ?? 15_000,
    retry: {
      random,
      sleep: sleepWhileOpen,
      onRetry: (call, reason) => metrics.retries.labels(call.service!.name, reason).inc(),
      onBudgetExhausted: (call) => metrics.retryBudgetExhausted.labels(call.service!.name).inc(),
    },
    choose: { home: { region: options.region, zone: options.zone }, now, recordSubset: createSubsetRecorder(metrics) },
    faults,
    forward: selectForwarder(forwarders, options.forwarder ?? 'undici'),
  });
  const proxy = createProxyServer({ handler, service: options.service, limits: options.listenerLimits });
  proxyServer = proxy;
  const countReload = (ok: boolean) => metrics.reloads.labels(ok ? 'ok' : 'rejected').inc();
  const reloadSource = mesh.reload;
  const reload = reloadSource
    ? (): ReloadResult => {
        const result = reloadSource();
        countReload(result.ok);
        return result;
      }
    : undefined;
  const admin = createAdminApp({
    state: mesh,
    now,
    metrics,
    identity: { service: options.service, region: options.region, zone: options.zone },
    token: options.adminToken,
    access: { listenHost: options.admin.host, hosts: options.adminHosts, origins: options.adminOrigins },
    startedAt: new Date(),
    inFlight: proxy.inFlight,
    onReload: countReload,
    faults: faultSource,
    maxFaultTtlMs: options.maxFaultTtlMs ?? 3_600_000,
    control: control ? () => control.health() : undefined,
    meshFile: options.meshFile,
  });

  const proxyAddr = await listen(proxy.server, options.listen);
  let adminServer: Server;
  try {
    // Its own small budget, apart from the data plane's, so an emergency halt
    // still gets through when the data plane is full: slow or idle admin
    // clients are cut, and a flood of them cannot take the descriptors.
    // Given at creation: Node fixes the interval that enforces the timeouts
    // (30 s by default) when the server is made, and a full budget of idle
    // sockets would hold a halt off that long.
    adminServer = createServer({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 }, admin);
    adminServer.maxConnections = ADMIN_MAX_CONNECTIONS;
    await listen(adminServer, options.admin);
  } catch (err) {
    proxy.server.close();
    throw err;
  }
  const adminAddr = adminServer.address() as AddressInfo;
  const adminUrl = `http://${formatHostPort(adminAddr.address, adminAddr.port)}`;
  // Connected once listening: the control plane is told where this proxy's admin API answers.
  control?.start({ adminUrl, table: mesh.table });
  const registration = options.registration ? new RegistrationClient({ timers: { ...realTimers, now }, ...options.registration }) : undefined;
  registration?.start();

  return {
    proxyUrl: `http://${formatHostPort(proxyAddr.address, proxyAddr.port)}`,
    adminUrl,
    metrics,
    faults: store,
    mesh,
    reload,
    async close(drainMs = 10_000) {
      clearInterval(sweeper);
      // Deregistered first, so callers stop sending to the app while in-flight requests drain.
      await registration?.close();
      const result = await proxy.shutdown(drainMs);
      adminServer.closeAllConnections();
      await new Promise<void>((resolve) => adminServer.close(() => resolve()));
      await control?.close();
      mesh.close();
      faultSource.close();
      await Promise.all([forwarders.undici.close(), forwarders.hpm.close()]);
      await accessLog?.close();
      return result;
    },
  };
}

/** What startProxy refuses before it listens, apart from the mesh file; `faultmesh proxy --check` runs it too. */
export function checkProxyOptions(options: ProxyOptions): void {
  checkAdminToken(options.adminToken);
  if (!isLoopback(options.admin.host) && !options.adminToken) throw new AdminExposedError(options.admin.host);
}

/** Thrown before anything listens: with neither a file nor a source, there is nothing to route with. */
function requireMeshFile(file: string | undefined): string {
  if (file === undefined) throw new TypeError('startProxy needs meshFile or meshSource');
  return file;
}

async function listen(server: Server, at: ListenAddress): Promise<AddressInfo> {
  server.listen(at.port, at.host);
  await once(server, 'listening');
  return server.address() as AddressInfo;
}
