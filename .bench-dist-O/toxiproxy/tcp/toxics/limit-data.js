/**
 * Lets `bytes` bytes through in its direction, then closes the connection:
 * the receiver gets exactly that many, then the end. The count belongs to
 * the connection and survives an update of the toxic (Toxiproxy's state);
 * 0 closes on the first byte sent.
 */
export const limitDataToxic = {
    type: 'limit_data',
    attributes: { bytes: { unit: 'bytes' } },
    start(attributes, port) {
        let limit = attributes.bytes ?? 0;
        let passed = 0;
        let closed = false;
        return {
            write(chunk) {
                if (closed)
                    return;
                const room = Math.max(0, limit - passed);
                const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
                if (part.length > 0)
                    port.forward(part);
                passed += part.length;
                if (passed >= limit) {
                    closed = true;
                    port.close();
                }
            },
            end() {
                if (!closed)
                    port.end();
            },
            held: () => 0,
            update(next) {
                // A lower limit than what has passed closes on the next byte, as in Toxiproxy.
                limit = next.bytes ?? 0;
            },
            release() { },
            dispose() { },
        };
    },
};
//# sourceMappingURL=limit-data.js.map