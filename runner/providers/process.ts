import { spawn } from 'node:child_process';
import { formatDuration, timerMs } from '../../proxy/config/duration.js';
import type { ProviderOf } from '../experiment/provider-schema.js';
import type { SignalOnly } from './provider-context.js';

export interface ProcessOutput {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const MAX_OUTPUT = 1024 * 1024;

/**
 * Chaos Toolkit's process provider: runs `path` with its arguments (no
 * shell) and returns its exit status and output. A non-zero exit is output
 * for the tolerance to judge; failing to start, or running past `timeout`
 * (ms once parsed), fails the activity.
 */
export function runProcess(p: ProviderOf<'process'>, ctx: SignalOnly): Promise<ProcessOutput> {
  return new Promise((resolve, reject) => {
    // Checked before spawning, so a bad timeout never leaves a child behind.
    const timeoutMs = p.timeout ? timerMs(p.timeout) : undefined;
    const child = spawn(p.path, p.arguments, { stdio: ['ignore', 'pipe', 'pipe'], signal: ctx.signal, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-MAX_OUTPUT)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-MAX_OUTPUT)));
    let timedOut = false;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeoutMs)
      : undefined;
    child.once('error', (err) => {
      clearTimeout(timer);
      reject((err as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(`cannot run "${p.path}": not found`) : err);
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`"${p.path}" ran past its ${formatDuration(p.timeout!)} timeout and was killed`));
      else resolve({ status, stdout, stderr });
    });
  });
}
