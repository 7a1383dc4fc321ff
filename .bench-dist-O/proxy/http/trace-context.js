import { randomFillSync } from 'node:crypto';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
const NOT_EXPORTING = { ratio: undefined };
/**
 * Continues the caller's trace when its `traceparent` is valid, starts a new
 * one otherwise, and gives this hop its own span id (the hop is a span).
 * A new trace is sampled by `sampling` (see TraceSampling).
 */
export function traceContextOf(headers, sampling = NOT_EXPORTING) {
    const parent = headers.traceparent;
    const m = typeof parent === 'string' ? TRACEPARENT.exec(parent) : null;
    const continued = m !== null && m[1] !== ZERO_TRACE && m[2] !== ZERO_SPAN;
    const traceId = continued ? m[1] : randomHex(32);
    const ratio = sampling.ratio;
    const flags = continued ? m[3] : ratio === undefined || sampledByRatio(traceId, ratio) ? '01' : '00';
    const given = headers['x-request-id'];
    const requestId = typeof given === 'string' && given.length > 0 && given.length <= 200 ? given : traceId;
    return { traceId, spanId: randomHex(16), parentSpanId: continued ? m[2] : undefined, flags, requestId };
}
/**
 * A hop that is not a span of its own (an inbound sidecar, which records
 * none): the caller's context goes on unchanged, so the app's spans are
 * children of the caller's span rather than of an id nobody exported.
 */
export function passedThrough(headers) {
    const own = traceContextOf(headers);
    return own.parentSpanId === undefined ? own : { ...own, spanId: own.parentSpanId };
}
export function traceparentOf(trace) {
    return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}
/** Bit 0 of the trace flags: the trace is sampled. */
export function isSampled(trace) {
    return (parseInt(trace.flags, 16) & 1) === 1;
}
/**
 * OpenTelemetry's TraceIdRatioBased rule on the trace id's low 32 bits: the
 * same trace id gets the same decision on every hop with the same ratio,
 * and the ids are random, so `ratio` of new traces are sampled.
 *
 * @example sampledByRatio('4bf92f3577b34da6a3ce929d0e0e4736', 0.1)
 */
export function sampledByRatio(traceId, ratio) {
    if (ratio >= 1)
        return true;
    if (ratio <= 0)
        return false;
    return parseInt(traceId.slice(24), 16) < ratio * 0x1_0000_0000;
}
// Random bytes come from a pool refilled in bulk: one crypto call per few
// hundred requests instead of one per id.
const pool = Buffer.alloc(4096);
let offset = pool.length;
function randomHex(chars) {
    const bytes = chars / 2;
    if (offset + bytes > pool.length) {
        randomFillSync(pool);
        offset = 0;
    }
    const hex = pool.toString('hex', offset, offset + bytes);
    offset += bytes;
    return hex;
}
//# sourceMappingURL=trace-context.js.map