const CHUNK_MS = 60 * 60 * 1000;
export const realClock = {
    now: () => Date.now(),
    async sleepUntil(t, signal) {
        // Timers are capped near 24.8 days, and a laptop may sleep: wait in chunks and look at the clock again.
        while (!signal.aborted && Date.now() < t) {
            await new Promise((resolve) => {
                const timer = setTimeout(done, Math.min(CHUNK_MS, t - Date.now()));
                function done() {
                    clearTimeout(timer);
                    signal.removeEventListener('abort', done);
                    resolve();
                }
                signal.addEventListener('abort', done, { once: true });
            });
        }
    },
};
//# sourceMappingURL=clock.js.map