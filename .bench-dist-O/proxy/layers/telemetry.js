/**
 * Records every call once, when its response is done or abandoned: after
 * the body has streamed, so durations include it, and after every retry,
 * so the call is counted once with its final status.
 */
export const telemetry = (record) => (next) => (call) => {
    call.whenClosed(() => record(call));
    return next(call);
};
//# sourceMappingURL=telemetry.js.map