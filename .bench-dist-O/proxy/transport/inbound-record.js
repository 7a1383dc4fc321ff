import { BoundedLabel } from '../telemetry/bounded-label.js';
import { callLineWriter } from '../telemetry/call-line.js';
/**
 * The `instance` label (and access-log instance) of every call an inbound
 * sidecar passes to an app it has no registered id for. A listener
 * fronting a registered instance (--register ID=APP,inbound=...) uses
 * that id instead, so a sidecar fronting several apps counts each apart.
 */
export const APP_INSTANCE = 'app';
/**
 * Records a finished inbound call as the outbound recorder
 * (telemetry/record-call.ts) records its calls, in the inbound metrics
 * (faultmesh_inbound_requests_total, its latency histogram and
 * faultmesh_inbound_errors_total: the caller's sidecar counts the same call
 * in faultmesh_requests_total), with the caller's verified identity as
 * `source` and this sidecar's service as `destination`, and one access-log
 * line, written with `direction: "inbound"` by the logger it is given.
 */
export function createInboundRecorder(metrics, destination, log, instance = APP_INSTANCE) {
    // Identities come from certificates the mesh's CA signed; still bounded, like every source label.
    const sources = new BoundedLabel(100);
    const writeLine = log ? callLineWriter(log) : undefined;
    return (call) => {
        const res = call.res;
        if (!res.writableFinished)
            call.flags.push('CLIENT_ABORTED');
        const status = res.headersSent ? res.statusCode : 0;
        const code = status === 0 ? 'none' : String(status);
        const seconds = call.elapsedSeconds();
        const source = sources.value(call.source);
        metrics.inboundRequests.labels(source, destination, instance, code).inc();
        metrics.inboundDuration.labels(source, destination, code).observe(seconds);
        if (call.error) {
            metrics.inboundErrors.labels(destination, call.error.code).inc();
            call.flags.unshift(call.error.code);
        }
        writeLine?.(call, status, Math.round(seconds * 1e6) / 1e3);
    };
}
//# sourceMappingURL=inbound-record.js.map