import { createServer } from 'node:net';
// The Toxiproxy bench's upstream: the first byte of a connection picks what
// it does. 'B' streams bytes until the client goes (bulk throughput); 'E'
// echoes every byte (request/response ping-pong).
const block = Buffer.alloc(64 * 1024, 0x61);
const server = createServer((s) => {
    s.setNoDelay(true);
    s.on('error', () => { });
    s.once('data', (first) => {
        if (first[0] === 0x42) {
            const pump = () => {
                while (!s.destroyed && s.write(block))
                    ;
                if (!s.destroyed)
                    s.once('drain', pump);
            };
            return pump();
        }
        if (first.length > 1)
            s.write(first.subarray(1));
        s.on('data', (d) => s.write(d));
    });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.on('SIGTERM', () => process.exit(0));
//# sourceMappingURL=toxiproxy-upstream.js.map