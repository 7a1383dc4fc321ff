import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

// CPU pinning for benches that compare proxies (tracing.ts): the proxies
// under test share one CPU and everything else (this process, the load
// generator, the upstream, the collector, which inherit this process's
// CPU) gets the other. Two CPU-bound proxies on one CPU get equal time
// from the kernel's fair scheduler, so their throughputs compare as their
// costs per request do; unpinned, they also trade the CPU with wrk and the
// upstream, and one round differs from the next by up to 20%.

/** Whether pinning is possible here: taskset on PATH and at least two CPUs. */
export function canPin(): boolean {
  if (availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Puts every thread of process `pid` on CPU `cpu` (threads it starts later inherit it). */
export function pin(pid: number, cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

/** Lets every thread of process `pid` run on any CPU again. */
export function unpin(pid: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', `0-${availableParallelism() - 1}`, String(pid)], { stdio: 'ignore' });
}
