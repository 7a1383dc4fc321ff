import { availableParallelism, hostname } from 'node:os';
import { addressSchema, FORWARDER_KINDS, serviceNameSchema } from '../../proxy/config/mesh-schema.js';
import { checkDuration } from '../../proxy/config/duration.js';
import { formatIssue } from '../../proxy/config/config-error.js';
import { loadMeshFile } from '../../proxy/config/load-mesh.js';
import { parseListenAddress } from '../../proxy/config/listen-address.js';
import { parseAdminHost, parseAdminOrigin } from '../../proxy/admin/admin-access.js';
import { checkAdminToken } from '../../proxy/admin/auth.js';
import { connectionBudget, maxConnectionsFor, openFileLimit } from '../../proxy/http/connection-limit.js';
import { startPrimary } from '../../proxy/cluster/primary.js';
import { checkProxyOptions, startProxy } from '../../proxy/proxy-app.js';
import { accessLogTarget } from '../../proxy/telemetry/access-log.js';
import { controlUrl, tokenOrNone } from '../control-target.js';
import { UsageError } from '../exit.js';
import { identityFlags, tlsFlags } from './proxy-tls-flags.js';
import { enrollFlags, exitOnEnrollmentFailure, withEnrollment } from './proxy-enroll-flags.js';
import { inboundFlags, inboundOf, registeredInboundAddress } from './proxy-inbound-flags.js';
import { traceFlags, tracingFlags } from './proxy-trace-flags.js';
export const proxyOptions = (y) => y
    .option('mesh', { type: 'string', requiresArg: true, describe: 'mesh file (YAML); with --control, the configuration until the control plane has one' })
    .option('control', { type: 'string', requiresArg: true, describe: 'control-plane URL(s), comma-separated, tried in turn (or FAULTMESH_CONTROL); the mesh and faults then come from there' })
    .option('control-token', { type: 'string', requiresArg: true, describe: 'bearer token for the control plane (or FAULTMESH_CONTROL_TOKEN)' })
    .option('id', { type: 'string', requiresArg: true, describe: "this proxy's id on the control plane (default <service>-<hostname>-<pid>)" })
    .option('register', { type: 'string', requiresArg: true, array: true, default: [], describe: 'register the app beside this sidecar as an instance of --service: id=host:port, or id=host:port,region=R,zone=Z to place it apart from --region/--zone, with ,label.KEY=VALUE for labels of this instance only (over --label); with --inbound, id alone: the instance is the inbound listener; with ,inbound=HOST:PORT (on every --register), this sidecar opens a mutual-TLS listener there for the app at host:port, and registers the listener (port 0: any free one); repeatable (needs --control)' })
    .option('label', { type: 'string', requiresArg: true, array: true, default: [], describe: 'a label of the registered instances: key=value; repeatable' })
    .option('health-path', { type: 'string', requiresArg: true, describe: 'GET this path on each registered instance before renewing; while it fails, the registration is left to end' })
    .option('register-ttl', { type: 'string', requiresArg: true, default: '10s', describe: 'lease of each registration, renewed at a third of it' })
    .option('listen', { type: 'string', requiresArg: true, default: '127.0.0.1:15001', describe: 'data-plane address' })
    .option('admin', { type: 'string', requiresArg: true, default: '127.0.0.1:15000', describe: 'admin API address (loopback unless a token is set)' })
    .option('service', { type: 'string', requiresArg: true, describe: 'the calling service this sidecar belongs to' })
    .option('region', { type: 'string', requiresArg: true, describe: "this proxy's region, for locality-aware balancing" })
    .option('zone', { type: 'string', requiresArg: true, describe: "this proxy's zone, for locality-aware balancing" })
    .option('timeout', { type: 'string', requiresArg: true, default: '15s', describe: 'how long a call may wait for response headers, retries included, when its service policy names no timeout' })
    .option('admin-token', { type: 'string', requiresArg: true, describe: 'bearer token for admin requests that change state (or FAULTMESH_ADMIN_TOKEN)' })
    .option('admin-host', { type: 'string', requiresArg: true, array: true, default: [], describe: 'a Host name the admin API answers to besides loopback ones (name or name:port); repeatable' })
    .option('admin-origin', { type: 'string', requiresArg: true, array: true, default: [], describe: 'a web origin allowed to change state through the admin API (https://ops.example); repeatable' })
    .option('forwarder', { type: 'string', requiresArg: true, default: 'undici', describe: "how calls are sent upstream, unless a service's `forwarder:` in the mesh says otherwise: undici (fast) or hpm (http-proxy-middleware); connection upgrades always go through hpm" })
    .option('access-log', { type: 'string', requiresArg: true, default: 'stdout', describe: 'stdout, off, or a file path' })
    .option('drain', { type: 'string', requiresArg: true, default: '10s', describe: 'on SIGTERM, how long in-flight requests may take to finish' })
    // No yargs default, so an explicit flag can be told apart (and noticed with --control, where it does not apply).
    .option('max-fault-ttl', { type: 'string', requiresArg: true, describe: "longest lease a fault rule may ask for on this proxy's admin API (default 1h); with --control, the control plane's --max-ttl bounds faults instead" })
    .option('max-hang', { type: 'string', requiresArg: true, default: '5m', describe: 'longest a hang fault holds a request' })
    .option('allow-header-faults', { type: 'boolean', default: false, describe: 'honour x-faultmesh-abort / x-faultmesh-delay request headers' })
    .option('headers-timeout', { type: 'string', requiresArg: true, default: '10s', describe: 'longest a client may take to send its request headers; slower ones get 408' })
    .option('request-timeout', { type: 'string', requiresArg: true, default: '5m', describe: 'longest a client may take to send a whole request, body included (0s: no limit)' })
    .option('idle-timeout', { type: 'string', requiresArg: true, default: '60s', describe: 'how long a keep-alive client connection may sit idle between requests' })
    .option('max-connections', { type: 'string', requiresArg: true, describe: 'client connections served at once; more get 503 (default 4096, less if the open-file limit is lower)' })
    .option('workers', { type: 'string', requiresArg: true, default: '1', describe: 'data-plane processes sharing the listen port: a number, or auto for one per core; with more than 1, this process keeps the admin API and the mesh and feeds the workers' })
    .option('check', { type: 'boolean', default: false, describe: 'check the flags (and the --mesh file) as a start would, print "flags OK" and exit, without listening or connecting' })
    .options(tlsFlags)
    .options(enrollFlags)
    .options(inboundFlags)
    .options(traceFlags);
