const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v, fallback = '') => (typeof v === 'string' ? v : fallback);
const strOrNull = (v) => (typeof v === 'string' ? v : null);
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
/** A number the report shows as "—" when the journal lacks it (NaN formats as missing everywhere). */
const num = (v) => (isNum(v) ? v : Number.NaN);
const numOrNull = (v) => (isNum(v) ? v : null);
const pair = (v) => (Array.isArray(v) && v.length === 2 && isNum(v[0]) && isNum(v[1]) ? [v[0], v[1]] : null);
const list = (v) => (Array.isArray(v) ? v : []);
const whole = (v, read) => list(v).flatMap((x) => (isRecord(x) ? (read(x) ?? []) : []));
const OUTCOMES = ['pass', 'fail', 'insufficient'];
const STATUSES = ['running', 'promoted', 'rolled-back', 'aborted', 'failed'];
const outcomeOf = (v) => (OUTCOMES.includes(v) ? v : null);
const labels = (v) => (isRecord(v) ? Object.fromEntries(Object.entries(v).filter((e) => typeof e[1] === 'string')) : {});
function proportion(v) {
    if (!isRecord(v) || !isNum(v.requests) || !isNum(v.errors))
        return null;
    return { requests: v.requests, errors: v.errors, ratio: numOrNull(v.ratio) ?? (v.requests > 0 ? v.errors / v.requests : null) };
}
/** A check as recorded; one cut short keeps what it holds, and one without its metric or outcome is left out. */
function check(c) {
    const outcome = outcomeOf(c.outcome);
    if (!outcome)
        return null;
    const reason = str(c.reason);
    if (c.metric === 'error-ratio') {
        const stable = proportion(c.stable);
        const canary = proportion(c.canary);
        if (!stable || !canary)
            return null;
        return { metric: 'error-ratio', outcome, stable, canary, difference: numOrNull(c.difference), ci: pair(c.ci), pValue: numOrNull(c.pValue), test: 'fisher-exact', maxIncrease: num(c.maxIncrease), confidence: num(c.confidence), reason };
    }
    if (c.metric === 'latency') {
        const mw = c.mannWhitney;
        const mannWhitney = isRecord(mw) && isNum(mw.u) && isNum(mw.z) && isNum(mw.pValue) && isNum(mw.probabilityCanarySlower) ? { u: mw.u, z: mw.z, pValue: mw.pValue, probabilityCanarySlower: mw.probabilityCanarySlower } : null;
        return { metric: 'latency', outcome, quantile: num(c.quantile), stableMs: numOrNull(c.stableMs), canaryMs: numOrNull(c.canaryMs), ratio: numOrNull(c.ratio), ratioCi: pair(c.ratioCi), maxRatio: num(c.maxRatio), mannWhitney, stableRequests: num(c.stableRequests), canaryRequests: num(c.canaryRequests), confidence: num(c.confidence), reason };
    }
    if (c.metric === 'probe')
        return { metric: 'probe', name: str(c.name, 'probe'), outcome, value: c.value, tolerance: str(c.tolerance), reason };
    return null;
}
function judgement(j) {
    const outcome = outcomeOf(j.outcome);
    if (typeof j.at !== 'string' || !isNum(j.step) || !isNum(j.weight) || !outcome)
        return null;
    return { at: j.at, step: j.step, weight: j.weight, windowStart: str(j.windowStart), windowEnd: str(j.windowEnd), outcome, checks: whole(j.checks, check), reason: str(j.reason), failedChecks: num(j.failedChecks) };
}
const subsetPoint = (v) => (isRecord(v) && isNum(v.rate) ? { rate: v.rate, errorRatio: numOrNull(v.errorRatio), p99Ms: numOrNull(v.p99Ms) } : null);
function point(p) {
    const stable = subsetPoint(p.stable);
    const canary = subsetPoint(p.canary);
    return typeof p.t === 'string' && isNum(p.weight) && stable && canary ? { t: p.t, weight: p.weight, stable, canary } : null;
}
function chaosStage(c) {
    if (!isNum(c.at) || typeof c.experiment !== 'string' || typeof c.start !== 'string')
        return null;
    return { at: c.at, experiment: c.experiment, start: c.start, end: strOrNull(c.end), status: str(c.status, 'running'), deviated: c.deviated === true, journal: strOrNull(c.journal), stoppedBy: strOrNull(c.stoppedBy) };
}
function via(v) {
    if (isRecord(v) && typeof v.control === 'string')
        return { control: v.control };
    return { admins: isRecord(v) ? list(v.admins).filter((a) => typeof a === 'string') : [] };
}
function settings(v) {
    const s = isRecord(v) ? v : {};
    const er = isRecord(s.errorRatio) && isNum(s.errorRatio.maxIncrease) ? { errorRatio: { maxIncrease: s.errorRatio.maxIncrease } } : {};
    const lat = isRecord(s.latency) && isNum(s.latency.quantile) && isNum(s.latency.maxRatio) ? { latency: { quantile: s.latency.quantile, maxRatio: s.latency.maxRatio } } : {};
    return { minRequests: num(s.minRequests), confidence: num(s.confidence), ...er, ...lat, intervalMs: num(s.intervalMs), failedChecks: num(s.failedChecks), maxWaitMs: num(s.maxWaitMs) };
}
function decision(v) {
    if (!isRecord(v) || typeof v.sentence !== 'string' || !STATUSES.includes(v.outcome) || v.outcome === 'running')
        return null;
    return { outcome: v.outcome, sentence: v.sentence, at: str(v.at), weight: num(v.weight) };
}
const promotion = (v) => (isRecord(v) ? { command: strOrNull(v.command), meshFile: strOrNull(v.meshFile), applied: v.applied === true, note: str(v.note) } : null);
/** True for what `normalizeCanaryJournal` reads: anything that says it is a canary journal. */
export const isCanaryJournal = (raw) => isRecord(raw) && raw.kind === 'canary';
/**
 * A canary journal as read from disk, with every section present and every
 * record whole: a journal cut off mid-write (the runner killed, a copy taken
 * too early) keeps what it recorded, and a record it was writing when it
 * stopped is left out rather than shown half. Null for what is no canary
 * journal (it needs `"faultmesh": 1`, `"kind": "canary"` and `"start"`).
 */
export function normalizeCanaryJournal(raw) {
    if (!isRecord(raw) || raw.faultmesh !== 1 || raw.kind !== 'canary' || typeof raw.start !== 'string')
        return null;
    return {
        faultmesh: 1,
        kind: 'canary',
        name: str(raw.name, 'canary'),
        file: str(raw.file),
        service: str(raw.service),
        route: num(raw.route),
        stable: labels(raw.stable),
        canary: labels(raw.canary),
        steps: list(raw.steps).filter(isNum),
        settings: settings(raw.settings),
        via: via(raw.via),
        start: raw.start,
        end: strOrNull(raw.end),
        status: STATUSES.includes(raw.status) ? raw.status : 'running',
        phase: str(raw.phase),
        step: num(raw.step),
        weight: num(raw.weight),
        weights: whole(raw.weights, (w) => (typeof w.at === 'string' && isNum(w.weight) ? { at: w.at, weight: w.weight } : null)),
        judgements: whole(raw.judgements, judgement),
        chaos: whole(raw.chaos, chaosStage),
        timeseries: whole(raw.timeseries, point),
        decision: decision(raw.decision),
        promotion: promotion(raw.promotion),
        errors: whole(raw.errors, (e) => (typeof e.message === 'string' ? { at: str(e.at), message: e.message } : null)),
    };
}
//# sourceMappingURL=canary-journal.js.map