import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a process's CPU went, from a V8 CPU profile (node --cpu-prof). */
export interface CpuShare {
  /** Time on the CPU: every sample but idle. */
  readonly busyMs: number;
  /** Self time in frames `isOurs` picked, and in Node's and V8's own code they called (JSON.stringify, a socket write). */
  readonly pickedMs: number;
  /** The garbage collector's time, which no frame owns. */
  readonly gcMs: number;
}

interface Profile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string }; readonly children?: readonly number[] }>;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * The share of a process's CPU time spent in some code, counted by self
 * time in a CPU profile. Unlike a throughput ratio it does not depend on
 * how fast the machine was during the run: two runs of one proxy seconds
 * apart differ by 10% on a shared VM, while the share of its time one
 * module takes stays put. Time in Node's own modules and in V8's builtins
 * goes to the nearest caller in a package or in our code: the exporter's
 * JSON.stringify and socket writes are the exporter's, not Node's.
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
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const builtin = (url: string) => url === '' || url.startsWith('node:');
  /** The nearest frame, itself or a caller, that is not Node's or V8's. */
  const ownerUrl = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const url = byId.get(at)!.callFrame.url;
      if (!builtin(url)) return url;
    }
    return '';
  };
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    const { functionName } = node.callFrame;
    if (functionName === '(idle)' || us === 0) continue;
    busy += us;
    if (functionName === '(garbage collector)') gc += us;
    else if (isOurs(ownerUrl(node.id))) picked += us;
  }
  return { busyMs: busy / 1000, pickedMs: picked / 1000, gcMs: gc / 1000 };
}
