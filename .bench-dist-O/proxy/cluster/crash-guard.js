/** More crashes than this within WINDOW_MS, and the primary stops replacing workers. */
export const MAX_CRASHES = 5;
export const WINDOW_MS = 10_000;
/**
 * When to replace a crashed worker. The first crash in a while is replaced
 * at once; more in a row wait longer each (250 ms more per recent crash),
 * so a worker that dies at start does not spin the machine; past
 * MAX_CRASHES in WINDOW_MS the fault is not going away by restarting, and
 * the proxy stops with a clear message rather than serve with fewer workers.
 */
export class CrashGuard {
    times = [];
    record(now) {
        this.times = [...this.times.filter((t) => now - t < WINDOW_MS), now];
        const recent = this.times.length;
        if (recent > MAX_CRASHES)
            return { kind: 'give-up', reason: `${recent} worker crashes within ${WINDOW_MS / 1000}s` };
        return { kind: 'replace', delayMs: Math.min(2_000, 250 * (recent - 1)) };
    }
}
//# sourceMappingURL=crash-guard.js.map