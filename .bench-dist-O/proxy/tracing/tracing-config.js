import { z } from 'zod';
export const DEFAULT_SAMPLE = 1;
/**
 * Why `text` is not an OTLP/HTTP endpoint, or undefined when it is one:
 * http(s)://host[:port][/path], no credentials (send those as headers,
 * OTEL_EXPORTER_OTLP_HEADERS), no query.
 */
export function whyNotOtlpEndpoint(text) {
    let url;
    try {
        url = new URL(text);
    }
    catch {
        return `"${text}" is not a URL: give the collector's OTLP/HTTP endpoint, http://HOST:4318`;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return `"${text}" is not http:// or https://: spans go over OTLP/HTTP (the collector's port 4318)`;
    if (url.username || url.password)
        return `"${text}" holds credentials: send them as headers (OTEL_EXPORTER_OTLP_HEADERS) instead`;
    if (url.search || url.hash)
        return `"${text}" has a query or fragment: give http://HOST:PORT[/path]`;
    return undefined;
}
/**
 * The traces URL of an OTLP/HTTP endpoint: `/v1/traces` appended to the
 * base, as OTEL_EXPORTER_OTLP_ENDPOINT does, unless the path already ends so.
 *
 * @example otlpTracesUrl('http://collector:4318') // 'http://collector:4318/v1/traces'
 */
export function otlpTracesUrl(endpoint) {
    const url = new URL(endpoint);
    if (!url.pathname.endsWith('/v1/traces'))
        url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
    return url.toString();
}
export const otlpEndpointSchema = z.string().superRefine((text, ctx) => {
    const why = whyNotOtlpEndpoint(text);
    if (why)
        ctx.addIssue({ code: 'custom', message: why });
});
export const sampleSchema = z.number({ error: 'sample is a share of new traces, from 0 to 1 (0.1 is 10%)' }).min(0, 'sample is from 0 to 1 (0.1 is 10%)').max(1, 'sample is from 0 to 1 (0.1 is 10%)');
/** The mesh file's `tracing:`: every proxy of the mesh exports there unless its own flags say otherwise. */
export const meshTracingSchema = z.strictObject({
    otlpEndpoint: otlpEndpointSchema.optional(),
    sample: sampleSchema.optional(),
});
/**
 * Flags win over the mesh, field by field: a proxy started with
 * --trace-sample keeps it whatever the mesh says, and still follows the
 * mesh's endpoint. No endpoint anywhere: no spans.
 */
export function effectiveTracing(flags, mesh, service) {
    const endpoint = flags?.otlpEndpoint ?? mesh?.otlpEndpoint;
    if (endpoint === undefined)
        return undefined;
    return {
        url: otlpTracesUrl(endpoint),
        sample: flags?.sample ?? mesh?.sample ?? DEFAULT_SAMPLE,
        serviceName: flags?.serviceName ?? service ?? 'faultmesh-proxy',
        flushMs: flags?.flushMs ?? 1000,
        maxQueue: flags?.maxQueue ?? 2048,
        exportTimeoutMs: flags?.exportTimeoutMs ?? 10_000,
    };
}
//# sourceMappingURL=tracing-config.js.map