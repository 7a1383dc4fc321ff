export const stopReasonOf = (signal) => (signal.aborted ? signal.reason : undefined);
/** The journal status a stop leads to. */
export const statusOf = (reason) => ({ safeguard: 'aborted', interrupted: 'interrupted', failed: 'failed' })[reason.kind];
//# sourceMappingURL=stop-reason.js.map