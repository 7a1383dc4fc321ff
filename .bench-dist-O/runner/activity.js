import { NO_CONTROLS } from './controls/run-controls.js';
import { exceptionOf } from './ctk-journal.js';
import { runProvider } from './providers/index.js';
import { isProbeTolerance, judgeByProbe } from './providers/probe-tolerance.js';
import { sleep } from './sleep.js';
import { describeTolerance, jsonpathMatches, judgedValue, withinTolerance } from './tolerance.js';
/**
 * Runs one activity between its controls' before and after hooks (the
 * after hook gets the record) and returns its record. Never throws.
 */
export async function runActivity(activity, section, ctx) {
    const controls = ctx.controls ?? NO_CONTROLS;
    await controls.before({ level: 'activity', activity }, ctx.signal);
    const record = await runOnce(activity, section, ctx);
    await controls.after({ level: 'activity', activity }, record, ctx.signal);
    return record;
}
/**
 * Runs one activity with its pauses and returns its record. Never throws:
 * a provider that fails, or a run that is interrupted, is written in the
 * record, and the lifecycle decides what that means.
 */
async function runOnce(activity, section, ctx) {
    const start = ctx.now();
    // What a python provider printed, kept in its record.
    let logs;
    const finish = (fields) => {
        const end = ctx.now();
        return { activity, section, start: new Date(start).toISOString(), end: new Date(end).toISOString(), duration: (end - start) / 1000, ...fields, ...(logs && (logs.stdout || logs.stderr) ? { logs } : {}) };
    };
    const providerCtx = { signal: ctx.signal, ledger: ctx.ledger, activity: activity.name, python: ctx.python, secretScopes: activity.secrets, onLogs: (l) => (logs = l) };
    if (activity.pauses?.before && !(await sleep(activity.pauses.before, ctx.signal)))
        return finish({ status: 'interrupted', error: 'interrupted during the pause before' });
    let output;
    try {
        output = await runProvider(activity.provider, providerCtx);
    }
    catch (err) {
        const e = err;
        return finish({ status: ctx.signal.aborted ? 'interrupted' : 'failed', error: e.message, exception: exceptionOf(err), ...(e.output === undefined ? {} : { output: e.output }), ...(activity.tolerance === undefined ? {} : { tolerance: describeTolerance(activity.tolerance), tolerance_met: false }) });
    }
    const t = activity.tolerance;
    // A probe tolerance runs a probe of its own; the other forms are judged at once, with no await in their way.
    const judged = t === undefined ? {} : isProbeTolerance(t) ? await judgeWithProbe(t, output, providerCtx) : { tolerance: describeTolerance(t), tolerance_met: withinTolerance(t, output), value: judgedValue(t, output) };
    if (activity.pauses?.after && !(await sleep(activity.pauses.after, ctx.signal)))
        return finish({ status: 'interrupted', output, error: 'interrupted during the pause after', ...judged });
    return finish({ status: 'succeeded', output, ...judged });
}
/** A probe tolerance's judgement: met or not, and the tolerance probe's own result for the record. */
async function judgeWithProbe(t, output, ctx) {
    const { met, record } = await judgeByProbe(t, output, { ...ctx, activity: t.name, onLogs: undefined });
    return { tolerance: `probe "${t.name}"`, tolerance_met: met, value: output, tolerance_probe: record };
}
/** What an activity returned, on one line: the value its tolerance judged, a number, a status, or a load summary. */
export function summarizeOutput(output) {
    if (output === undefined)
        return 'no output';
    if (typeof output === 'number')
        return String(Number(output.toFixed(4)));
    if (output && typeof output === 'object') {
        const o = output;
        if ('status' in o) {
            const stdout = typeof o.stdout === 'string' && o.stdout.trim() ? `, stdout ${JSON.stringify(o.stdout.trim().slice(0, 60))}` : '';
            return `status ${String(o.status)}${stdout}`;
        }
        if ('heldMs' in o) {
            const fault = o;
            return `fault ${fault.state} after ${((fault.heldMs ?? 0) / 1000).toFixed(1)}s${fault.counts ? `, matched ${fault.counts.matched}, hit ${fault.counts.hit}` : ''}`;
        }
        if (typeof o.achievedRate === 'number' && typeof o.successRatio === 'number' && typeof o.latencyMs?.p99 === 'number') {
            const load = o;
            return `${load.requests} requests at ${load.achievedRate}/s, ${(load.successRatio * 100).toFixed(1)}% ok, p99 ${load.latencyMs.p99.toFixed(1)} ms`;
        }
    }
    const text = JSON.stringify(output) ?? String(output);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
/** What a jsonpath tolerance's path matched in a record's output, or undefined for another tolerance (or a record read back without one). */
function jsonpathFound(r) {
    const t = r.activity.tolerance;
    if (t === null || typeof t !== 'object' || Array.isArray(t) || t.type !== 'jsonpath' || typeof t.path !== 'string')
        return undefined;
    try {
        const matches = jsonpathMatches(t, r.output);
        const text = JSON.stringify(matches) ?? '[]';
        return { path: t.path, found: matches.length === 0 ? 'nothing' : text.length > 60 ? `${text.slice(0, 57)}...` : text };
    }
    catch {
        return undefined;
    }
}
/** The value a record's tolerance judged (a status, a ratio, what a jsonpath matched), or its whole output when that was an object, on one line. */
export function judgedSummary(r) {
    const jsonpath = r.status === 'succeeded' ? jsonpathFound(r) : undefined;
    if (jsonpath)
        return `${jsonpath.found} at ${jsonpath.path}`;
    return summarizeOutput(r.value !== undefined && typeof r.value !== 'object' ? r.value : r.output);
}
/** A record's result on one line: the judged value (for a jsonpath, what its path matched) and what it was judged against, or why it has none. */
export function describeResult(r) {
    if (r.status !== 'succeeded')
        return `${r.status}: ${r.error}`;
    const jsonpath = jsonpathFound(r);
    const shown = jsonpath ? `${jsonpath.path} matched ${jsonpath.found}` : judgedSummary(r);
    return r.tolerance === undefined ? shown : `${shown} ${r.tolerance_met ? '✓' : '✗'} (tolerance ${r.tolerance})`;
}
//# sourceMappingURL=activity.js.map