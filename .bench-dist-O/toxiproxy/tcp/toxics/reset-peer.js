import { HeldBytes } from './held-bytes.js';
/**
 * Resets the connection (a TCP RST to both peers, "connection reset by
 * peer") `timeout` ms after the first byte, or the end, reaches it in its
 * direction; 0 resets at once. Bytes that arrive meanwhile are held, not
 * delivered: removed before it fires, the toxic lets them through and the
 * connection lives on (Toxiproxy drops the first chunk and resets anyway).
 */
export const resetPeerToxic = {
    type: 'reset_peer',
    attributes: { timeout: { unit: 'ms' } },
    start(attributes, port) {
        let timeout = attributes.timeout ?? 0;
        const queue = new HeldBytes();
        let timer;
        let ended = false;
        const stop = () => {
            if (timer !== undefined)
                port.timers.clearTimeout(timer);
            timer = undefined;
        };
        const arm = () => {
            if (timer === undefined)
                timer = port.timers.setTimeout(port.reset, timeout);
        };
        return {
            write(chunk) {
                queue.push(chunk, undefined);
                arm();
            },
            end() {
                ended = true;
                arm();
            },
            held: () => queue.bytes,
            update(next) {
                timeout = next.timeout ?? 0;
            },
            release() {
                stop();
                queue.drain(port.forward);
                if (ended)
                    port.end();
            },
            dispose: stop,
        };
    },
};
//# sourceMappingURL=reset-peer.js.map