function durationFlag(flag, text) {
    // At most 24h, like every wait in the mesh file: Node would fire a larger timer after 1 ms.
    const checked = checkDuration(text);
    if (!checked.ok)
        throw new UsageError(`--${flag}: ${checked.message}`);
    return checked.ms;
}
/**
 * --service, checked as the mesh file checks a service name: it labels this
 * proxy's calls (`source`), which metric probes select in lower case only.
 */
function serviceFlag(text) {
    if (text === undefined)
        return undefined;
    const name = serviceNameSchema.safeParse(text);
    if (!name.success)
        throw new UsageError(`--service: ${name.error.issues[0]?.message ?? 'not a service name'}`);
    return name.data;
}
/** A duration flag for which 0 would break the proxy rather than turn something off; `why` says what 0 would do. */
function positiveDurationFlag(flag, text, why) {
    const ms = durationFlag(flag, text);
    if (ms === 0)
        throw new UsageError(`--${flag}: must be more than 0s: ${why}`);
    return ms;
}
/** More than this many workers is a typo, not a machine. */
const MAX_WORKERS = 64;
/**
 * --workers: a whole number from 1 to MAX_WORKERS, or `auto` for one per
 * core (os.availableParallelism()).
 *
 * @example workersFlag('auto') // 2 on a 2-core machine
 */
export function workersFlag(text) {
    if (text.trim() === 'auto')
        return Math.min(MAX_WORKERS, availableParallelism());
    const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
    if (!(n >= 1 && n <= MAX_WORKERS))
        throw new UsageError(`--workers: "${text}" is not a number of workers: 1 to ${MAX_WORKERS}, or auto (one per core)`);
    return n;
}
/** --forwarder, checked here so a wrong one gets one line naming the flag, as every other flag does. */
function forwarderFlag(text) {
    const kind = FORWARDER_KINDS.find((k) => k === text);
    if (kind === undefined)
        throw new UsageError(`--forwarder: "${text}" is not a forwarder: ${FORWARDER_KINDS.join(' or ')}${FORWARDER_KINDS.includes(text.toLowerCase()) ? ` (write ${text.toLowerCase()})` : ''}`);
    return kind;
}
/** Starts the proxy from CLI flags: one process, or a cluster primary and its workers. */
export async function startFromArgs(args) {
    const workers = workersFlag(args.workers);
    const options = proxyOptionsOf(args);
    return workers === 1 ? startProxy(options) : startPrimary(options, { workers });
}
/**
 * Every check a start makes before it listens or connects, and nothing else:
 * `--check` runs exactly these, so a flag it accepts is one a start accepts.
 * The mesh file is read as the start reads it (the proxy's mesh, or the
 * fallback of a control-plane proxy: the same loader either way).
 */
