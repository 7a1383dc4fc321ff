import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAdminToken } from '../proxy/admin/auth.js';
import { formatHostPort, isLoopback, type ListenAddress } from '../proxy/config/listen-address.js';
import type { CertificateAuthority } from './ca/authority.js';
import { DEFAULT_LEAF_TTL_MS } from './ca/leaf-limits.js';
import { JoinTokens } from './ca/join-tokens.js';
import type { ControlContext } from './api/context.js';
import { createControlMetrics } from './api/control-metrics.js';
import { createControlApp } from './api/control-app.js';
import { keysUnder } from './keys.js';
import { DesiredState } from './push/desired-state.js';
import { ObservedProxies } from './push/observed-proxies.js';
import { StreamHub } from './push/stream-hub.js';
import { storeEpoch } from './replica/epoch.js';
import { DeadlineRecordingStore, readDeadlines } from './replica/lease-deadlines.js';
import { startReplicaDuties } from './replica/replica.js';
import { adoptPeerVersion } from './replica/replica-status.js';
import { MemoryStore } from './store/memory/memory-store.js';
import type { Store } from './store/store.js';
import { realTimers, type Timers } from '../proxy/core/timers.js';

export interface ControlPlaneOptions {
  readonly listen: ListenAddress;
  /** The store to serve; default: a memory store (with `dataDir`, its unleased keys survive a restart). */
  readonly store?: Store | undefined;
  readonly dataDir?: string | undefined;
  /** Required on every state change, on the proxies' streams and on their acks and reports. */
  readonly token?: string | undefined;
  readonly adminHosts?: readonly string[] | undefined;
  readonly adminOrigins?: readonly string[] | undefined;
  /** Clock and timers for leases, pings and status ages; tests pass fake ones. */
  readonly timers?: Timers | undefined;
  readonly now?: (() => number) | undefined;
  /** Longest lease a fault, registration or override may ask for with a ttl (default 1 h). */
  readonly maxTtlMs?: number | undefined;
  /** Where a shared store is (etcd endpoints), for messages. */
  readonly storeName?: string | undefined;
  /** On a shared store: how often lease remainders are re-read for proxies (default 1 s) and the store is probed (StoreHealth). */
  readonly leasePollMs?: number | undefined;
  /** The mesh's CA (--ca-dir, opened by the caller): without it no certificate is issued (501 NO_CA). */
  readonly ca?: CertificateAuthority | undefined;
  /** Lifetime of each certificate the CA issues (--cert-ttl, default 24h). */
  readonly certTtlMs?: number | undefined;
  /** Lines worth an operator's eye (each certificate issued or refused); default: stderr. */
  readonly log?: ((line: string) => void) | undefined;
}

export interface RunningControlPlane {
  readonly url: string;
  readonly store: Store;
  /** Ends every proxy stream, stops listening, and closes the store if it opened it. */
  close(): Promise<void>;
}

/** Refused before anything listens: the control plane changes every proxy's traffic. */
export class ControlExposedError extends Error {
  // The CLI treats this code as a refused flag (exit 2), as it does for a proxy's admin.
  readonly code = 'ADMIN_EXPOSED';
  override readonly name = 'ControlExposedError';
  constructor(host: string) {
    super(`refusing to serve the control plane on non-loopback address ${host} without a token: set --token or FAULTMESH_CONTROL_TOKEN`);
  }
}

/**
 * The rules a start would refuse, checked before anything listens or
 * connects; `faultmesh control --check` runs them too, so it passes only a
 * command line the real start accepts.
 * @example checkControlOptions({ listen: { host: '0.0.0.0', port: 15100 } }) // throws ControlExposedError
 */
export function checkControlOptions(options: Pick<ControlPlaneOptions, 'listen' | 'token'>): void {
  checkAdminToken(options.token, 'the control token', 'the control plane');
  if (!isLoopback(options.listen.host) && !options.token) throw new ControlExposedError(options.listen.host);
}

/**
 * Starts `faultmesh control`. The pieces, in the order requests meet them:
 * the store (desired state), the desired-state watcher over it, the
 * observed state of each proxy, the stream hub that pushes every version,
 * and the HTTP API in front.
 */
export async function startControlPlane(options: ControlPlaneOptions): Promise<RunningControlPlane> {
  checkControlOptions(options);
  const timers = options.timers ?? realTimers;
  const now = options.now ?? (() => timers.now());
  const ownStore = options.store === undefined;
  const given: Store = options.store ?? new MemoryStore({ dataDir: options.dataDir, timers });
  const keys = keysUnder();
  // A shared store's leases get a recorded deadline beside them (etcd renews every lease in full when it restarts).
  const store: Store = given.shared ? new DeadlineRecordingStore(given, keys, now) : given;
  const processStartedAt = new Date(now());
  const desired = new DesiredState(store, keys, now, store.shared ? () => readDeadlines(store, keys) : undefined, timers);
  let startedAt: string;
  try {
    startedAt = await storeEpoch(store, keys, now);
    await desired.start();
    if (store.shared) await adoptPeerVersion(store, keys, desired);
  } catch (err) {
    if (ownStore) await store.close();
    throw err;
  }
  const observed = new ObservedProxies(now);
  const hub = new StreamHub(desired, observed, timers);
  const replica = store.shared ? startReplicaDuties({ store, raw: given, keys, desired, observed, hub, timers, now, pollMs: options.leasePollMs }) : undefined;
  const ctx: ControlContext = {
    store: replica?.reads ?? store,
    keys,
    desired,
    observed,
    everyProxy: async () => (replica ? replica.everyProxy() : observed.list()),
    now,
    health: replica?.health,
    publishError: replica && (() => replica.publishError()),
    maxTtlMs: options.maxTtlMs ?? 3_600_000,
  };
  const log = options.log ?? ((line: string) => process.stderr.write(`faultmesh: ${line}\n`));
  // The real store, not the last-seen reads: a replica that cannot reach etcd must not honour a token revoked meanwhile.
  const tokens = new JoinTokens(store, keys, now);
  const metrics = createControlMetrics();
  const issuance = options.ca && {
    ca: options.ca,
    tokens,
    certTtlMs: options.certTtlMs ?? DEFAULT_LEAF_TTL_MS,
    log,
    onIssued: (service: string) => metrics.certificatesIssued.labels(service).inc(),
    onRefused: (code: string) => metrics.certificatesRefused.labels(code).inc(),
  };
  const ca = { tokens, issuance, metrics };
  const app = createControlApp({ ctx, hub, token: options.token, access: { listenHost: options.listen.host, hosts: options.adminHosts, origins: options.adminOrigins }, startedAt, processStartedAt, storeName: options.storeName, ca });

  const server: Server = app.listen(options.listen.port, options.listen.host);
  try {
    await once(server, 'listening');
  } catch (err) {
    await replica?.stop();
    hub.close();
    desired.stop();
    if (ownStore) await store.close();
    throw err;
  }
  // Streams are long-lived by design; only the time to send request headers is bounded.
  server.requestTimeout = 0;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  const addr = server.address() as AddressInfo;
  const url = `http://${formatHostPort(addr.address, addr.port)}`;
  replica?.start(url);
  return {
    url,
    store,
    async close() {
      await replica?.stop();
      hub.close();
      desired.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownStore) await store.close();
    },
  };
}
