import { spawn } from 'node:child_process';
import { BRIDGE_SOURCE } from './bridge-source.js';
/** What a provider's stdout and stderr may hold in memory and in the journal: the last MiB of each. */
export const MAX_LOG_BYTES = 1024 * 1024;
/** The last `max` bytes of a stream, and whether anything before them was dropped. */
export class TailBuffer {
    max;
    chunks = [];
    size = 0;
    dropped = false;
    constructor(max = MAX_LOG_BYTES) {
        this.max = max;
    }
    push(chunk) {
        this.chunks.push(chunk);
        this.size += chunk.length;
        while (this.chunks.length > 1 && this.size - this.chunks[0].length >= this.max) {
            this.size -= this.chunks.shift().length;
            this.dropped = true;
        }
    }
    /** The text kept, marked when its start was cut. */
    text() {
        const all = Buffer.concat(this.chunks);
        const cut = all.length > this.max;
        const kept = (cut ? all.subarray(all.length - this.max) : all).toString('utf8');
        return this.dropped || cut ? `[only the last ${this.max} bytes are kept]\n${kept}` : kept;
    }
}
/**
 * Starts `python -u -c BRIDGE MODE` in a process group of its own (so it and
 * whatever it starts can be killed at once), with the runner's environment,
 * which extensions read (KUBECONFIG, AWS_*, ...). Spawn errors (a missing
 * interpreter) arrive as the child's `error` event.
 */
export function spawnBridge(mode, choice) {
    const child = spawn(choice.interpreter, ['-u', '-c', BRIDGE_SOURCE, mode], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], detached: true });
    const stdout = new TailBuffer();
    const stderr = new TailBuffer();
    child.stdout.on('data', (d) => stdout.push(d));
    child.stderr.on('data', (d) => stderr.push(d));
    // A child that died before reading its request would make the write fail: that shows as its exit, not as a crash here.
    child.stdin.on('error', () => { });
    const results = child.stdio[3];
    results.on('error', () => { });
    const kill = () => {
        if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null)
            return;
        try {
            process.kill(-child.pid, 'SIGKILL');
        }
        catch {
            // Already gone.
        }
    };
    return { child, stdin: child.stdin, results, stdout, stderr, kill };
}
/** The last non-empty lines of a log, for an error message. */
export function lastLines(text, n = 3) {
    return text.trim().split('\n').slice(-n).join(' | ');
}
//# sourceMappingURL=bridge-process.js.map