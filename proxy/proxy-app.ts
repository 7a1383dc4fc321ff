import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminApp, notReadyReason, type AdminDeps } from './admin/admin-app.js';
import { checkAdminToken } from './admin/auth.js';
import { formatHostPort, isLoopback, type ListenAddress } from './config/listen-address.js';
import { ADMIN_MAX_CONNECTIONS } from './http/connection-limit.js';
import type { ProxyServer } from './http/proxy-server.js';
import type { FaultStore } from './faults/fault-store.js';
import { MeshState, type ReloadResult } from './mesh-state.js';
import { localFaultSource, type FaultSource } from './sources/fault-source.js';
import { FileMeshSource } from './sources/file-mesh-source.js';
import type { MeshSource } from './sources/mesh-source.js';
// The control-plane clients are loaded only with --control / --register: they bring all of undici (fetch, streams
// of events), several MiB of a sidecar's memory that a proxy on a mesh file never uses.
import type { ControlClient, ControlClientOptions } from './sources/control/control-client.js';
import type { RegistrationOptions } from './sources/control/registration-client.js';
import { realTimers } from './core/timers.js';
import type { Random } from './routing/balancer.js';
import { createDataPlane, listen, type DataPlaneOptions } from './data-plane.js';
import { createMetrics, type Metrics } from './telemetry/metrics.js';
import { instanceStates } from './admin/instance-state.js';
import { openFileIdentity, type IdentityReload } from './identity/file-identity.js';
import type { EnrollmentSettings } from './identity/enrollment.js';
import { inboundListeners, listenInbound, type InboundListener } from './transport/inbound-plane.js';
import { registeredAtInbound, type ListeningInbound } from './transport/inbound-registration.js';
import type { InboundServer } from './transport/inbound-server.js';

/** Everything a proxy takes; the data plane's own part is DataPlaneOptions (data-plane.ts). */
export interface ProxyOptions extends DataPlaneOptions {
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
  readonly admin: ListenAddress;
  readonly adminToken?: string | undefined;
  /** More Host names the admin API answers to, besides loopback ones (--admin-host). */
  readonly adminHosts?: readonly string[] | undefined;
  /** Web origins that may change state through the admin API (--admin-origin). */
  readonly adminOrigins?: readonly string[] | undefined;
  /** Source of randomness for weighted routes, balancing and unseeded fault rules; seed it to replay a run. */
  readonly random?: Random;
  /** Clock for fault leases, ejections and latency averages; tests pass a controllable one. */
  readonly now?: () => number;
  /** Longest lease a fault may ask for (default 1 h). */
  readonly maxFaultTtlMs?: number;
  /** Where the identity source's lines go (loaded, reloaded, refused, expiring); default stderr. */
  readonly log?: ((line: string) => void) | undefined;
  /** The identity from the control plane's CA (--join-token), with `identity: { kind: 'control' }`. */
  readonly enrollment?: EnrollmentSettings | undefined;
}

