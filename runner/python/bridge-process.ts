import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { BRIDGE_SOURCE } from './bridge-source.js';
import type { PythonChoice } from './python-env.js';

/** What a provider's stdout and stderr may hold in memory and in the journal: the last MiB of each. */
export const MAX_LOG_BYTES = 1024 * 1024;

/** The last `max` bytes of a stream, and whether anything before them was dropped. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;

  constructor(private readonly max = MAX_LOG_BYTES) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.max) {
      this.size -= this.chunks.shift()!.length;
      this.dropped = true;
    }
  }

  /** The text kept, marked when its start was cut. */
  text(): string {
    const all = Buffer.concat(this.chunks);
    const cut = all.length > this.max;
    const kept = (cut ? all.subarray(all.length - this.max) : all).toString('utf8');
    return this.dropped || cut ? `[only the last ${this.max} bytes are kept]\n${kept}` : kept;
  }
}

/** A bridge child: its stdin, its result channel (fd 3), and its logs. */
export interface BridgeChild {
  readonly child: ChildProcess;
  readonly stdin: Writable;
  readonly results: Readable;
  readonly stdout: TailBuffer;
  readonly stderr: TailBuffer;
  /** SIGKILL to its whole process group: the user's code may have started processes of its own. */
  kill(): void;
}

/**
 * Starts `python -u -c BRIDGE MODE` in a process group of its own (so it and
 * whatever it starts can be killed at once), with the runner's environment,
 * which extensions read (KUBECONFIG, AWS_*, ...). Spawn errors (a missing
 * interpreter) arrive as the child's `error` event.
 */
export function spawnBridge(mode: 'call' | 'controls', choice: PythonChoice): BridgeChild {
  const child = spawn(choice.interpreter, ['-u', '-c', BRIDGE_SOURCE, mode], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], detached: true });
  const stdout = new TailBuffer();
  const stderr = new TailBuffer();
  child.stdout!.on('data', (d: Buffer) => stdout.push(d));
  child.stderr!.on('data', (d: Buffer) => stderr.push(d));
  // A child that died before reading its request would make the write fail: that shows as its exit, not as a crash here.
  child.stdin!.on('error', () => {});
  const results = child.stdio[3] as Readable;
  results.on('error', () => {});
  const kill = () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  return { child, stdin: child.stdin!, results, stdout, stderr, kill };
}

/** The last non-empty lines of a log, for an error message. */
export function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
