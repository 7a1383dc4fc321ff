/**
 * True once the client has its answer or has gone, or the attempt a fault
 * started in was given up (a per-try timeout): nothing more should reach
 * the upstream for it. `attempt` is the one current when the fault began.
 */
export function isGivenUp(call, attempt) {
    return call.res.headersSent || call.res.destroyed || attempt?.abandoned === true;
}
export const DROPPED = { kind: 'drop', reason: 'FAULT_RESET' };
//# sourceMappingURL=fault-kind.js.map