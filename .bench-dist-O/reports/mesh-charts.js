import { byName, instancePlace, placeText } from './proxy-names.js';
import { num } from './run-frame.js';
/** Colour families, one per region, shades within it per instance: a failover shows as one family giving way to another. */
const FAMILIES = [
    ['#1d4ed8', '#60a5fa', '#1e3a8a', '#93c5fd'],
    ['#c2410c', '#fb923c', '#7c2d12', '#fdba74'],
    ['#047857', '#34d399', '#064e3b', '#6ee7b7'],
    ['#7e22ce', '#c084fc', '#581c87', '#d8b4fe'],
];
const NO_INSTANCE = '#9ca3af';
/** Charts per destination, at most: a run against `*` may touch many. */
const MAX_DESTINATIONS = 6;
const sum = (r) => Object.values(r).reduce((n, v) => n + v, 0);
/** Retries, faults and traffic per instance, from the proxies' own counters; older journals have none of it. */
export function meshCharts(frame) {
    const { j, sec } = frame;
    const dests = Object.entries(j.timeseries.destinations).filter(([, points]) => points.some((p) => p.activity));
    if (!dests.length)
        return [];
    const span = (p) => Math.max(0.001, p.from ? sec(p.t) - sec(p.from) : j.timeseries.intervalMs / 1000 || 1);
    const perSecond = (points, pick) => points.map((p) => [frame.at(p), p.activity ? pick(p.activity) / span(p) : null]);
    const events = (destination) => (j.timeseries.ejections ?? [])
        .filter((ev) => !destination || ev.destination === destination)
        .map((ev) => ({
        at: (sec(ev.from) + sec(ev.at)) / 2,
        label: ev.instance,
        title: `${ev.instance} (${ev.destination}) ejected by ${byName(j, ev.by)}, ${ev.reason}, between ${sec(ev.from).toFixed(1)}s and ${sec(ev.at).toFixed(1)}s`,
    }));
    const out = [];
    const retrySeries = dests.flatMap(([d, points]) => {
        const reasons = [...new Set(points.flatMap((p) => Object.keys(p.activity?.retries ?? {})))].sort();
        return reasons.map((reason) => ({ name: `${d}: ${reason}`, points: perSecond(points, (a) => a.retries[reason] ?? 0) }));
    });
    const retried = retrySeries.length ? '' : ' None was made.';
    out.push(frame.chart('retries', { title: 'Retries per second, by reason', series: retrySeries, format: num, events: events(), empty: 'no retries' }, `Retries the callers' proxies made, by the retryOn condition that caused them.${retried} Marks under the time axis: outlier ejections, with the instance named.`));
    const targets = new Set(j.faults.map((f) => f.rule.target).filter((t) => typeof t === 'string'));
    for (const [d, points] of dests.filter(([d, points]) => targets.has(d) || points.some((p) => sum(p.activity?.faulted ?? {}) > 0)).slice(0, MAX_DESTINATIONS)) {
        const kinds = [...new Set(points.flatMap((p) => Object.keys(p.activity?.faulted ?? {})))].sort();
        const total = (pick) => points.reduce((n, p) => n + (p.activity ? pick(p.activity) : 0), 0);
        const hit = total((a) => sum(a.faulted));
        const errors = total((a) => a.errors);
        const series = [
            ...kinds.map((kind) => ({ name: `attempts faulted (${kind}): ${total((a) => a.faulted[kind] ?? 0)} in all`, points: perSecond(points, (a) => a.faulted[kind] ?? 0) })),
            ...(kinds.length ? [] : [{ name: 'attempts faulted: 0 in all', points: perSecond(points, () => 0) }]),
            { name: `errors callers saw: ${errors} in all`, points: perSecond(points, (a) => a.errors), color: '#dc2626' },
        ];
        const byKind = kinds.map((k) => `${k} ${total((a) => a.faulted[k] ?? 0)}`).join(', ');
        out.push(frame.chart(`faults-${d}`, { title: `Faulted attempts vs errors: ${d} (per s)`, series, format: num, events: events(d) }, `The fault${j.faults.filter((f) => f.rule.target === d).length === 1 ? '' : 's'} hit ${hit} attempt${hit === 1 ? '' : 's'} to ${d}${byKind ? ` (${byKind})` : ''}; its callers saw ${errors} error${errors === 1 ? '' : 's'} (5xx or no answer) after retries.`));
    }
    for (const [d, points] of dests.slice(0, MAX_DESTINATIONS)) {
        const ids = [...new Set(points.flatMap((p) => Object.keys(p.activity?.instances ?? {})))];
        if (!ids.length)
            continue;
        const place = (id) => instancePlace(j, d, id);
        const key = (id) => (id === 'none' ? '\uffff' : `${place(id).region ?? '\ufffe'} ${place(id).zone ?? ''} ${id}`);
        ids.sort((a, b) => key(a).localeCompare(key(b)));
        const regions = [...new Set(ids.filter((id) => id !== 'none').map((id) => place(id).region ?? ''))];
        const shade = new Map();
        const series = ids.map((id) => {
            const region = place(id).region ?? '';
            const k = shade.get(region) ?? 0;
            shade.set(region, k + 1);
            const family = FAMILIES[regions.indexOf(region) % FAMILIES.length];
            const where = placeText(place(id));
            return { name: id === 'none' ? 'no instance (refused before one was chosen)' : where ? `${id} (${where})` : id, points: perSecond(points, (a) => a.instances[id] ?? 0), color: id === 'none' ? NO_INSTANCE : family[k % family.length] };
        });
        const note = `Stacked: the calls each instance answered per second (the instance of a call's last attempt)${regions.filter(Boolean).length > 1 ? '; one colour family per region' : ''}.`;
        out.push(frame.chart(`traffic-${d}`, { title: `Traffic to ${d} by instance (req/s)`, series, format: num, stacked: true, events: events(d) }, note));
    }
    return out;
}
//# sourceMappingURL=mesh-charts.js.map