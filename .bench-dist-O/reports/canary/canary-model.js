import { formatAllowedPoints, formatConfidence, formatQuantile } from '../../runner/canary/stats/format.js';
import { formatWhen as when } from '../report-model.js';
import { canaryCharts } from './canary-charts.js';
import { CHECK_HEAD, checkCells } from './check-cells.js';
export const JUDGEMENT_HEAD = ['when', 'step', 'weight', 'judgement', ...CHECK_HEAD];
export const CHAOS_HEAD = ['experiment', 'at weight', 'from', 'to', 'status', 'deviated', 'stopped by', 'journal'];
export const ERROR_HEAD = ['when', 'error'];
const finite = (n) => Number.isFinite(n);
const OUTCOME_WORD = { promoted: 'Promoted', 'rolled-back': 'Rolled back', aborted: 'Aborted', failed: 'Failed' };
/** 30000 → "30s", 112600 → "1m 52.6s", 120000 → "2m". */
export function formatSpan(ms) {
    if (!finite(ms))
        return '—';
    const s = Math.round(ms / 100) / 10;
    if (s < 60)
        return `${s}s`;
    const rest = Math.round((s % 60) * 10) / 10;
    return `${Math.floor(s / 60)}m${rest ? ` ${rest}s` : ''}`;
}
const labelText = (l) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(', ') || '—';
/**
 * The sentence on top. A finished run has its decision's; a run without
 * one (still running, or its process killed) says where it stood, so a
 * reader never takes a half-done canary for a judged one.
 */
function headlineOf(j) {
    if (j.decision)
        return j.decision.sentence;
    const at = finite(j.weight) ? `${j.weight}%` : 'an unknown weight';
    const step = finite(j.step) && j.step >= 1 && j.step <= j.steps.length ? ` (step ${j.step} of ${j.steps.length})` : '';
    if (j.status === 'running')
        return `Still running at ${at}${step} when this journal was written: no decision.`;
    const lastCanary = [...j.weights].reverse().find((w) => w.weight > 0)?.weight;
    return `${OUTCOME_WORD[j.status]}${lastCanary === undefined ? '' : ` (last canary weight ${lastCanary}%)`}: this journal records no decision sentence.`;
}
function notesOf(j, cutShort) {
    const notes = [];
    if (j.status === 'running') {
        notes.push(`Incomplete: this journal stops during ${j.phase || 'the run'}. Either the canary was still running when it was written, or its process ended first; then its leased weight override ran out and traffic went back to the stable weights.`);
    }
    if (cutShort)
        notes.push('This journal file was cut off mid-write (a full disk, a copy taken too early): the report shows what it holds.');
    return notes;
}
function analysisText(j) {
    const s = j.settings;
    const parts = [
        s.errorRatio ? `error ratio at most ${formatAllowedPoints(s.errorRatio.maxIncrease)} over stable's` : '',
        s.latency ? `${formatQuantile(s.latency.quantile)} latency at most ${s.latency.maxRatio}x stable's` : '',
    ].filter(Boolean);
    return parts.join('; ') || '—';
}
function factsOf(j, sec) {
    const s = j.settings;
    const via = 'control' in j.via ? `control plane ${j.via.control}` : `proxy admins ${j.via.admins.join(', ') || '—'}`;
    const duration = j.end ? formatSpan(sec(j.end) * 1000) : 'still running';
    return [
        ['service', `${j.service || '—'}${finite(j.route) ? `, route ${j.route}` : ''}`],
        ['stable', labelText(j.stable)],
        ['canary', labelText(j.canary)],
        ['steps', j.steps.map((w) => `${w}%`).join(', ') || '—'],
        ['interval', `${formatSpan(s.intervalMs)} (each step lasts at least this long)`],
        ['minRequests', `${finite(s.minRequests) ? s.minRequests : '—'} per subset per window; fewer is "insufficient data", never a pass`],
        ['confidence', finite(s.confidence) ? formatConfidence(s.confidence) : '—'],
        ['analysis', analysisText(j)],
        ['rollback after', `${finite(s.failedChecks) ? s.failedChecks : '—'} failed checks, or ${formatSpan(s.maxWaitMs)} without enough data`],
        ['weights via', via],
        ['canary file', j.file || '—'],
        ['start', when(j.start)],
        ['end', j.end ? when(j.end) : '—'],
        ['duration', duration],
        ...(j.status === 'running' ? [['phase', j.phase || '—']] : []),
    ];
}
/** A time in a table: the clock, and the seconds since the canary started, which the charts' axis shows. */
const timeCell = (iso, sec) => {
    const s = sec(iso);
    return Number.isFinite(s) ? `${when(iso).slice(11, 19)} (+${s.toFixed(1)}s)` : '—';
};
function judgementRows(g, allowed, sec) {
    const failed = g.outcome === 'fail' && finite(g.failedChecks) ? ` (failed checks: ${g.failedChecks}${finite(allowed) ? ` of ${allowed}` : ''})` : '';
    const checks = g.checks.length ? g.checks.map(checkCells) : [['—', g.outcome, '—', '—', '—', '—', '—', '—', '—', g.reason || '—']];
    return { cells: [timeCell(g.at, sec), String(g.step), `${g.weight}%`, `${g.outcome}${failed}`], outcome: g.outcome, checks };
}
/** Derives the report of one canary release from its journal. */
export function canaryReport(j, cutShort = false) {
    const t0 = Date.parse(j.start);
    const sec = (t) => (Date.parse(t) - t0) / 1000;
    const times = [...j.timeseries.map((p) => p.t), ...j.weights.map((w) => w.at), ...j.judgements.map((g) => g.at), ...j.chaos.flatMap((c) => [c.start, c.end ?? c.start])].map(sec).filter(finite);
    const xMax = j.end && finite(sec(j.end)) ? sec(j.end) : Math.max(1, ...times);
    const p = j.promotion;
    return {
        journal: j,
        headline: headlineOf(j),
        status: j.status,
        statusWord: j.status.replace('-', ' '),
        notes: notesOf(j, cutShort),
        facts: factsOf(j, sec),
        charts: canaryCharts(j, sec, xMax),
        judgements: j.judgements.map((g) => judgementRows(g, j.settings.failedChecks, sec)),
        chaos: j.chaos.map((c) => [c.experiment, `${c.at}%`, timeCell(c.start, sec), c.end ? timeCell(c.end, sec) : 'still running', c.status, c.deviated ? 'yes' : 'no', c.stoppedBy ?? '—', c.journal ?? '—']),
        promotion: p && [
            ['command to run', p.command ?? (p.applied ? '— (applied by the canary run)' : '—')],
            ['mesh file', p.meshFile ?? '—'],
            ['applied', p.applied ? 'yes' : 'no'],
            ['note', p.note || '—'],
        ],
        errors: j.errors.map((e) => [e.at ? timeCell(e.at, sec) : '—', e.message]),
    };
}
//# sourceMappingURL=canary-model.js.map