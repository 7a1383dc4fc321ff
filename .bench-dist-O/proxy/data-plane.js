import { once } from 'node:events';
import { faultFilter } from './faults/fault-filter.js';
import { sleepWhileOpen } from './faults/sleep.js';
import { selectForwarder } from './forward/forwarder.js';
import { createHpmForwarder } from './forward/hpm-forwarder.js';
import { createUndiciForwarder } from './forward/undici-forwarder.js';
import { attachUpgrades } from './forward/upgrade.js';
import { createProxyServer } from './http/proxy-server.js';
import { buildStack } from './stack.js';
import { createAccessLog } from './telemetry/access-log.js';
import { createCallRecorder } from './telemetry/record-call.js';
import { createSubsetRecorder } from './telemetry/record-subset-attempt.js';
import { inboundPlaneOf } from './transport/inbound-plane.js';
import { tracing } from './tracing/tracing-layer.js';
import { TracingSwitch } from './tracing/tracing-switch.js';
/** Its keys, for copying them out of a proxy's options (proxy/cluster/primary.ts). */
export const DATA_PLANE_OPTIONS = ['listen', 'service', 'region', 'zone', 'timeoutMs', 'accessLog', 'maxHangMs', 'allowHeaderFaults', 'forwarder', 'listenerLimits', 'identity', 'inbound', 'tracing'];
/**
 * The stack of every proxied call over `parts`, and its listener: what one
 * process of the data plane runs, alone (startProxy) or as one of several
 * cluster workers (proxy/cluster/worker.ts).
 */
export function createDataPlane(options, parts) {
    const { store, mesh, metrics, random, now } = parts;
    const accessLog = createAccessLog(options.accessLog ?? { kind: 'stdout' });
    const logger = accessLog && parts.logFields ? accessLog.logger.child(parts.logFields) : accessLog?.logger;
    // With an identity, the certificate's service is this sidecar's (the CLI refuses a --service that differs).
    const identityService = options.identity ? (options.service ?? parts.identity?.current()?.service) : undefined;
    const tls = options.identity && parts.identity && { identity: parts.identity, trustDomain: options.identity.trustDomain, onHandshake: (destination, resumed) => metrics.upstreamTlsHandshakes.labels(destination, String(resumed)).inc() };
    const forwarders = { undici: createUndiciForwarder({ tls }), hpm: createHpmForwarder() };
    const traces = new TracingSwitch({
        options: options.tracing,
        service: options.service ?? identityService,
        resource: { ...(options.region ? { 'faultmesh.proxy.region': options.region } : {}), ...(options.zone ? { 'faultmesh.proxy.zone': options.zone } : {}) },
        counters: { exported: metrics.traceSpansExported, dropped: metrics.traceSpansDropped },
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
            for (const kind of kinds)
                metrics.faultsInjected.labels(kind, call.service.name).inc();
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
                metrics.retries.labels(call.service.name, reason).inc();
                call.span?.retried(call.attempt?.n ?? 0, call.endpoint, call.classification, reason);
            },
            onBudgetExhausted: (call) => metrics.retryBudgetExhausted.labels(call.service.name).inc(),
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
export async function listen(server, at) {
    server.listen(at.port, at.host);
    await once(server, 'listening');
    return server.address();
}
//# sourceMappingURL=data-plane.js.map