const TO_WORKER = new Set(['start', 'state', 'eject', 'collect', 'metrics', 'shutdown', 'identity']);
const FROM_WORKER = new Set(['hello', 'listening', 'applied', 'failed', 'ejected', 'collected', 'metrics', 'drained']);
/** Whether `m` is one of ours; other libraries (prom-client's own cluster listener, say) share the channel. */
export const isToWorker = (m) => typeof m === 'object' && m !== null && TO_WORKER.has(m.type ?? '');
export const isFromWorker = (m) => typeof m === 'object' && m !== null && FROM_WORKER.has(m.type ?? '');
//# sourceMappingURL=messages.js.map