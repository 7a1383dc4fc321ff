import { isSampled } from '../http/trace-context.js';
/**
 * Gives a sampled call its span while the proxy exports spans, and ends it
 * when the client's response is over, after telemetry recorded the call
 * (so its error code is among the flags). Unsampled calls, and every call
 * while tracing is off, pass through at the cost of one property read.
 */
export const tracing = (traces) => (next) => (call) => {
    const tracer = traces.tracer;
    if (tracer === undefined || !isSampled(call.trace))
        return next(call);
    const span = tracer.start(call);
    call.span = span;
    call.whenClosed(() => span.end(call));
    return next(call);
};
//# sourceMappingURL=tracing-layer.js.map