import { BoundedLabel } from '../telemetry/bounded-label.js';
export function createUpgradeRecorder(metrics, log) {
    const sources = new BoundedLabel(100);
    const counted = new WeakSet();
    return {
        handshake(ex) {
            if (counted.has(ex))
                return;
            counted.add(ex);
            const code = ex.status === 0 ? 'none' : String(ex.status);
            const source = sources.value(ex.source);
            const destination = ex.service ? ex.service.name : 'unknown';
            metrics.requests.labels(source, destination, ex.endpoint?.id ?? 'none', code).inc();
            metrics.duration.labels(source, destination, code).observe(ex.answeredAfter ?? ex.elapsedSeconds());
            if (ex.error)
                metrics.proxyErrors.labels(destination, ex.error.code).inc();
        },
        closed(ex) {
            if (ex.error)
                ex.flags.unshift(ex.error.code);
            log?.info({
                traceId: ex.trace.traceId,
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
//# sourceMappingURL=upgrade-record.js.map