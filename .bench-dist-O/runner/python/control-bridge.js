import { once } from 'node:events';
import { formatDuration } from '../../proxy/config/duration.js';
import { lastLines, spawnBridge } from './bridge-process.js';
import { missingInterpreter } from './python-env.js';
/**
 * The one long-lived Python process a run's controls live in, so module
 * state (a tracer opened before the experiment, closed after it) survives
 * between hooks. One message at a time, as JSON lines: requests on stdin,
 * replies on fd 3 (hooks print to stdout). The process exits when its stdin
 * closes, so it never outlives the runner.
 */
export class ControlBridge {
    b;
    queue = Promise.resolve();
    nextId = 1;
    dead;
    pending;
    partial = '';
    constructor(choice) {
        this.b = spawnBridge('controls', choice);
        this.b.child.once('error', (err) => this.die(`controls need Python: ${missingInterpreter(choice, err.code)}`));
        this.b.child.once('exit', (code, signal) => {
            const err = lastLines(this.b.stderr.text());
            this.die(`the Python process of the controls ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${err ? `: ${err}` : ''}`);
        });
        this.b.results.on('data', (d) => this.read(d.toString('utf8')));
    }
    /** What the controls printed, for the journal. */
    logs() {
        return { stdout: this.b.stdout.text(), stderr: this.b.stderr.text() };
    }
    /**
     * Sends one message and waits for its reply, at most `timeoutMs`: a hook
     * that hangs gets its process killed (nothing after it could run anyway).
     * Never rejects.
     */
    call(message, timeoutMs) {
        const next = this.queue.then(() => this.send(message, timeoutMs));
        this.queue = next;
        return next;
    }
    /** A hook is running: kills the process (with `reason` for every later hook), so hooks still to come do not wait on it. */
    stopIfBusy(reason) {
        if (!this.pending)
            return;
        this.die(reason);
        this.b.kill();
    }
    /** Ends the process: stdin closed (it exits on its own), then killed if it has not within `graceMs`. */
    async close(graceMs = 2000) {
        await this.queue;
        const { child } = this.b;
        if (child.exitCode !== null || child.signalCode !== null || this.b.child.pid === undefined)
            return;
        const exited = once(child, 'exit');
        this.b.stdin.end();
        const timer = setTimeout(() => this.b.kill(), graceMs);
        await exited;
        clearTimeout(timer);
    }
    send(message, timeoutMs) {
        if (this.dead)
            return Promise.resolve({ ok: false, bridge: true, message: this.dead });
        const id = this.nextId++;
        return new Promise((resolve) => {
            const timer = setTimeout(() => {
                const what = typeof message.func === 'string' ? `${String(message.module)}.${message.func}` : String(message.op);
                this.die(`${what} ran past ${formatDuration(timeoutMs)} and its Python process was killed; later control hooks of this run do not run`);
                this.b.kill();
            }, timeoutMs);
            this.pending = {
                id,
                done: (reply) => {
                    clearTimeout(timer);
                    this.pending = undefined;
                    resolve(reply);
                },
            };
            this.b.stdin.write(`${JSON.stringify({ ...message, id })}\n`);
        });
    }
    read(text) {
        this.partial += text;
        let nl;
        while ((nl = this.partial.indexOf('\n')) >= 0) {
            const line = this.partial.slice(0, nl);
            this.partial = this.partial.slice(nl + 1);
            let reply;
            try {
                reply = JSON.parse(line);
            }
            catch {
                continue;
            }
            if (this.pending && reply.id === this.pending.id)
                this.pending.done(reply);
        }
    }
    die(reason) {
        this.dead ??= reason;
        this.pending?.done({ ok: false, bridge: true, message: this.dead });
    }
}
//# sourceMappingURL=control-bridge.js.map