export interface RunningProxy {
  readonly proxyUrl: string;
  readonly adminUrl: string;
  /** The inbound listeners, one per `inbound` entry of the options, in their order (port 0 resolved). */
  readonly inbound?: readonly InboundListener[] | undefined;
  readonly metrics: Metrics;
  readonly faults: FaultStore;
  readonly mesh: MeshState;
  /** Reads the mesh file again (SIGHUP); undefined when the mesh is pushed by a control plane. */
  readonly reload: (() => ReloadResult) | undefined;
  /** Reads the identity files again (SIGHUP); undefined without --cert/--key/--ca. */
  readonly reloadIdentity?: (() => IdentityReload) | undefined;
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
  let inboundServers: readonly InboundServer[] = [];
  // First: a sidecar with a join token listens only once it holds its certificate (EnrollmentError otherwise).
  const enrolled = await openEnrollment(options, now);
  const { control, faultSource, meshSource } = await openSources(options, now, random);
  const store = faultSource.store;
  const metrics = createMetrics({
    activeFaults: () => store.list().length,
    inFlight: () => inboundServers.reduce((n, s) => n + s.inFlight(), proxyServer?.inFlight() ?? 0),
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
  const identity = openFileIdentity(options);
  const dataPlane = createDataPlane(options, { store, mesh, metrics, random, now, identity: identity?.holder ?? enrolled?.holder });
  const proxy = dataPlane.proxy;
  proxyServer = proxy;
  inboundServers = dataPlane.inbound;
  const holder = identity?.holder ?? enrolled?.holder;
  const { admin, reload } = adminFor(options, { mesh, metrics, faultSource, control, now, inFlight: proxy.inFlight, certificate: holder && (() => holder.describe()) });

  // Spans on from the first request when the flags or the mesh ask for them (the exporter loads first).
  await dataPlane.ready();
  const proxyAddr = await listen(proxy.server, options.listen);
  let adminServer: Server;
  let listening: ListeningInbound[];
  try {
    listening = await listenInbound(inboundServers, options.inbound);
    adminServer = await listenAdmin(admin, options.admin);
  } catch (err) {
    proxy.server.close();
    for (const s of inboundServers) s.server.close();
    throw err;
  }
  // With inbound listeners, the instance callers are given is its listener (port 0 resolved), not the app.
  const registered = listening.length > 0 && options.registration ? { ...options, registration: registeredAtInbound(options.registration, listening) } : options;
  const { adminUrl, registration } = await startControlSide(adminServer, control, mesh, registered, now);

  return {
    proxyUrl: `http://${formatHostPort(proxyAddr.address, proxyAddr.port)}`,
    adminUrl,
    inbound: inboundListeners(listening),
    metrics,
    faults: store,
    mesh,
    reload,
    reloadIdentity: identity && (() => identity.reload()),
    async close(drainMs = 10_000) {
      clearInterval(sweeper);
      identity?.close();
      await enrolled?.enrollment.close();
      // Deregistered first, so callers stop sending to the app while in-flight requests drain.
      await registration?.close();
      const [result, ...inbound] = await Promise.all([proxy.shutdown(drainMs), ...inboundServers.map((s) => s.shutdown(drainMs))]);
      await closeAdminSide(adminServer, control, mesh, faultSource);
      await dataPlane.release();
      return inbound.reduce((all, r) => ({ drained: all.drained && r.drained, cut: all.cut + r.cut }), result);
    },
  };
}

/**
 * With --join-token: the first certificate from the control plane's CA, in
 * a holder it keeps renewing; undefined otherwise. The enrollment module
 * (and the X.509 library it needs for CSRs) is loaded only then.
 */
export async function openEnrollment(options: ProxyOptions, now: () => number) {
  if (!options.enrollment) return undefined;
  const { enroll } = await import('./identity/enrollment.js');
  const log = options.log ?? ((line: string) => process.stderr.write(`faultmesh: ${line}\n`));
  return enroll(options.enrollment, { timers: { ...realTimers, now }, random: options.random, log });
}

/** Where the mesh and the fault rules come from: a control plane (--control), or the mesh file and this proxy's admin API. */
export async function openSources(options: ProxyOptions, now: () => number, random: Random) {
  const control = options.control
    ? new (await import('./sources/control/control-client.js')).ControlClient({ service: options.service, region: options.region, zone: options.zone, fallbackFile: options.meshFile, timers: { ...realTimers, now }, random, ...options.control })
    : undefined;
  const faultSource: FaultSource = options.faultSource ?? control?.faults ?? localFaultSource(now, random);
  const meshSource: MeshSource = options.meshSource ?? control?.mesh ?? new FileMeshSource(requireMeshFile(options.meshFile));
  return { control, faultSource, meshSource };
}

/** The registration of the app beside this sidecar (--register), when there is one; not started. */
export async function openRegistration(options: ProxyOptions, now: () => number) {
  if (!options.registration) return undefined;
  const { RegistrationClient } = await import('./sources/control/registration-client.js');
  return new RegistrationClient({ timers: { ...realTimers, now }, ...options.registration });
}

/** The admin API's listener, listening on `at`. */
export async function listenAdmin(app: RequestListener, at: ListenAddress): Promise<Server> {
  // Its own small budget, apart from the data plane's, so an emergency halt
  // still gets through when the data plane is full: slow or idle admin
  // clients are cut, and a flood of them cannot take the descriptors.
  // Given at creation: Node fixes the interval that enforces the timeouts
  // (30 s by default) when the server is made, and a full budget of idle
  // sockets would hold a halt off that long.
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 }, app);
  server.maxConnections = ADMIN_MAX_CONNECTIONS;
  await listen(server, at);
  return server;
}

/**
 * Once the admin API listens: the control plane is told where it answers,
 * and the app beside this sidecar is registered. The admin API's URL and the
 * registration (to close first on the way down).
 */
export async function startControlSide(adminServer: Server, control: ControlClient | undefined, mesh: MeshState, options: ProxyOptions, now: () => number) {
  const adminAddr = adminServer.address() as AddressInfo;
  const adminUrl = `http://${formatHostPort(adminAddr.address, adminAddr.port)}`;
  control?.start({ adminUrl, table: mesh.table });
  const registration = await openRegistration(options, now);
  registration?.start();
  return { adminUrl, registration };
}

/** After the data plane has drained: the admin API, the control connection and the sources, in that order. */
export async function closeAdminSide(adminServer: Server, control: ControlClient | undefined, mesh: MeshState, faultSource: FaultSource): Promise<void> {
  adminServer.closeAllConnections();
  await new Promise<void>((resolve) => adminServer.close(() => resolve()));
  await control?.close();
  mesh.close();
  faultSource.close();
}

/** What the admin API runs on; the cluster primary gives its own metrics, in-flight count and workers. */
export interface AdminParts {
  readonly mesh: MeshState;
  readonly metrics: Metrics;
  readonly faultSource: FaultSource;
  readonly control: ControlClient | undefined;
  readonly now: () => number;
  readonly inFlight: () => number;
  readonly workers?: AdminDeps['workers'];
  readonly certificate?: AdminDeps['certificate'];
}

/**
 * The admin app of a proxy, one process or a cluster's primary, and the
 * reload that SIGHUP runs (undefined when the mesh is pushed): both count
 * reloads in metrics, whoever asked.
 */
export function adminFor(options: ProxyOptions, parts: AdminParts): { admin: ReturnType<typeof createAdminApp>; reload: (() => ReloadResult) | undefined } {
  const { mesh, metrics, control } = parts;
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
    now: parts.now,
    metrics,
    identity: { service: options.service, region: options.region, zone: options.zone },
    token: options.adminToken,
    access: { listenHost: options.admin.host, hosts: options.adminHosts, origins: options.adminOrigins },
    startedAt: new Date(),
    inFlight: parts.inFlight,
    onReload: countReload,
    faults: parts.faultSource,
    maxFaultTtlMs: options.maxFaultTtlMs ?? 3_600_000,
    control: control ? () => control.health() : undefined,
    meshFile: options.meshFile,
    forwarder: options.forwarder,
    workers: parts.workers,
    certificate: parts.certificate,
  });
  return { admin, reload };
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
