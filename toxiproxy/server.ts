import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAdminToken } from '../proxy/admin/auth.js';
import { formatHostPort, isLoopback, type ListenAddress } from '../proxy/config/listen-address.js';
import { realTimers, type Timers } from '../proxy/core/timers.js';
import { createToxiproxyApp } from './api/toxiproxy-app.js';
import { applyToxiproxyConfig, type ToxiproxyConfig } from './config/load-config.js';
import { createToxiproxyMetrics } from './metrics.js';
import { ControlRegistry } from './registry/control-registry.js';
import { LocalRegistry } from './registry/local-registry.js';

/** Refused at start: an API that changes traffic, reachable from other hosts, with no token. */
export class ToxiproxyExposedError extends Error {
  // The CLI treats this code as a refused flag (exit 2), as it does for the admin API and the control plane.
  readonly code = 'ADMIN_EXPOSED';
  override readonly name = 'ToxiproxyExposedError';
  constructor(host: string) {
    super(`refusing to serve the Toxiproxy API on non-loopback address ${host} without a token: set --token or FAULTMESH_TOXIPROXY_TOKEN (Toxiproxy's clients cannot send one, so keep it on loopback for them)`);
  }
}

export interface ToxiproxyServerOptions {
  /** The API's address (Toxiproxy's port is 8474). */
  readonly listen: ListenAddress;
  /** Host names the API answers to besides loopback ones and its listen address (--host). */
  readonly hosts?: readonly string[] | undefined;
  /** Bearer token every state change needs (--token); required off loopback. */
  readonly token?: string | undefined;
  /** Proxies and toxics to create before the API listens (--config). */
  readonly config?: ToxiproxyConfig | undefined;
  /** The clock toxic leases run on. */
  readonly timers?: Timers | undefined;
  /** Toxicity rolls (seeded with --seed). */
  readonly random?: (() => number) | undefined;
  /** faultmesh's version, for /version. */
  readonly version: string;
  /** --control: the proxies and toxics live in the control plane, shared by every process on it. */
  readonly control?: ToxiproxyControlOptions | undefined;
  /** Lines worth an operator's eye (--control: the control plane lost and back, a port this host cannot bind); default: stderr. */
  readonly log?: ((line: string) => void) | undefined;
}

export interface ToxiproxyControlOptions {
  readonly urls: readonly string[];
  readonly token?: string | undefined;
  /** The clock of back-off and listen retries (the toxics' leases run on `timers`). */
  readonly retryTimers?: Timers | undefined;
  /** How long each long poll of the control plane waits. */
  readonly pollWaitMs?: number | undefined;
}

export interface RunningToxiproxy {
  /** The API's base URL, e.g. http://127.0.0.1:8474. */
  readonly url: string;
  readonly registry: LocalRegistry | ControlRegistry;
  /** Closes the API and every proxy with its connections (with --control, the set stays in the control plane). */
  close(): Promise<void>;
}

/** What a start would refuse, checked before anything listens: the CLI runs it on the flags first. */
export function checkToxiproxyOptions(options: Pick<ToxiproxyServerOptions, 'listen' | 'token'>): void {
  checkAdminToken(options.token, 'the Toxiproxy API token', 'the Toxiproxy API');
  if (!isLoopback(options.listen.host) && !options.token) throw new ToxiproxyExposedError(options.listen.host);
}

/**
 * Starts `faultmesh toxiproxy`: the registry, the --config proxies in it,
 * then the API. Anything that fails on the way closes what was started,
 * so a failed start leaves no listener behind. The registry is local, or
 * with --control the control plane's (its set taken first: a control plane
 * out of reach fails the start with a ControlFailure); both are handed to
 * the same API.
 */
export async function startToxiproxyServer(options: ToxiproxyServerOptions): Promise<RunningToxiproxy> {
  checkToxiproxyOptions(options);
  const timers = options.timers ?? realTimers;
  const control = options.control;
  const registry = control
    ? new ControlRegistry({ urls: control.urls, token: control.token, timers, retryTimers: control.retryTimers, random: options.random, log: options.log, pollWaitMs: control.pollWaitMs })
    : new LocalRegistry({ timers, random: options.random });
  let server: Server | undefined;
  try {
    if (registry instanceof ControlRegistry) await registry.connect();
    if (options.config) await applyToxiproxyConfig(registry, options.config);
    const metrics = createToxiproxyMetrics(registry);
    const app = createToxiproxyApp({
      registry,
      metrics: metrics.registry,
      access: { listenHost: options.listen.host, hosts: options.hosts ?? [], token: options.token },
      version: options.version,
      startedAt: new Date(timers.now()),
      now: () => timers.now(),
      control: registry instanceof ControlRegistry ? () => registry.control() : undefined,
    });
    server = app.listen(options.listen.port, options.listen.host);
    await once(server, 'listening');
  } catch (err) {
    server?.close();
    await registry.close();
    throw err;
  }
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const addr = server.address() as AddressInfo;
  const running = server;
  return {
    url: `http://${formatHostPort(addr.address, addr.port)}`,
    registry,
    async close() {
      const closed = new Promise<void>((resolve) => running.close(() => resolve()));
      running.closeAllConnections();
      await Promise.all([closed, registry.close()]);
    },
  };
}
