import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a process's CPU went, from a V8 CPU profile (node --cpu-prof). */
export interface CpuShare {
  /** Time on the CPU: every sample but idle. */
  readonly busyMs: number;
  /** Self time in frames `isOurs` picked. */
  readonly pickedMs: number;
  /** The garbage collector's time, which no frame owns. */
  readonly gcMs: number;
}

interface Profile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string } }>;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * The share of a process's CPU time spent in some code, counted by self
 * time in a CPU profile. Unlike a throughput ratio it does not depend on
 * how fast the machine was during the run: two runs of one proxy seconds
 * apart differ by 10% on a shared VM, while the share of its time one
 * module takes stays put.
 */
export function cpuShareOf(profileDir: string, isOurs: (url: string) => boolean): CpuShare {
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile in ${profileDir}: did the process exit cleanly?`);
  const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as Profile;
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let busy = 0;
  let picked = 0;
  let gc = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    const { functionName, url } = node.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    if (functionName === '(garbage collector)') gc += us;
    else if (isOurs(url)) picked += us;
  }
  return { busyMs: busy / 1000, pickedMs: picked / 1000, gcMs: gc / 1000 };
}
