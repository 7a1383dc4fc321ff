import { describeResult, judgedSummary } from '../runner/activity.js';
import { describeRule } from '../runner/describe.js';
import { partlyTested, verdictOf } from '../runner/verdict.js';
import { adminName, byName, proxyIdName, sampledFrom } from './proxy-names.js';
import { runCharts, runFrame } from './run-charts.js';
export const PROBE_HEAD = ['when', 'probe', 'value', 'tolerance', 'met'];
export const FAULT_HEAD = ['fault', 'rule', 'where', 'from', 'to', 'held for', 'matched', 'hit', 'state'];
export const EJECTION_HEAD = ['when', 'destination', 'instance', 'reason', 'ejected by'];
export const ACTIVITY_HEAD = ['activity', 'status', 'duration', 'result'];
export const SAFEGUARD_HEAD = ['safeguard', 'checks', 'last value', 'tolerance', 'passed'];
export const ERROR_HEAD = ['phase', 'error'];
/** A journal's ISO time as people read it in a report: `2026-12-01 09:15:00 UTC`. */
export const formatWhen = (iso) => (iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '—');
export function outcomeOf(j) {
    if (j.status === 'running')
        return 'incomplete';
    if (j.status === 'completed' && !j.deviated)
        return 'held';
    if (j.deviated)
        return 'deviated';
    return j.status === 'completed' ? 'held' : j.status;
}
/** The badge: as the outcome, except a run that held while a method activity failed (runner/verdict.ts says what was not tested). */
export function badgeOf(j) {
    const outcome = outcomeOf(j);
    return outcome === 'held' && partlyTested(j) ? { word: 'held, partly tested', tone: 'partly' } : { word: outcome, tone: outcome };
}
/** The "where" cell: each admin by name (a control plane with the proxies it said applied the fault), the URLs as its tooltip. */
function whereCell(j, f) {
    const applied = f.appliedBy ? `, applied by ${f.appliedBy.length ? f.appliedBy.map((id) => proxyIdName(j, id)).join(', ') : 'no proxy'}` : '';
    const text = f.admins
        .map((a) => {
        const name = adminName(j, a).text;
        if (!f.controls?.includes(a))
            return name;
        // An older journal does not name its admins: the URL, marked as the control plane.
        return name === a ? `${a} (control plane${applied})` : `${name}${applied}`;
    })
        .join('; ');
    return { text, title: f.admins.join(', ') };
}
function valueOf(r) {
    if (r.status !== 'succeeded')
        return `${r.status}: ${r.error ?? ''}`;
    return judgedSummary(r);
}
/** Derives the report of one run from its journal. */
export function runReport(j) {
    const t0 = Date.parse(j.start);
    const sec = (t) => (Date.parse(t) - t0) / 1000;
    const lastSample = Object.values(j.timeseries.destinations).flat().map((p) => sec(p.t));
    const lastActivity = [...j.run, ...j.rollbacks].map((r) => sec(r.end));
    const xMax = j.duration ?? Math.max(1, ...lastSample, ...lastActivity);
    const at = (t) => (t ? `${sec(t).toFixed(1)}s` : '—');
    const probeRows = (label, h) => (h ? h.probes.map((r) => [label, r.activity.name, valueOf(r), r.tolerance ?? '', r.tolerance_met ? 'yes' : 'NO']) : []);
    const guards = new Map();
    for (const r of j.safeguards)
        guards.set(r.activity.name, [...(guards.get(r.activity.name) ?? []), r]);
    const lostAt = (f) => (f.lost ? `lost: ${f.lost.cause} (${adminName(j, f.lost.admin).text})` : f.state);
    return {
        journal: j,
        outcome: outcomeOf(j),
        badge: badgeOf(j),
        verdict: verdictOf(j),
        incomplete: j.status === 'running',
        sampledFrom: sampledFrom(j),
        charts: runCharts(runFrame(j, sec, xMax)),
        probes: [...probeRows('before', j.steady_states.before), ...j.steady_states.during.flatMap((h) => probeRows(`during (${at(h.at)})`, h)), ...probeRows('after', j.steady_states.after)],
        faults: j.faults.map((f) => [f.id, describeRule(f.rule), whereCell(j, f), at(f.injectedAt), at(f.removedAt), f.heldMs === undefined ? 'still held' : `${(f.heldMs / 1000).toFixed(1)}s`, String(f.counts?.matched ?? '—'), String(f.counts?.hit ?? '—'), lostAt(f)]),
        ejections: !j.timeseries.ejections || !j.timeseries.admins.length ? null : j.timeseries.ejections.map((e) => [`${at(e.from)}–${at(e.at)}`, e.destination, e.instance, e.reason, byName(j, e.by)]),
        activities: j.run.map((r) => [`${r.activity.type} ${r.activity.name}`, r.status, `${r.duration.toFixed(1)}s`, describeResult(r)]),
        safeguards: [...guards].map(([name, rs]) => [name, String(rs.length), valueOf(rs.at(-1)), rs.at(-1).tolerance ?? '', rs.every((r) => r.status === 'succeeded' && r.tolerance_met) ? 'yes' : 'NO']),
        rollbacks: j.rollbacks.map((r) => [`${r.activity.type} ${r.activity.name}`, r.status, `${r.duration.toFixed(1)}s`, describeResult(r)]),
        noRollbacks: typeof j.rollbacksSkipped === 'string' && j.rollbacksSkipped ? `No rollback ran: ${j.rollbacksSkipped}.` : 'No rollback ran.',
        errors: j.errors.map((e) => [e.phase, e.message]),
    };
}
//# sourceMappingURL=report-model.js.map