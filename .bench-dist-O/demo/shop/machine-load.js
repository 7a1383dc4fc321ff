import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { cpuMsOf } from '../children.js';
/** /proc/pressure/cpu's cumulative "some" stall, in microseconds. */
function cpuWaitUs() {
    try {
        const total = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1];
        return total === undefined ? undefined : Number(total);
    }
    catch {
        return undefined;
    }
}
/** The first line of /proc/stat, in clock ticks: busy (user, nice, system, irq, softirq, steal) and total. */
function cpuTicks() {
    try {
        const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
        const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
        const busy = user + nice + system + irq + softirq + steal;
        return { busy, total: busy + idle + iowait };
    }
    catch {
        return undefined;
    }
}
export function markLoad(now = Date.now()) {
    return { at: now, waitUs: cpuWaitUs(), busy: cpuTicks(), demoMs: cpuMsOf(process.pid) };
}
/** What the machine did between `mark` and now. */
export function loadSince(mark, now = Date.now()) {
    const cores = availableParallelism();
    const seconds = Math.max(0.001, (now - mark.at) / 1000);
    const waitUs = cpuWaitUs();
    const busy = cpuTicks();
    const demoMs = cpuMsOf(process.pid);
    return {
        seconds,
        cores,
        cpuWait: waitUs !== undefined && mark.waitUs !== undefined ? Math.min(1, (waitUs - mark.waitUs) / 1e6 / seconds) : undefined,
        busyCores: busy && mark.busy && busy.total > mark.busy.total ? ((busy.busy - mark.busy.busy) / (busy.total - mark.busy.total)) * cores : undefined,
        demoCores: Number.isFinite(demoMs) && Number.isFinite(mark.demoMs) ? (demoMs - mark.demoMs) / 1000 / seconds : undefined,
    };
}
/**
 * Tasks waited for a CPU at least this share of the time: latency then
 * measures the queue for the CPU more than the mesh. Measured on a 2-core
 * machine, the demo from source: alone, it made tasks wait 31% of the time
 * (it used 1.0 core); its experiments held at 36% and 45%; from 90% on, the
 * shop's own calls time out before any fault (a p95 of 4.6 s).
 */
export const BUSY_CPU_WAIT = 0.5;
/** Without PSI: the machine's cores this busy. */
export const BUSY_CORES_SHARE = 0.9;
/** Whether the machine was too busy for latency and error ratios to speak for the mesh. */
export function tooBusy(r) {
    if (r.cpuWait !== undefined)
        return r.cpuWait >= BUSY_CPU_WAIT;
    return r.busyCores !== undefined && r.busyCores >= BUSY_CORES_SHARE * r.cores;
}
const pct = (x) => `${Math.round(x * 100)}%`;
const cores = (x) => x.toFixed(1);
/**
 * The reading in words: `tasks waited for a CPU 93% of the time; its 2 cores
 * were 1.9 busy, 1.5 of that other work than the demo`.
 */
export function describeLoad(r) {
    const parts = [];
    if (r.cpuWait !== undefined)
        parts.push(`tasks waited for a CPU ${pct(r.cpuWait)} of the time`);
    if (r.busyCores !== undefined) {
        const other = r.demoCores === undefined ? '' : `: the demo ${cores(Math.min(r.demoCores, r.busyCores))}, other work ${cores(Math.max(0, r.busyCores - r.demoCores))}`;
        parts.push(`${cores(r.busyCores)} of its ${r.cores} cores were busy${other}`);
    }
    return parts.length ? parts.join('; ') : 'no load reading on this system';
}
//# sourceMappingURL=machine-load.js.map