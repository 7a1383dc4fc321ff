/**
 * The proxy's span flags: --otlp-endpoint, --trace-sample and
 * --trace-service-name. Each wins over the mesh's `tracing:` (which a
 * control plane pushes); without an endpoint on either, no spans.
 */
import type { Options } from 'yargs';
import { whyNotOtlpEndpoint, type TracingOptions } from '../../proxy/tracing/tracing-config.js';
import { UsageError } from '../exit.js';

export const traceFlags = {
  'otlp-endpoint': { type: 'string', requiresArg: true, describe: "send each proxied call's span to this OpenTelemetry collector over OTLP/HTTP (http://HOST:4318; /v1/traces is added); wins over the mesh's tracing.otlpEndpoint" },
  'trace-sample': { type: 'string', requiresArg: true, describe: "share of the traces this proxy starts that are sampled, 0 to 1 (default 1, or the mesh's tracing.sample); a caller's traceparent decides for its own trace" },
  'trace-service-name': { type: 'string', requiresArg: true, describe: "the spans' service.name (default --service, else faultmesh-proxy)" },
} as const satisfies Record<string, Options>;

export interface TraceFlagArgs {
  readonly 'otlp-endpoint'?: string | undefined;
  readonly 'trace-sample'?: string | undefined;
  readonly 'trace-service-name'?: string | undefined;
}

/**
 * The tracing options from the flags (undefined when none is given);
 * throws UsageError naming the flag.
 *
 * @example tracingFlags({ 'otlp-endpoint': 'http://127.0.0.1:4318', 'trace-sample': '0.1' })
 * // { otlpEndpoint: 'http://127.0.0.1:4318', sample: 0.1 }
 */
export function tracingFlags(args: TraceFlagArgs): TracingOptions | undefined {
  const endpoint = args['otlp-endpoint'];
  const sampleText = args['trace-sample'];
  const serviceName = args['trace-service-name'];
  if (endpoint === undefined && sampleText === undefined && serviceName === undefined) return undefined;
  const why = endpoint === undefined ? undefined : whyNotOtlpEndpoint(endpoint);
  if (why) throw new UsageError(`--otlp-endpoint: ${why}`);
  const sample = sampleText === undefined ? undefined : /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(sampleText) ? Number(sampleText) : NaN;
  if (sample !== undefined && !(sample >= 0 && sample <= 1)) throw new UsageError(`--trace-sample: "${sampleText}" is not a share from 0 to 1 (0.1 samples 10% of new traces)`);
  if (serviceName !== undefined && serviceName.trim() === '') throw new UsageError('--trace-service-name: give a name (the spans\' service.name)');
  return { otlpEndpoint: endpoint, sample, serviceName };
}
