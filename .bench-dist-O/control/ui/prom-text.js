import { BUCKETS, REQUESTS } from '../../runner/mesh-metrics.js';
import { leBound, parsePromText } from '../../runner/providers/prom-text.js';
const SEP = '\u0000';
export const edgeKey = (source, destination) => `${source}${SEP}${destination}`;
export const splitEdgeKey = (key) => {
    const i = key.indexOf(SEP);
    return { source: key.slice(0, i), destination: key.slice(i + 1) };
};
const WANTED = new Set([REQUESTS, BUCKETS]);
const countsFor = (sample, key) => {
    let c = sample.get(key);
    if (!c)
        sample.set(key, (c = { total: 0, errors: 0, buckets: new Map() }));
    return c;
};
/**
 * Per-edge counts in `text`. A sample that is not a count, or lacks its
 * edge's labels, is skipped: one odd series must not blank the whole map.
 * @example parseEdges('faultmesh_requests_total{source="web",destination="api",instance="a1",code="503"} 4').get(edgeKey('web', 'api'))?.errors // 4
 */
export function parseEdges(text) {
    const sample = new Map();
    for (const { name, labels, value } of parsePromText(text, WANTED)) {
        const { source, destination } = labels;
        if (!Number.isFinite(value) || source === undefined || destination === undefined)
            continue;
        const counts = countsFor(sample, edgeKey(source, destination));
        if (name === REQUESTS) {
            counts.total += value;
            if (/^5\d\d$/.test(labels.code ?? ''))
                counts.errors += value;
            continue;
        }
        const bound = leBound(labels.le);
        if (!Number.isNaN(bound))
            counts.buckets.set(bound, (counts.buckets.get(bound) ?? 0) + value);
    }
    return sample;
}
//# sourceMappingURL=prom-text.js.map