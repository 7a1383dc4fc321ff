import { closeSync, openSync, mkdirSync, write, writeSync } from 'node:fs';
import { dirname } from 'node:path';
/** Lines are copied into buffers this large, and a full one is written in one call. */
const BUFFER_BYTES = 64 * 1024;
/**
 * On stdout, which is often a pipe shared by several processes (cluster
 * workers, a supervisor's log collector): a write of at most PIPE_BUF (4096
 * on Linux) bytes is atomic, and buffers end on line ends, so lines from
 * different writers never interleave.
 */
const PIPE_BUF = 4096;
/** Bytes waiting for the disk before writes turn synchronous (the proxy slows down rather than losing lines or growing without bound). */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
/** Longest a synchronous write waits on a full pipe before it gives up for now (the lines stay queued). */
const MAX_BLOCK_MS = 1000;
const RETRY_MS = 10;
/**
 * The access log's destination: every line is copied straight into a
 * 64 KiB buffer, and full buffers are written asynchronously, one at a
 * time, in order. pino's own destination (sonic-boom) builds a string per
 * batch and costs about 3 µs a line on this machine; this costs about
 * 0.3 µs, on a path every request takes.
 *
 * Nothing is lost: a disk that falls behind by MAX_QUEUED buffers gets the
 * rest synchronously; a short write is finished, a full pipe (EAGAIN on
 * stdout) is retried; `flush` writes out what is buffered, and the process's
 * 'exit' writes what is still queued synchronously. A write error is
 * reported once on stderr and the log stops (traffic does not).
 */
export class LogWriter {
    fd;
    ownsFd;
    size;
    buf;
    used = 0;
    queue = [];
    queuedBytes = 0;
    writing = false;
    failed = false;
    flushWaiters = [];
    onExit = () => this.flushSync();
    constructor(fd, ownsFd, size) {
        this.fd = fd;
        this.ownsFd = ownsFd;
        this.size = size;
        this.buf = Buffer.allocUnsafe(size);
        process.once('exit', this.onExit);
    }
    static open(target) {
        if (target.kind === 'stdout')
            return new LogWriter(1, false, PIPE_BUF);
        mkdirSync(dirname(target.path), { recursive: true });
        return new LogWriter(openSync(target.path, 'a'), true, BUFFER_BYTES);
    }
    /** One line (pino and the call recorder pass it with its newline). */
    write(line) {
        if (this.failed)
            return true;
        // Worst case three bytes per UTF-16 unit; a line longer than a buffer gets a buffer of its own.
        const room = line.length * 3;
        if (this.used + room > this.buf.length) {
            this.cut();
            if (room > this.buf.length)
                this.buf = Buffer.allocUnsafe(room);
        }
        this.used += this.buf.write(line, this.used, 'utf8');
        return true;
    }
    /** Writes out everything buffered so far; `done` runs once it is on its way to the file. */
    flush(done = () => { }) {
        this.cut();
        if (!this.writing && this.queue.length === 0)
            return done();
        this.flushWaiters.push(done);
    }
    /** Flushes, then closes the file. */
    close() {
        return new Promise((resolve) => this.flush(() => {
            process.off('exit', this.onExit);
            if (this.ownsFd)
                closeSync(this.fd);
            resolve();
        }));
    }
    /** At exit: what is queued and buffered goes out now, synchronously. */
    flushSync() {
        this.cut();
        if (this.failed)
            return;
        try {
            // An async write may still be on its way for the head of the queue; it is not written twice.
            for (const b of this.writing ? this.queue.slice(1) : this.queue)
                writeAll(this.fd, b);
        }
        catch {
            // nothing more can be done at exit
        }
    }
    /** Moves the current buffer to the queue. */
    cut() {
        if (this.used === 0)
            return;
        this.queue.push(this.buf.subarray(0, this.used));
        this.queuedBytes += this.used;
        this.buf = Buffer.allocUnsafe(this.size);
        this.used = 0;
        if (this.queuedBytes > MAX_QUEUED_BYTES && !this.writing)
            this.drainSync();
        else
            this.pump();
    }
    drainSync() {
        try {
            while (this.queue.length > 0) {
                const b = this.queue[0];
                const written = writeAll(this.fd, b);
                if (written < b.length) {
                    // A pipe full for a second: keep the rest queued, the asynchronous writes go on.
                    this.queue[0] = b.subarray(written);
                    this.queuedBytes -= written;
                    return this.pump();
                }
                this.queue.shift();
                this.queuedBytes -= b.length;
            }
        }
        catch (err) {
            this.fail(err);
        }
    }
    pump() {
        if (this.writing || this.failed)
            return;
        const head = this.queue[0];
        if (head === undefined) {
            const waiters = this.flushWaiters;
            this.flushWaiters = [];
            for (const done of waiters)
                done();
            return;
        }
        this.writing = true;
        write(this.fd, head, 0, head.length, null, (err, written) => {
            this.writing = false;
            if (err && err.code === 'EAGAIN') {
                setTimeout(() => this.pump(), RETRY_MS).unref();
                return;
            }
            if (err)
                return this.fail(err);
            this.queuedBytes -= written;
            if (written < head.length)
                this.queue[0] = head.subarray(written);
            else
                this.queue.shift();
            this.pump();
        });
    }
    fail(err) {
        if (!this.failed)
            process.stderr.write(`faultmesh: access log write failed, lines are being lost: ${err.message}\n`);
        this.failed = true;
        this.queue.length = 0;
        this.queuedBytes = 0;
        const waiters = this.flushWaiters;
        this.flushWaiters = [];
        for (const done of waiters)
            done();
    }
}
/**
 * A synchronous write to the end, through short writes and a full pipe, for
 * at most MAX_BLOCK_MS (a reader that never reads cannot hang the proxy);
 * returns the bytes written.
 */
function writeAll(fd, b) {
    let off = 0;
    const until = performance.now() + MAX_BLOCK_MS;
    while (off < b.length) {
        try {
            off += writeSync(fd, b, off, b.length - off);
        }
        catch (err) {
            if (err.code !== 'EAGAIN')
                throw err;
            if (performance.now() > until)
                break;
        }
    }
    return off;
}
//# sourceMappingURL=log-writer.js.map