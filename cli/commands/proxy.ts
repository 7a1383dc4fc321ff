import type { Argv } from 'yargs';
import { parseDuration } from '../../proxy/config/duration.js';
import { formatIssue } from '../../proxy/config/config-error.js';
import { parseListenAddress } from '../../proxy/config/listen-address.js';
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
    .option('access-log', { type: 'string', default: 'stdout', describe: 'stdout, off, or a file path' })
    .option('drain', { type: 'string', default: '10s', describe: 'on SIGTERM, how long in-flight requests may take to finish' })
    .option('max-fault-ttl', { type: 'string', default: '1h', describe: 'longest lease a fault rule may ask for' })
    .option('max-hang', { type: 'string', default: '5m', describe: 'longest a hang fault holds a request' })
    .option('allow-header-faults', { type: 'boolean', default: false, describe: 'honour x-faultmesh-abort / x-faultmesh-delay request headers' });

export type ProxyArgs = Awaited<ReturnType<typeof proxyOptions>['argv']>;

function durationFlag(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`--${flag}: "${text}" is not a duration (250ms, 2s, 1m)`);
  return ms;
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
    adminToken: args['admin-token'] ?? process.env.FAULTMESH_ADMIN_TOKEN,
    accessLog: accessLogTarget(args['access-log']),
    maxFaultTtlMs: durationFlag('max-fault-ttl', args['max-fault-ttl']),
    maxHangMs: durationFlag('max-hang', args['max-hang']),
    allowHeaderFaults: args['allow-header-faults'],
  });
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
