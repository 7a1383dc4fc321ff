import type { Logger } from 'pino';
import type { Call } from '../http/call.js';
import { BoundedLabel } from '../telemetry/bounded-label.js';
import { callLineWriter } from '../telemetry/call-line.js';
import type { Metrics } from '../telemetry/metrics.js';

/**
 * The `instance` label (and access-log instance) of every call an inbound
 * sidecar passes to its app: the outbound sidecar of the caller counts the
 * same call under the instance it chose, so `instance="app"` tells the two
 * sides of one call apart in faultmesh_requests_total.
 */
export const APP_INSTANCE = 'app';

/**
 * Records a finished inbound call as the outbound recorder
 * (telemetry/record-call.ts) records its calls: faultmesh_requests_total
 * and the latency histogram with the caller's verified identity as
 * `source` and this sidecar's service as `destination`, proxy errors by
 * code, and one access-log line, written with `direction: "inbound"` by
 * the logger it is given.
 */
export function createInboundRecorder(metrics: Metrics, destination: string, log: Logger | undefined): (call: Call) => void {
  // Identities come from certificates the mesh's CA signed; still bounded, like every source label.
  const sources = new BoundedLabel(100);
  const writeLine = log ? callLineWriter(log) : undefined;
  return (call) => {
    const res = call.res;
    if (!res.writableFinished) call.flags.push('CLIENT_ABORTED');
    const status = res.headersSent ? res.statusCode : 0;
    const code = status === 0 ? 'none' : String(status);
    const seconds = call.elapsedSeconds();
    const source = sources.value(call.source);
    metrics.requests.labels(source, destination, APP_INSTANCE, code).inc();
    metrics.duration.labels(source, destination, code).observe(seconds);
    if (call.error) {
      metrics.proxyErrors.labels(destination, call.error.code).inc();
      call.flags.unshift(call.error.code);
    }
    writeLine?.(call, status, Math.round(seconds * 1e6) / 1e3);
  };
}
