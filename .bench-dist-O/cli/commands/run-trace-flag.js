import { otlpTracesUrl, whyNotOtlpEndpoint } from '../../proxy/tracing/tracing-config.js';
import { UsageError } from '../exit.js';
export const otlpRunFlag = {
    'otlp-endpoint': { type: 'string', requiresArg: true, describe: 'send the run as a trace to this OpenTelemetry collector over OTLP/HTTP (http://HOST:4318): a span for the run, its phases, activities and probes; its faults carry the trace to the proxies. TRACEPARENT, when set, is its parent' },
};
/**
 * Where the run's spans go, from the flag (undefined: no spans); a bad URL
 * throws UsageError naming the flag. TRACEPARENT (a CI job's, say) becomes
 * the run's parent.
 */
export function traceTargetOf(endpoint) {
    if (endpoint === undefined)
        return undefined;
    const why = whyNotOtlpEndpoint(endpoint);
    if (why)
        throw new UsageError(`--otlp-endpoint: ${why}`);
    return { url: otlpTracesUrl(endpoint), parent: process.env.TRACEPARENT };
}
//# sourceMappingURL=run-trace-flag.js.map