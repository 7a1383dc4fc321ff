import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from './config/listen-address.js';
import type { FaultStore } from './faults/fault-store.js';
import { faultFilter } from './faults/fault-filter.js';
import { sleepWhileOpen } from './faults/sleep.js';
import { selectForwarder, type ForwarderKind } from './forward/forwarder.js';
import { createHpmForwarder } from './forward/hpm-forwarder.js';
import { createUndiciForwarder } from './forward/undici-forwarder.js';
import type { IdentityHolder } from './identity/identity-holder.js';
import { attachUpgrades } from './forward/upgrade.js';
import { createProxyServer, type ListenerLimits, type ProxyServer } from './http/proxy-server.js';
import type { MeshState } from './mesh-state.js';
import type { Random } from './routing/balancer.js';
import { buildStack } from './stack.js';
import { createAccessLog, type AccessLogTarget } from './telemetry/access-log.js';
import type { Metrics } from './telemetry/metrics.js';
import { createCallRecorder } from './telemetry/record-call.js';
import { createSubsetRecorder } from './telemetry/record-subset-attempt.js';
import { inboundPlaneOf } from './transport/inbound-plane.js';
import type { TracingOptions } from './tracing/tracing-config.js';
import { tracing } from './tracing/tracing-layer.js';
import { TracingSwitch } from './tracing/tracing-switch.js';
import type { InboundOptions, InboundServer } from './transport/inbound-server.js';

/**
 * The options the data plane reads: all a cluster worker is given
 * (proxy/cluster), so a new data-plane option goes here too, and must be
 * plain data (it crosses to the worker by structured clone).
 */
export interface DataPlaneOptions {
  readonly listen: ListenAddress;
  readonly service?: string | undefined;
  readonly region?: string | undefined;
  readonly zone?: string | undefined;
  /** How long to wait for an upstream's response headers. */
  readonly timeoutMs?: number;
  readonly accessLog?: AccessLogTarget;
  /** Longest a hang fault holds a request (default 5 min). */
  readonly maxHangMs?: number;
  /** Honour x-faultmesh-abort / x-faultmesh-delay request headers (off by default). */
  readonly allowHeaderFaults?: boolean;
  /** How calls are sent upstream when their service names no `forwarder:` (default undici). */
  readonly forwarder?: ForwarderKind | undefined;
  /** Data-plane client limits: timeouts and the connection cap (defaults in proxy-server.ts). */
  readonly listenerLimits?: ListenerLimits | undefined;
  /** Where this proxy's identity comes from; the identity itself is a part (DataPlaneParts.identity), never cloned as an option. */
  readonly identity?: IdentityOption | undefined;
  /**
   * The inbound sidecar listeners, one per app this sidecar fronts (--inbound
   * and --app for one, or --register ID=APP,inbound=HOST:PORT each; mode from
   * --inbound-tls): mTLS from callers, authorization, then that app. Needs
   * `identity` and `service`; empty or absent: none.
   */
  readonly inbound?: readonly InboundOptions[] | undefined;
  /** Spans of the calls over OTLP (--otlp-endpoint, --trace-sample, --trace-service-name), over the mesh's `tracing:`. */
  readonly tracing?: TracingOptions | undefined;
}

/**
 * A proxy's identity source, as plain data: files (--cert/--key/--ca, read
 * by proxy/identity/file-identity.ts, reloaded on SIGHUP) or the control
 * plane's CA. With either, calls' source is the certificate's service.
 */
export type IdentityOption =
  | { readonly kind: 'files'; readonly cert: string; readonly key: string; readonly ca: string; readonly trustDomain: string }
  | { readonly kind: 'control'; readonly trustDomain: string };

/** Its keys, for copying them out of a proxy's options (proxy/cluster/primary.ts). */
export const DATA_PLANE_OPTIONS = ['listen', 'service', 'region', 'zone', 'timeoutMs', 'accessLog', 'maxHangMs', 'allowHeaderFaults', 'forwarder', 'listenerLimits', 'identity', 'inbound', 'tracing'] as const satisfies ReadonlyArray<keyof DataPlaneOptions>;

/** What a data plane runs on: the fault index, the mesh, the metrics, the clock and the randomness. */
export interface DataPlaneParts {
  readonly store: FaultStore;
  readonly mesh: MeshState;
  readonly metrics: Metrics;
  readonly random: Random;
  readonly now: () => number;
  /** Fields on every access-log line (a cluster worker's index and pid). */
  readonly logFields?: Readonly<Record<string, unknown>> | undefined;
  /** This process's identity, when `options.identity` is set: read per new TLS connection, so rotations apply at once. */
  readonly identity?: IdentityHolder | undefined;
}

