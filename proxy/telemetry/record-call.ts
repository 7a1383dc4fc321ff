import type { Logger } from 'pino';
import type { Call } from '../http/call.js';
import { BoundedLabel } from './bounded-label.js';
import type { Metrics } from './metrics.js';

/**
 * Records a finished call: counters, the latency histogram and one access-log
 * line. Runs once per request, when its response has been sent or abandoned.
 */
export function createCallRecorder(metrics: Metrics, log: Logger | undefined) {
  const sources = new BoundedLabel(100);
  return function recordCall(call: Call): void {
    const res = call.res;
    if (!res.writableFinished) call.flags.push('CLIENT_ABORTED');
    const status = res.headersSent ? res.statusCode : 0;
    const code = status === 0 ? 'none' : String(status);
    const destination = call.service ? call.service.name : 'unknown';
    const source = sources.value(call.source);
    const seconds = call.elapsedSeconds();
    metrics.requests.labels(source, destination, call.endpoint?.id ?? 'none', code).inc();
    metrics.duration.labels(source, destination, code).observe(seconds);
    if (call.error) metrics.proxyErrors.labels(destination, call.error.code).inc();
    if (call.error) call.flags.unshift(call.error.code);
    log?.info({
      traceId: call.trace.traceId,
      requestId: call.trace.requestId,
      method: call.method,
      path: call.path,
      source: call.source,
      destination: call.destination,
      instance: call.endpoint?.id ?? null,
      route: call.route ?? null,
      status,
      durationMs: Math.round(seconds * 1e6) / 1e3,
      flags: call.flags,
    });
  };
}
