/**
 * Lets nothing through: bytes are dropped, as Toxiproxy drops them. With a
 * `timeout` above 0 the connection closes once that many ms pass without a
 * byte from the sender (Toxiproxy starts its timer again on every chunk it
 * drops); with 0 it stays open, silent, until the toxic goes. Removing the
 * toxic closes the connections it held (Toxiproxy's Cleanup): bytes were
 * lost, so what would follow is not the stream the peer sent.
 */
export const timeoutToxic = {
    type: 'timeout',
    attributes: { timeout: { unit: 'ms' } },
    start(attributes, port) {
        let timeout = attributes.timeout ?? 0;
        let timer;
        const stop = () => {
            if (timer !== undefined)
                port.timers.clearTimeout(timer);
            timer = undefined;
        };
        const arm = () => {
            stop();
            if (timeout > 0)
                timer = port.timers.setTimeout(port.close, timeout);
        };
        arm();
        return {
            write: arm,
            end() {
                stop();
                port.end();
            },
            held: () => 0,
            update(next) {
                timeout = next.timeout ?? 0;
                arm();
            },
            release() {
                stop();
                port.close();
            },
            dispose: stop,
        };
    },
};
//# sourceMappingURL=timeout.js.map