import type { Logger } from 'pino';
import { BoundedLabel } from '../telemetry/bounded-label.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { UpgradeExchange } from './upgrade-exchange.js';

export interface UpgradeRecorder {
  /**
   * Once per upgrade, when its handshake is answered (or its socket closes
   * with no answer): counted in faultmesh_requests_total like any request,
   * with code 101 when it upgraded, and timed to the answer, so a
   * connection held open for hours does not stretch the latency histogram.
   */
  handshake(ex: UpgradeExchange): void;
  /** Once per upgrade, when its socket closes: one access-log line, with the connection's lifetime and bytes. */
  closed(ex: UpgradeExchange): void;
}

export function createUpgradeRecorder(metrics: Metrics, log: Logger | undefined): UpgradeRecorder {
  const sources = new BoundedLabel(100);
  const counted = new WeakSet<UpgradeExchange>();
  return {
    handshake(ex) {
      if (counted.has(ex)) return;
      counted.add(ex);
      const code = ex.status === 0 ? 'none' : String(ex.status);
      const source = sources.value(ex.source);
      const destination = ex.service ? ex.service.name : 'unknown';
      metrics.requests.labels(source, destination, ex.endpoint?.id ?? 'none', code).inc();
      metrics.duration.labels(source, destination, code).observe(ex.answeredAfter ?? ex.elapsedSeconds());
      if (ex.error) metrics.proxyErrors.labels(destination, ex.error.code).inc();
    },
    closed(ex) {
      if (ex.error) ex.flags.unshift(ex.error.code);
      log?.info({
        traceId: ex.trace.traceId,
        spanId: ex.trace.spanId,
        requestId: ex.trace.requestId,
        method: ex.method,
        path: ex.path,
        source: ex.source,
        destination: ex.destination,
        instance: ex.endpoint?.id ?? null,
        route: ex.route ?? null,
        status: ex.status,
        upgrade: ex.protocol,
        handshakeMs: ex.answeredAfter === undefined ? null : Math.round(ex.answeredAfter * 1e6) / 1e3,
        durationMs: Math.round(ex.elapsedSeconds() * 1e6) / 1e3,
        bytesIn: ex.socket.bytesRead,
        bytesOut: ex.socket.bytesWritten,
        fault: ex.fault ?? null,
        outcome: ex.classification?.kind ?? null,
        retries: 0,
        flags: ex.flags,
      });
    },
  };
}
