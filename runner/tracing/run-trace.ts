import type { CanaryRunOptions } from '../canary/run-canary.js';
import type { CanaryFile } from '../canary/canary-schema.js';
import type { CanaryJournal } from '../canary/canary-types.js';
import { EVENT_NAMES, isolateEvents, warnOnce, type RunEvents } from '../events.js';
import type { RunOptions } from '../run-experiment.js';
import type { RunSubject } from './run-spans.js';

// What the CLI's `run` and `canary run` use: a no-op without an endpoint;
// with one, the SDK (loaded here, lazily) and the run's spans.

export interface TraceTarget {
  /** The full OTLP/HTTP traces URL. */
  readonly url: string;
  /** The spans' service.name (default faultmesh-runner). */
  readonly serviceName?: string;
  /** A traceparent to hang the run under (a CI job's TRACEPARENT); invalid ones are ignored. */
  readonly parent?: string | undefined;
  /** Where a failure to send is told, once (default stderr). */
  readonly log?: (line: string) => void;
  readonly flushMs?: number;
}

export interface RunTrace {
  /** `options` with the run's spans: their subscriber beside the events given, and the context the run's faults carry. */
  options<O extends RunOptions>(options: O): O;
  /** Sends what is left; bounded by the export timeout. */
  close(): Promise<void>;
}

export interface CanaryTrace {
  /** `options` with its chaos stages' runs traced under the canary. */
  options<O extends CanaryRunOptions>(options: O): O;
  /** Ends the canary's span with its decision (and writes its steps), then sends what is left. */
  close(journal?: CanaryJournal): Promise<void>;
}

const NO_RUN_TRACE: RunTrace = { options: (o) => o, close: async () => {} };
const NO_CANARY_TRACE: CanaryTrace = { options: (o) => o, close: async () => {} };

/** The spans of one experiment run, sent to `target`; none without one. */
export async function runTraceOf(target: TraceTarget | undefined, subject: RunSubject): Promise<RunTrace> {
  if (!target) return NO_RUN_TRACE;
  const { pipeline, parent } = await open(target);
  const { runSpans } = await import('./run-spans.js');
  const spans = runSpans(pipeline.tracer, subject, parent);
  return {
    options: (o) => ({ ...o, events: both(o.events, spans.events), faultTraceparent: spans.traceparentFor }),
    close: () => pipeline.shutdown(),
  };
}

/** The spans of one canary release, its chaos stages' runs included; none without a target. */
export async function canaryTraceOf(target: TraceTarget | undefined, c: CanaryFile): Promise<CanaryTrace> {
  if (!target) return NO_CANARY_TRACE;
  const { pipeline, parent } = await open(target);
  const { canarySpans } = await import('./canary-spans.js');
  const spans = canarySpans(pipeline.tracer, c, parent);
  return {
    options: (o) => ({ ...o, chaosRun: (weight: number) => spans.chaosRun(weight) }),
    async close(journal) {
      if (journal) spans.end(journal);
      await pipeline.shutdown();
    },
  };
}

async function open(target: TraceTarget) {
  const [{ openPipeline }, { ROOT_CONTEXT, trace }] = await Promise.all([import('../../proxy/tracing/otlp-pipeline.js'), import('@opentelemetry/api')]);
  const log = target.log ?? ((line: string) => process.stderr.write(`faultmesh: ${line}\n`));
  let told = false;
  const pipeline = openPipeline({
    url: target.url,
    serviceName: target.serviceName ?? 'faultmesh-runner',
    flushMs: target.flushMs ?? 1000,
    maxQueue: 2048,
    exportTimeoutMs: 10_000,
    counts: {
      exported: () => {},
      dropped: (n, reason, error) => {
        if (told) return;
        told = true;
        log(`spans of this run were not sent to ${target.url} (${reason === 'queue_full' ? 'the queue was full' : (error?.message ?? 'export failed')}); the run goes on without them`);
      },
    },
  });
  const m = target.parent === undefined ? null : /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(target.parent);
  const parent = m ? trace.setSpanContext(ROOT_CONTEXT, { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true }) : ROOT_CONTEXT;
  return { pipeline, parent };
}

/**
 * Both subscribers: `first` (progress, which the run must not lose) and
 * then the spans, isolated, so nothing the tracing side does can stop or
 * delay the first one, nor the run.
 */
function both(first: RunEvents | undefined, second: RunEvents): RunEvents {
  const guarded = isolateEvents(second, warnOnce()) as Record<string, (...args: never[]) => void>;
  const out: Record<string, (...args: never[]) => unknown> = {};
  for (const name of EVENT_NAMES) {
    const own = first?.[name]?.bind(first) as ((...args: never[]) => unknown) | undefined;
    out[name] = (...args: never[]) => {
      try {
        return own?.(...args);
      } finally {
        guarded[name]!(...args);
      }
    };
  }
  return out as RunEvents;
}
