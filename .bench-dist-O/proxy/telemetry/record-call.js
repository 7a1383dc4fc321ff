import { BoundedLabel } from './bounded-label.js';
import { callLineWriter } from './call-line.js';
/**
 * Records a finished call: counters, the latency histogram and one access-log
 * line. Runs once per request, when its response has been sent or abandoned.
 */
export function createCallRecorder(metrics, log) {
    const sources = new BoundedLabel(100);
    const writeLine = log ? callLineWriter(log) : undefined;
    // prom-client hashes the label values on every labels() call; label sets
    // are few (bounded above), so their children are looked up once and kept.
    const series = new Map();
    const seriesOf = (source, destination, instance, code) => {
        const key = `${source}\u0000${destination}\u0000${instance}\u0000${code}`;
        let s = series.get(key);
        if (!s) {
            s = { requests: metrics.requests.labels(source, destination, instance, code), duration: metrics.duration.labels(source, destination, code) };
            series.set(key, s);
        }
        return s;
    };
    return function recordCall(call) {
        const res = call.res;
        if (!res.writableFinished)
            call.flags.push('CLIENT_ABORTED');
        const status = res.headersSent ? res.statusCode : 0;
        const code = status === 0 ? 'none' : String(status);
        const destination = call.service ? call.service.name : 'unknown';
        const seconds = call.elapsedSeconds();
        const s = seriesOf(sources.value(call.source), destination, call.endpoint?.id ?? 'none', code);
        s.requests.inc();
        s.duration.observe(seconds);
        if (call.error) {
            metrics.proxyErrors.labels(destination, call.error.code).inc();
            call.flags.unshift(call.error.code);
        }
        writeLine?.(call, status, Math.round(seconds * 1e6) / 1e3);
    };
}
//# sourceMappingURL=record-call.js.map