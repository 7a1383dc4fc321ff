/** Passes every byte at once, but holds the end of the stream (the FIN) back for `delay` ms. */
export const slowCloseToxic = {
    type: 'slow_close',
    attributes: { delay: { unit: 'ms' } },
    start(attributes, port) {
        let delay = attributes.delay ?? 0;
        let timer;
        let endSent = false;
        const sendEnd = () => {
            timer = undefined;
            if (endSent)
                return;
            endSent = true;
            port.end();
        };
        const stop = () => {
            if (timer !== undefined)
                port.timers.clearTimeout(timer);
            timer = undefined;
        };
        return {
            write: (chunk) => port.forward(chunk),
            end() {
                if (timer === undefined && !endSent)
                    timer = port.timers.setTimeout(sendEnd, delay);
            },
            held: () => 0,
            update(next) {
                delay = next.delay ?? 0;
            },
            release() {
                // An end already waiting goes now, as when Toxiproxy's interrupted stub finds its input closed.
                if (timer !== undefined) {
                    stop();
                    sendEnd();
                }
            },
            dispose: stop,
        };
    },
};
//# sourceMappingURL=slow-close.js.map