import { Watcher } from './watcher.js';
// One worker process of light watchers (started by bench/control/watcher-pool.ts
// with an IPC channel): node watchers.js ORIGIN COUNT ID_PREFIX, token in
// BENCH_CONTROL_TOKEN. It exits when its parent goes away.
const [origin, countText, prefix] = process.argv.slice(2);
const count = Number(countText);
/** Bounded: a few workers of a few hundred watchers each is what the bench needs. */
const MAX_WATCHERS = 1000;
/** Streams opened at once: a burst of a thousand connects would measure the accept queue. */
const CONNECT_BATCH = 20;
const send = (message) => process.send(message);
const watchers = [];
const waits = new Map();
/** Settles every wait whose version all watchers have acknowledged. */
function settle() {
    for (const [seq, wait] of waits) {
        const acks = watchers.map((w) => w.ackFor(wait.version));
        if (acks.some((a) => a === undefined))
            continue;
        clearTimeout(wait.timer);
        waits.delete(seq);
        send({ type: 'acked', seq, received: acks.map((a) => a.receivedUs), acked: acks.map((a) => a.ackedUs) });
    }
}
async function start() {
    if (!origin || !prefix || !Number.isInteger(count) || count < 1 || count > MAX_WATCHERS)
        throw new Error(`usage: watchers.js ORIGIN COUNT(1..${MAX_WATCHERS}) ID_PREFIX`);
    for (let i = 0; i < count; i++)
        watchers.push(new Watcher({ origin, id: `${prefix}-${i}`, token: process.env.BENCH_CONTROL_TOKEN, onAck: settle }));
    for (let i = 0; i < count; i += CONNECT_BATCH)
        await Promise.all(watchers.slice(i, i + CONNECT_BATCH).map((w) => w.start()));
    send({ type: 'ready', count });
}
process.on('message', (message) => {
    switch (message.type) {
        case 'wait': {
            const timer = setTimeout(() => {
                waits.delete(message.seq);
                const missing = watchers.filter((w) => !w.ackFor(message.version)).length;
                send({ type: 'acked', seq: message.seq, error: `${missing} of ${count} watchers had not acknowledged version ${message.version} after ${message.timeoutMs} ms` });
            }, message.timeoutMs);
            waits.set(message.seq, { version: message.version, timer });
            settle();
            return;
        }
        case 'report':
            for (const w of watchers)
                w.report(message.everyMs);
            return;
        case 'counts':
            send({ type: 'counts', seq: message.seq, reports: watchers.reduce((n, w) => n + w.reports, 0), errors: watchers.reduce((n, w) => n + w.errors, 0) });
            return;
        case 'close':
            void Promise.all(watchers.map((w) => w.close())).finally(() => process.exit(0));
            return;
    }
});
// The bench died or is done: never outlive it.
process.on('disconnect', () => process.exit(0));
start().catch((err) => {
    send({ type: 'failed', message: err.message });
    process.exit(1);
});
//# sourceMappingURL=watchers.js.map