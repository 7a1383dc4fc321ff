import { request } from 'undici';
import { timerMs } from '../../proxy/config/duration.js';
/** A PromQL instant query; its answer must be one number (a scalar, or a vector of one sample). */
export async function runPrometheus(p, ctx) {
    const url = new URL('api/v1/query', p.url.endsWith('/') ? p.url : `${p.url}/`);
    url.searchParams.set('query', p.query);
    const res = await request(url, { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timerMs(p.timeout))]) });
    const text = await res.body.text();
    let reply;
    try {
        reply = JSON.parse(text);
    }
    catch {
        throw new Error(`${url.origin} answered ${res.statusCode} with no Prometheus JSON`);
    }
    if (reply.status !== 'success' || !reply.data)
        throw new Error(`query "${p.query}" failed: ${reply.error ?? `status ${res.statusCode}`}`);
    const { resultType, result } = reply.data;
    let raw;
    if (resultType === 'scalar')
        raw = result[1];
    else if (resultType === 'vector') {
        const samples = result;
        if (samples.length !== 1)
            throw new Error(`query "${p.query}" returned ${samples.length} series; it must return one (aggregate it, e.g. with sum())`);
        raw = samples[0].value[1];
    }
    else
        throw new Error(`query "${p.query}" returned a ${resultType}; it must return one number`);
    const value = Number(raw);
    if (Number.isNaN(value))
        throw new Error(`query "${p.query}" returned NaN`);
    return value;
}
//# sourceMappingURL=prometheus.js.map