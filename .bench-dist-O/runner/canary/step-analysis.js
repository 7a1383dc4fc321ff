import { runActivity } from '../activity.js';
import { sleep } from '../sleep.js';
import { judgeWindow } from './judge.js';
import { pointOf } from './measure.js';
import { histogramQuantile } from './stats/quantile.js';
const iso = (ms) => new Date(ms).toISOString();
/**
 * One step of the canary at one weight. Windows of at least `intervalMs`
 * are judged as they close; a window short of data keeps accumulating
 * (it is never passed) until it has enough or `maxWaitMs` runs out; a
 * failed window starts a fresh one, until failed checks reach the limit.
 */
export async function analyseStep(step, weight, failedSoFar, d) {
    const quantile = (b, q) => histogramQuantile(b, q);
    let base;
    let prev;
    let lastInsufficient = 0;
    let scrapeFailingSince;
    const started = d.now();
    for (;;) {
        if (base && !(await sleep(d.sampleMs, d.signal)))
            return { kind: 'stopped' };
        let scrape;
        try {
            scrape = await d.measurer.scrape(d.signal);
            scrapeFailingSince = undefined;
        }
        catch (err) {
            if (d.signal.aborted)
                return { kind: 'stopped' };
            const at = d.now();
            if (scrapeFailingSince === undefined)
                d.error(err.message);
            scrapeFailingSince ??= at;
            // Blind for longer than a step may wait: no judgement is possible, so the canary goes back.
            if (at - scrapeFailingSince >= d.maxWaitMs)
                return { kind: 'rollback', reason: `the proxies' metrics could not be read for ${Math.round((at - scrapeFailingSince) / 1000)} s (${err.message})`, judgement: undefined };
            if (!base && !(await sleep(d.sampleMs, d.signal)))
                return { kind: 'stopped' };
            continue;
        }
        const at = d.now();
        if (!base) {
            base = prev = { at, scrape };
            continue;
        }
        base = { at: base.at, scrape: d.measurer.adopt(base.scrape, scrape) };
        const delta = d.measurer.window(d.measurer.adopt(prev.scrape, scrape), scrape);
        const seconds = (at - prev.at) / 1000;
        d.point({ t: iso(at), weight, stable: pointOf(delta.stable, seconds, quantile), canary: pointOf(delta.canary, seconds, quantile) });
        prev = { at, scrape };
        const elapsed = at - base.at;
        if (elapsed < d.intervalMs)
            continue;
        const w = d.measurer.window(base.scrape, scrape);
        const verdict = judgeWindow(w.stable, w.canary, d.settings);
        const probeChecks = verdict.outcome === 'fail' ? [] : await runProbes(d);
        if (d.signal.aborted)
            return { kind: 'stopped' };
        const checks = [...verdict.checks, ...probeChecks];
        const outcome = checks.some((c) => c.outcome === 'fail') ? 'fail' : verdict.outcome;
        // Both metric checks give the same words for a window short of data: said once.
        const reasons = [...new Set(checks.filter((c) => c.outcome === outcome).map((c) => c.reason))];
        const judgement = (failed) => ({ at: iso(at), step, weight, windowStart: iso(base.at), windowEnd: iso(at), outcome, checks, reason: reasons.join('; ') || verdict.reason, failedChecks: failed });
        if (outcome === 'pass') {
            d.judged(judgement(failedSoFar.count));
            return { kind: 'passed' };
        }
        if (outcome === 'fail') {
            failedSoFar.count++;
            const j = judgement(failedSoFar.count);
            d.judged(j);
            if (failedSoFar.count >= d.failedChecksAllowed)
                return { kind: 'rollback', reason: j.reason, judgement: j };
            base = { at, scrape };
            continue;
        }
        // Insufficient: said once per interval, and past the deadline it is a rollback, never a pass.
        const waited = at - base.at;
        if (waited >= d.maxWaitMs) {
            const j = judgement(failedSoFar.count);
            d.judged(j);
            return { kind: 'rollback', reason: `insufficient data after ${Math.round(waited / 1000)} s at ${weight}%: ${j.reason}`, judgement: j };
        }
        if (at - Math.max(lastInsufficient, started) >= d.intervalMs) {
            lastInsufficient = at;
            d.judged(judgement(failedSoFar.count));
        }
    }
}
/** The file's extra gates: each probe once, judged by its tolerance; a probe that cannot run fails its check. */
async function runProbes(d) {
    const out = [];
    for (const probe of d.probes) {
        const r = await runActivity(probe, 'hypothesis', { signal: d.signal, ledger: d.ledger, now: d.now });
        const met = r.status === 'succeeded' && r.tolerance_met === true;
        const value = r.value ?? r.output ?? null;
        out.push({ metric: 'probe', name: probe.name, outcome: met ? 'pass' : 'fail', value, tolerance: r.tolerance ?? '', reason: met ? `probe "${probe.name}" returned ${JSON.stringify(value)}, within ${r.tolerance}` : r.status === 'succeeded' ? `probe "${probe.name}" returned ${JSON.stringify(value)}, outside its tolerance (${r.tolerance})` : `probe "${probe.name}" failed: ${r.error ?? r.status}` });
    }
    return out;
}
//# sourceMappingURL=step-analysis.js.map