export function checkFlags(args) {
    durationFlag('drain', args.drain);
    workersFlag(args.workers);
    const options = proxyOptionsOf(args);
    checkProxyOptions(options);
    if (options.meshFile !== undefined)
        loadMeshFile(options.meshFile);
}
/** The proxy's start options from its flags; a bad flag throws UsageError naming it. */
function proxyOptionsOf(args) {
    const listen = parseFlag(() => parseListenAddress('listen', args.listen));
    const admin = parseFlag(() => parseListenAddress('admin', args.admin));
    const control = controlOf(args);
    if (!control && args.mesh === undefined)
        throw new UsageError('give --mesh FILE, or --control URL to take the mesh from a control plane');
    // Not a local cap on pushed faults: the control plane holds each fault's lease for every proxy, and one proxy ending it early would disagree with the rest.
    if (control && args['max-fault-ttl'] !== undefined) {
        process.stderr.write("faultmesh: --max-fault-ttl does not apply to faults pushed by the control plane; their leases are bounded by the control plane's --max-ttl\n");
    }
    const identity = withEnrollment(args, control, identityFlags(args, serviceFlag(args.service)));
    const registers = args.register.map((text) => registerFlagOf(text, args.inbound !== undefined));
    const inbound = inboundOf(args, registers, { ...identity, workers: workersFlag(args.workers) });
    return {
        meshFile: args.mesh,
        control,
        registration: registrationOf(args, control, registers, inbound),
        listen,
        admin,
        ...identity,
        inbound,
        region: args.region,
        zone: args.zone,
        timeoutMs: positiveDurationFlag('timeout', args.timeout, 'every call would time out at once (504)'),
        adminToken: adminTokenOf(args),
        adminHosts: args['admin-host'].map((h) => parseFlag(() => parseAdminHost(h))),
        adminOrigins: args['admin-origin'].map((o) => parseFlag(() => parseAdminOrigin(o))),
        accessLog: accessLogTarget(args['access-log']),
        maxFaultTtlMs: positiveDurationFlag('max-fault-ttl', args['max-fault-ttl'] ?? '1h', 'every fault would end as it is added'),
        maxHangMs: positiveDurationFlag('max-hang', args['max-hang'], 'a hang fault would hold nothing'),
        allowHeaderFaults: args['allow-header-faults'],
        forwarder: forwarderFlag(args.forwarder),
        listenerLimits: listenerLimitsOf(args),
        tracing: tracingFlags(args),
    };
}
/** --control (or FAULTMESH_CONTROL) and its token; undefined for a proxy on its own mesh file. */
function controlOf(args) {
    const text = args.control ?? process.env.FAULTMESH_CONTROL;
    if (text === undefined)
        return undefined;
    const from = args.control === undefined ? 'FAULTMESH_CONTROL' : '--control';
    const urls = text.split(',').map((u) => u.trim()).filter(Boolean).map((u) => controlUrl(from, u));
    if (urls.length === 0)
        throw new UsageError(`${from}: give at least one control-plane URL (http://host:port)`);
    const tokenFlag = args['control-token'];
    const token = tokenFlag ?? process.env.FAULTMESH_CONTROL_TOKEN;
    // The token this proxy sends to the control plane, not one that guards its own admin API: named so.
    tokenOrNone(token, tokenFlag === undefined ? 'FAULTMESH_CONTROL_TOKEN' : '--control-token', 'control');
    const id = args.id ?? `${args.service ?? 'proxy'}-${hostname()}-${process.pid}`;
    if (!/^[A-Za-z0-9]([A-Za-z0-9._-]{0,198}[A-Za-z0-9])?$/.test(id))
        throw new UsageError(`--id: "${id}" is not an id: letters, digits, ".", "_" and "-"`);
    return { urls, token, id, log: (line) => process.stderr.write(`faultmesh: ${line}\n`) };
}
/** --register id=host:port (repeatable) with --service, --label k=v, --health-path and --register-ttl. */
function registrationOf(args, control, registers, inbound) {
    if (registers.length === 0) {
        if (args.label.length || args['health-path'] !== undefined)
            throw new UsageError('--label and --health-path describe registered instances: give --register id=host:port too');
        return undefined;
    }
    if (!control)
        throw new UsageError('--register needs --control URL: registrations are held by the control plane');
    const service = serviceFlag(args.service);
    if (service === undefined)
        throw new UsageError('--register needs --service NAME: the service the instances belong to');
    const instances = registers.map((r) => ({ ...r.instance, address: inbound ? registeredInboundAddress(r, inbound) : r.given.text }));
    const labels = {};
    for (const text of args.label) {
        const label = labelOf(text);
        if (!label)
            throw new UsageError(`--label: "${text}" is not key=value`);
        labels[label[0]] = label[1];
    }
    const healthPath = args['health-path'];
    if (healthPath !== undefined && !healthPath.startsWith('/'))
        throw new UsageError(`--health-path: "${healthPath}" must start with "/"`);
    const ttlMs = durationFlag('register-ttl', args['register-ttl']);
    if (ttlMs < 1_000)
        throw new UsageError('--register-ttl: at least 1s, so renewals (at a third of it) have time to arrive');
    return { urls: control.urls, token: control.token, service, instances, region: args.region, zone: args.zone, labels, ttlMs, healthPath, log: control.log };
}
/** `key=value` as --label takes it (a key without spaces or "="; any value), or undefined. */
function labelOf(text) {
    const m = /^([^=\s]+)=(.*)$/.exec(text);
    return m ? [m[1], m[2]] : undefined;
}
/**
 * One --register: id=host:port, optionally followed by ,region=R and ,zone=Z
 * for an instance placed elsewhere than the sidecar's own --region/--zone
 * (a sidecar fronting instances in several zones, as the demo's do), and by
 * ,label.KEY=VALUE for labels of this instance only, added to (and winning
 * over) the --label ones: one sidecar fronting a v1 and a v2 of the app.
 *
 * ,inbound=HOST:PORT puts the app behind a listener of this sidecar (proxy-inbound-flags.ts).
 *
 * @example registerFlagOf('pay-1=127.0.0.1:18111,region=eu-west,zone=eu-west-1a', false)
 * @example registerFlagOf('catalog-v2=127.0.0.1:18095,zone=eu-west-1a,label.version=v2,inbound=127.0.0.1:0', false)
 */
