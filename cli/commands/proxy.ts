import type { Argv } from 'yargs';
import { checkDuration } from '../../proxy/config/duration.js';
import { formatIssue } from '../../proxy/config/config-error.js';
import { parseListenAddress } from '../../proxy/config/listen-address.js';
import { parseAdminHost, parseAdminOrigin } from '../../proxy/admin/admin-access.js';
import { checkAdminToken } from '../../proxy/admin/auth.js';
import { connectionBudget, maxConnectionsFor, openFileLimit } from '../../proxy/http/connection-limit.js';
import type { ListenerLimits } from '../../proxy/http/proxy-server.js';
import { startProxy, type RunningProxy } from '../../proxy/proxy-app.js';
import { accessLogTarget } from '../../proxy/telemetry/access-log.js';
import { UsageError } from '../exit.js';

export const proxyOptions = (y: Argv) =>
  y
    .option('mesh', { type: 'string', demandOption: true, describe: 'mesh file (YAML)' })
    .option('listen', { type: 'string', default: '127.0.0.1:15001', describe: 'data-plane address' })
    .option('admin', { type: 'string', default: '127.0.0.1:15000', describe: 'admin API address (loopback unless a token is set)' })
    .option('service', { type: 'string', describe: 'the calling service this sidecar belongs to' })
    .option('region', { type: 'string', describe: "this proxy's region, for locality-aware balancing" })
    .option('zone', { type: 'string', describe: "this proxy's zone, for locality-aware balancing" })
    .option('timeout', { type: 'string', default: '15s', describe: 'how long a call may wait for response headers, retries included, when its service policy names no timeout' })
    .option('admin-token', { type: 'string', describe: 'bearer token for admin requests that change state (or FAULTMESH_ADMIN_TOKEN)' })
    .option('admin-host', { type: 'string', array: true, default: [] as string[], describe: 'a Host name the admin API answers to besides loopback ones (name or name:port); repeatable' })
    .option('admin-origin', { type: 'string', array: true, default: [] as string[], describe: 'a web origin allowed to change state through the admin API (https://ops.example); repeatable' })
    .option('access-log', { type: 'string', default: 'stdout', describe: 'stdout, off, or a file path' })
    .option('drain', { type: 'string', default: '10s', describe: 'on SIGTERM, how long in-flight requests may take to finish' })
    .option('max-fault-ttl', { type: 'string', default: '1h', describe: 'longest lease a fault rule may ask for' })
    .option('max-hang', { type: 'string', default: '5m', describe: 'longest a hang fault holds a request' })
    .option('allow-header-faults', { type: 'boolean', default: false, describe: 'honour x-faultmesh-abort / x-faultmesh-delay request headers' })
    .option('headers-timeout', { type: 'string', default: '10s', describe: 'longest a client may take to send its request headers; slower ones get 408' })
    .option('request-timeout', { type: 'string', default: '5m', describe: 'longest a client may take to send a whole request, body included (0s: no limit)' })
    .option('idle-timeout', { type: 'string', default: '60s', describe: 'how long a keep-alive client connection may sit idle between requests' })
    .option('max-connections', { type: 'number', describe: 'client connections served at once; more get 503 (default 4096, less if the open-file limit is lower)' });

export type ProxyArgs = Awaited<ReturnType<typeof proxyOptions>['argv']>;

function durationFlag(flag: string, text: string): number {
  // At most 24h, like every wait in the mesh file: Node would fire a larger timer after 1 ms.
  const checked = checkDuration(text);
  if (!checked.ok) throw new UsageError(`--${flag}: ${checked.message}`);
  return checked.ms;
}