export interface DataPlane {
  /** The listener, not listening yet. */
  readonly proxy: ProxyServer;
  /** The inbound listeners, one per `options.inbound` entry in its order (none without); not listening yet. */
  readonly inbound: readonly InboundServer[];
  /** Resolves once the span exporter the flags and mesh ask for is loaded (at once without one): await before listening. */
  ready(): Promise<void>;
  /** Once the listener has shut down: frees the upstream connections, sends the last spans and writes out the access log. */
  release(): Promise<void>;
}

/**
 * The stack of every proxied call over `parts`, and its listener: what one
 * process of the data plane runs, alone (startProxy) or as one of several
 * cluster workers (proxy/cluster/worker.ts).
 */
export function createDataPlane(options: DataPlaneOptions, parts: DataPlaneParts): DataPlane {
  const { store, mesh, metrics, random, now } = parts;
  const accessLog = createAccessLog(options.accessLog ?? { kind: 'stdout' });
  const logger = accessLog && parts.logFields ? accessLog.logger.child(parts.logFields) : accessLog?.logger;
  // With an identity, the certificate's service is this sidecar's (the CLI refuses a --service that differs).
  const identityService = options.identity ? (options.service ?? parts.identity?.current()?.service) : undefined;
  const tls = options.identity && parts.identity && { identity: parts.identity, trustDomain: options.identity.trustDomain, onHandshake: (destination: string, resumed: boolean) => metrics.upstreamTlsHandshakes.labels(destination, String(resumed)).inc() };
  const forwarders = { undici: createUndiciForwarder({ tls }), hpm: createHpmForwarder() };
  const traces = new TracingSwitch({
    options: options.tracing,
    service: options.service ?? identityService,
    resource: { ...(options.region ? { 'faultmesh.proxy.region': options.region } : {}), ...(options.zone ? { 'faultmesh.proxy.zone': options.zone } : {}) },
    counters: { exported: metrics.traceSpansExported, dropped: metrics.traceSpansDropped },
    announce: parts.logFields === undefined || parts.logFields.worker === 0,
  });
  // The mesh's `tracing:` (a file reload, a control-plane push) turns spans on, moves or stops them.
  const unfollowMesh = traces.follow(mesh);
  const faults = faultFilter({
    store,
    now,
    random,
    sleep: sleepWhileOpen,
    maxHangMs: options.maxHangMs ?? 300_000,
    customerHeader: () => mesh.table().customerHeader,
    allowHeaderFaults: options.allowHeaderFaults ?? false,
    // Per-rule counts live on the rule (GET /v1/faults); rule ids are unique per run, so never labels.
    onInjected: (call, rule, kinds) => {
      for (const kind of kinds) metrics.faultsInjected.labels(kind, call.service!.name).inc();
      call.span?.faulted(rule.id, kinds, rule.spec.traceparent);
    },
  });
  const handler = buildStack({
    table: mesh.table,
    record: createCallRecorder(metrics, logger),
    tracing: tracing(traces),
    timeoutMs: options.timeoutMs ?? 15_000,
    retry: {
      random,
      sleep: sleepWhileOpen,
      onRetry: (call, reason) => {
        metrics.retries.labels(call.service!.name, reason).inc();
        call.span?.retried(call.attempt?.n ?? 0, call.endpoint, call.classification, reason);
      },
      onBudgetExhausted: (call) => metrics.retryBudgetExhausted.labels(call.service!.name).inc(),
    },
    choose: { home: { region: options.region, zone: options.zone }, now, recordSubset: createSubsetRecorder(metrics) },
    faults,
    forward: selectForwarder(forwarders, options.forwarder ?? 'undici'),
  });
  const proxy = createProxyServer({ handler, service: options.service ?? identityService, identityService, limits: options.listenerLimits, sampling: traces.sampling });
  attachUpgrades(proxy.server, { table: mesh.table, store, metrics, log: logger, service: options.service ?? identityService, identityService, home: { region: options.region, zone: options.zone }, timeoutMs: options.timeoutMs, maxHangMs: options.maxHangMs, now });
  const inbound = inboundPlaneOf(options, options.service ?? identityService, { mesh, metrics, identity: parts.identity, log: logger });
  return {
    proxy,
    inbound: inbound?.servers ?? [],
    ready: () => traces.ready(),
    async release() {
      unfollowMesh();
      await Promise.all([forwarders.undici.close(), forwarders.hpm.close(), inbound?.release(), traces.close()]);
      await accessLog?.close();
    },
  };
}

export async function listen(server: Server, at: ListenAddress): Promise<AddressInfo> {
  server.listen(at.port, at.host);
  await once(server, 'listening');
  return server.address() as AddressInfo;
}
