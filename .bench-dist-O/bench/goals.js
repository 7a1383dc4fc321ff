import { fmt, signed } from './print.js';
import { RULES } from './targets.js';
/**
 * The targets, one line each, each ending `met` or `NOT met`. A
 * target whose figures are missing (its process was not run) is not met,
 * and says which target was missing and why.
 */
export function printGoals(f) {
    console.log('\nTargets of issue #16 (ratios within this run)');
    for (const goal of goals(f))
        console.log(`- ${goal.text}: ${goal.met ? 'met' : 'NOT met'}`);
    const w2Idle = f.idleRssMiB.get('faultmesh-w2');
    const after = f.afterLoadRssMiB.get('faultmesh');
    if (after !== undefined)
        console.log(`  faultmesh RSS idle after the c${f.connections} rounds: ${fmt(after, 1)} MiB (reference ${fmt(f.afterLoadRssMiB.get('reference') ?? Number.NaN, 1)} MiB; no target: the young generation grown under load stays until V8's memory reducer runs)`);
    if (w2Idle !== undefined)
        console.log(`  faultmesh-w2 RSS, primary and workers summed: ${fmt(w2Idle, 1)} MiB idle, ${fmt(f.closed.get('faultmesh-w2')?.peakRssMiB ?? Number.NaN, 1)} MiB peak at c${f.connections} (no target)`);
}
function goals(f) {
    const c = f.connections;
    const rate = f.rate;
    const missing = (...names) => {
        const gone = names.filter((n) => !f.closed.has(n));
        if (gone.length === 0)
            return undefined;
        const why = gone.map((n) => `${n} not run: ${f.skipped.find((s) => s.name === n)?.why ?? 'not selected'}`).join('; ');
        return { text: why, met: false };
    };
    const ratioGoal = (label, a, b, min) => {
        const gone = missing(a, b);
        if (gone)
            return { ...gone, text: `${label}: ${gone.text}` };
        const ra = f.closed.get(a).rps;
        const rb = f.closed.get(b).rps;
        return { text: `${label}: ${fmt(ra, 0)} / ${fmt(rb, 0)} req/s = ${fmt(ra / rb)}x (target >= ${fmt(min)}x)`, met: ra / rb >= min };
    };
    const list = [
        ratioGoal(`faultmesh (undici, one worker) vs reference at c${c}`, 'faultmesh', 'reference', 0.8),
        ratioGoal(`faultmesh-hpm vs hpm-only at c${c}`, 'faultmesh-hpm', 'hpm-only', 0.85),
        ratioGoal(`scaling at c${c}: faultmesh-w2 (2 workers) vs faultmesh (1 worker)`, 'faultmesh-w2', 'faultmesh', 1.4),
    ];
    const cpuGone = missing('faultmesh', 'reference');
    if (cpuGone)
        list.push({ ...cpuGone, text: `CPU per request at ${rate} req/s: ${cpuGone.text}` });
    else {
        const fm = f.open.get('faultmesh').cpuUs;
        const ref = f.open.get('reference').cpuUs;
        list.push({ text: `CPU per request at ${rate} req/s: faultmesh ${fmt(fm, 1)} µs vs reference ${fmt(ref, 1)} µs = ${fmt(fm / ref)}x (target <= 1.30x)`, met: fm / ref <= 1.3 });
        const direct = f.open.get('direct').p99;
        const fmAdded = f.open.get('faultmesh').p99 - direct;
        const refAdded = f.open.get('reference').p99 - direct;
        // A reference that adds nothing (within noise) leaves nothing to compare a ratio with: then only adding nothing either is met.
        const ratio = refAdded > 0 ? `${fmt(fmAdded / refAdded)}x` : 'no ratio (the reference added nothing)';
        list.push({ text: `added p99 at ${rate} req/s: faultmesh ${fmt(fmAdded, 3)} ms vs reference ${fmt(refAdded, 3)} ms = ${ratio} (target <= 1.30x)`, met: fmAdded <= 1.3 * Math.max(refAdded, 0) });
    }
    const rules = `faultmesh+${RULES}`;
    const rulesGone = missing(rules, 'faultmesh');
    if (rulesGone)
        list.push({ ...rulesGone, text: `${RULES} non-matching rules: ${rulesGone.text}` });
    else {
        const loss = 1 - f.closed.get(rules).rps / f.closed.get('faultmesh').rps;
        list.push({ text: `${RULES} non-matching rules, throughput at c${c}: ${fmt(100 * loss, 1)}% lost (target < 5%)`, met: loss < 0.05 });
        const cpu = f.open.get(rules).cpuUs / f.open.get('faultmesh').cpuUs - 1;
        list.push({ text: `${RULES} non-matching rules, CPU per request at ${rate} req/s: ${signed(cpu)} (target < +5%)`, met: cpu < 0.05 });
    }
    const rssGone = missing('faultmesh');
    if (rssGone)
        list.push({ ...rssGone, text: `RSS of faultmesh: ${rssGone.text}` });
    else {
        const idle = f.idleRssMiB.get('faultmesh');
        const peak = f.closed.get('faultmesh').peakRssMiB;
        list.push({ text: `RSS idle, faultmesh (one worker, started, not loaded yet): ${fmt(idle, 1)} MiB (target <= 80 MiB)`, met: idle <= 80 });
        list.push({ text: `RSS under c${c} load, faultmesh (one worker), peak sampled: ${fmt(peak, 1)} MiB (target <= 150 MiB)`, met: peak <= 150 });
    }
    return list;
}
//# sourceMappingURL=goals.js.map