/** Starts the proxy from CLI flags; shared by `proxy` and `demo`. */
export async function startFromArgs(args: ProxyArgs): Promise<RunningProxy> {
  const listen = parseFlag(() => parseListenAddress('listen', args.listen));
  const admin = parseFlag(() => parseListenAddress('admin', args.admin));
  return startProxy({
    meshFile: args.mesh,
    listen,
    admin,
    service: args.service,
    region: args.region,
    zone: args.zone,
    timeoutMs: durationFlag('timeout', args.timeout),
    adminToken: adminTokenOf(args),
    adminHosts: args['admin-host'].map((h) => parseFlag(() => parseAdminHost(h))),
    adminOrigins: args['admin-origin'].map((o) => parseFlag(() => parseAdminOrigin(o))),
    accessLog: accessLogTarget(args['access-log']),
    maxFaultTtlMs: durationFlag('max-fault-ttl', args['max-fault-ttl']),
    maxHangMs: durationFlag('max-hang', args['max-hang']),
    allowHeaderFaults: args['allow-header-faults'],
    listenerLimits: listenerLimitsOf(args),
  });
}

/** The admin token from --admin-token or FAULTMESH_ADMIN_TOKEN; a blank one is refused, naming where it came from. */
function adminTokenOf(args: ProxyArgs): string | undefined {
  const flag = args['admin-token'];
  const token = flag ?? process.env.FAULTMESH_ADMIN_TOKEN;
  parseFlag(() => checkAdminToken(token, flag === undefined ? 'FAULTMESH_ADMIN_TOKEN' : '--admin-token'));
  return token;
}

/** The data plane's client limits from their flags; the headers must fit within the whole request. */
function listenerLimitsOf(args: ProxyArgs): ListenerLimits {
  // Whole milliseconds: Node's server refuses fractions (0.5ms) with a stack trace.
  const headersTimeoutMs = Math.ceil(durationFlag('headers-timeout', args['headers-timeout']));
  const requestTimeoutMs = Math.ceil(durationFlag('request-timeout', args['request-timeout']));
  const idleTimeoutMs = Math.ceil(durationFlag('idle-timeout', args['idle-timeout']));
  if (headersTimeoutMs === 0) throw new UsageError('--headers-timeout: must be more than 0s: it is what cuts clients that never finish their headers');
  if (idleTimeoutMs === 0) throw new UsageError('--idle-timeout: must be more than 0s: it is what closes idle keep-alive connections');
  if (requestTimeoutMs !== 0 && headersTimeoutMs > requestTimeoutMs) {
    throw new UsageError(`--headers-timeout (${args['headers-timeout']}) must not be longer than --request-timeout (${args['request-timeout']})`);
  }
  const maxConnections = parseFlag(() => maxConnectionsFor(args['max-connections'], connectionBudget(openFileLimit())));
  return { headersTimeoutMs, requestTimeoutMs, idleTimeoutMs, maxConnections };
}

function parseFlag<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** SIGHUP reloads the mesh file; SIGTERM and SIGINT drain and exit 0. */
export function handleSignals(proxy: RunningProxy, drainMs: number, onStop: () => Promise<void> = async () => {}): void {
  process.on('SIGHUP', () => {
    const result = proxy.reload();
    if (result.ok) process.stderr.write(`faultmesh: reloaded mesh file (${result.services} services)\n`);
    else process.stderr.write(`faultmesh: mesh file rejected, keeping the running configuration:\n${result.issues.map(formatIssue).join('\n')}\n`);
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`faultmesh: ${signal}: draining in-flight requests (up to ${drainMs}ms)\n`);
    const { drained, cut } = await proxy.close(drainMs);
    await onStop();
    process.stderr.write(drained ? 'faultmesh: stopped cleanly\n' : `faultmesh: stopped, ${cut} request(s) cut off after the drain period\n`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

export const proxyCommand = {
  command: 'proxy',
  describe: 'run the faultmesh data-plane proxy',
  builder: proxyOptions,
  handler: async (args: ProxyArgs) => {
    const drainMs = durationFlag('drain', args.drain);
    const proxy = await startFromArgs(args);
    process.stderr.write(`faultmesh: proxy on ${proxy.proxyUrl}, admin on ${proxy.adminUrl}\n`);
    handleSignals(proxy, drainMs);
  },
};
