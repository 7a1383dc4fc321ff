import { readFileSync } from 'node:fs';
import { processTree } from '../demo/children.js';
/** VmRSS of one process from /proc/PID/status, in MiB; 0 once it is gone. */
function vmRssMiB(pid) {
    try {
        const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        return kib === undefined ? 0 : Number(kib) / 1024;
    }
    catch {
        return 0;
    }
}
/**
 * Resident memory of a process and its descendants, in MiB: one proxy is
 * one process, a proxy with workers is a primary and N workers, and each
 * is a whole Node process. NaN where /proc is missing.
 */
export function treeRssMiB(pid) {
    const tree = processTree(pid);
    return tree.length === 0 ? Number.NaN : tree.reduce((sum, p) => sum + vmRssMiB(p), 0);
}
/**
 * Runs `work` while sampling the tree's RSS every 100 ms, and returns what
 * it returned with the highest sample: the peak under that load, sampled
 * (VmHWM would also hold the start-up's and every earlier run's peak).
 */
export async function withPeakRss(pid, work) {
    let peak = treeRssMiB(pid);
    const sampler = setInterval(() => (peak = Math.max(peak, treeRssMiB(pid))), 100);
    try {
        const result = await work();
        return { result, peakRssMiB: Math.max(peak, treeRssMiB(pid)) };
    }
    finally {
        clearInterval(sampler);
    }
}
//# sourceMappingURL=memory.js.map