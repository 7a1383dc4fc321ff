/**
 * `--otlp-endpoint` of `faultmesh run` and `faultmesh canary run`: the run
 * as a trace (runner/tracing), its faults linked to the proxies' spans of
 * the calls they hit.
 */
import type { Options } from 'yargs';
import { otlpTracesUrl, whyNotOtlpEndpoint } from '../../proxy/tracing/tracing-config.js';
import type { TraceTarget } from '../../runner/tracing/run-trace.js';
import { UsageError } from '../exit.js';

export const otlpRunFlag = {
  'otlp-endpoint': { type: 'string', requiresArg: true, describe: 'send the run as a trace to this OpenTelemetry collector over OTLP/HTTP (http://HOST:4318): a span for the run, its phases, activities and probes; its faults carry the trace to the proxies. TRACEPARENT, when set, is its parent' },
} as const satisfies Record<string, Options>;

/**
 * Where the run's spans go, from the flag (undefined: no spans); a bad URL
 * throws UsageError naming the flag. TRACEPARENT (a CI job's, say) becomes
 * the run's parent.
 */
export function traceTargetOf(endpoint: string | undefined): TraceTarget | undefined {
  if (endpoint === undefined) return undefined;
  const why = whyNotOtlpEndpoint(endpoint);
  if (why) throw new UsageError(`--otlp-endpoint: ${why}`);
  return { url: otlpTracesUrl(endpoint), parent: process.env.TRACEPARENT };
}