function registerFlagOf(text, oneApp) {
    const [head = '', ...rest] = text.split(',');
    const inboundParts = rest.filter((part) => part.startsWith('inbound='));
    if (inboundParts.length > 1)
        throw new UsageError(`--register: "${text}" gives inbound twice`);
    const inboundPart = inboundParts[0];
    // With --inbound (or inbound=, which then asks for the app) the address may be left out: the instance is the listener.
    const m = /^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)(?:=(.+))?$/.exec(head);
    const address = m?.[3] === undefined ? undefined : addressSchema.safeParse(m[3]);
    if (!m || (address ? !address.success : !oneApp && !inboundPart))
        throw new UsageError(`--register: "${text}" is not id${oneApp ? '[=host:port]' : '=host:port'}[,region=R][,zone=Z][,label.KEY=VALUE]${oneApp ? '' : '[,inbound=HOST:PORT]'} (for example payments-1${oneApp ? '' : '=127.0.0.1:18111'})`);
    const instance = { id: m[1] };
    const flag = { text, id: m[1], given: address?.data, inbound: inboundPart?.slice('inbound='.length), instance };
    for (const part of rest) {
        if (part.startsWith('inbound='))
            continue;
        if (part.startsWith('label.')) {
            const label = labelOf(part.slice('label.'.length));
            if (!label)
                throw new UsageError(`--register: "${part}" in "${text}" is not label.KEY=VALUE`);
            const labels = (instance.labels ??= {});
            if (Object.hasOwn(labels, label[0]))
                throw new UsageError(`--register: "${text}" gives label ${label[0]} twice`);
            labels[label[0]] = label[1];
            continue;
        }
        const kv = /^(region|zone)=(\S+)$/.exec(part);
        if (!kv)
            throw new UsageError(`--register: "${part}" in "${text}" is not region=R, zone=Z or label.KEY=VALUE (or inbound=HOST:PORT)`);
        if (instance[kv[1]] !== undefined)
            throw new UsageError(`--register: "${text}" gives ${kv[1]} twice`);
        instance[kv[1]] = kv[2];
    }
    return flag;
}
/** The admin token from --admin-token or FAULTMESH_ADMIN_TOKEN; a blank one is refused, naming where it came from. */
function adminTokenOf(args) {
    const flag = args['admin-token'];
    const token = flag ?? process.env.FAULTMESH_ADMIN_TOKEN;
    parseFlag(() => checkAdminToken(token, flag === undefined ? 'FAULTMESH_ADMIN_TOKEN' : '--admin-token'));
    return token;
}
/** The data plane's client limits from their flags; the headers must fit within the whole request. */
function listenerLimitsOf(args) {
    // Whole milliseconds: Node's server refuses fractions (0.5ms) with a stack trace.
    const headersTimeoutMs = Math.ceil(positiveDurationFlag('headers-timeout', args['headers-timeout'], 'it is what cuts clients that never finish their headers'));
    const requestTimeoutMs = Math.ceil(durationFlag('request-timeout', args['request-timeout']));
    const idleTimeoutMs = Math.ceil(positiveDurationFlag('idle-timeout', args['idle-timeout'], 'it is what closes idle keep-alive connections'));
    if (requestTimeoutMs !== 0 && headersTimeoutMs > requestTimeoutMs) {
        throw new UsageError(`--headers-timeout (${args['headers-timeout']}) must not be longer than --request-timeout (${args['request-timeout']})`);
    }
    const asked = args['max-connections'];
    // Read here, not by yargs, so a typo is echoed as typed rather than as NaN.
    if (asked !== undefined && !/^\s*\d+\s*$/.test(String(asked)))
        throw new UsageError(`--max-connections: "${asked}" is not a whole number of connections (1 or more)`);
    const maxConnections = parseFlag(() => maxConnectionsFor(asked === undefined ? undefined : Number(asked), connectionBudget(openFileLimit())));
    return { headersTimeoutMs, requestTimeoutMs, idleTimeoutMs, maxConnections };
}
function parseFlag(parse) {
    try {
        return parse();
    }
    catch (err) {
        throw new UsageError(err.message);
    }
}
/** SIGHUP reloads the mesh file; SIGTERM and SIGINT drain and exit 0. */
export function handleSignals(proxy, drainMs, onStop = async () => { }) {
    process.on('SIGHUP', () => {
        proxy.reloadIdentity?.();
        if (!proxy.reload)
            return void process.stderr.write('faultmesh: SIGHUP: the mesh comes from the control plane, nothing to reload\n');
        const result = proxy.reload();
        if (result.ok)
            process.stderr.write(`faultmesh: reloaded mesh file (${result.services} services)\n`);
        else
            process.stderr.write(`faultmesh: mesh file rejected, keeping the running configuration:\n${result.issues.map(formatIssue).join('\n')}\n`);
    });
    let stopping = false;
    const stop = async (signal) => {
        if (stopping)
            return;
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
    handler: async (args) => {
        if (args.check) {
            checkFlags(args);
            return void process.stderr.write('faultmesh: flags OK\n');
        }
        const drainMs = durationFlag('drain', args.drain);
        const proxy = await startFromArgs(args).catch(exitOnEnrollmentFailure);
        const workers = 'workers' in proxy ? ` (${workersFlag(args.workers)} workers)` : '';
        // Every listener's real address on the one start line: callers learn the ports given as 0 from it.
        const inbound = (proxy.inbound ?? []).map((l) => `, inbound ${l.instance === undefined ? '' : `${l.instance} `}on ${l.url} -> app ${l.app}`).join('');
        process.stderr.write(`faultmesh: proxy on ${proxy.proxyUrl}${workers}${inbound}, admin on ${proxy.adminUrl}\n`);
        handleSignals(proxy, drainMs);
    },
};
//# sourceMappingURL=proxy.js.map