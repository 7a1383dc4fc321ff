import type { CanaryRunOptions } from '../canary/run-canary.js';
import type { CanaryFile } from '../canary/canary-schema.js';
import type { CanaryJournal } from '../canary/canary-types.js';
import { alsoTo, type RunEvents } from '../events.js';
import type { GamedayState } from '../gameday/gameday-state.js';
import type { Gameday, GamedayRun } from '../gameday/load-gameday.js';
import type { GamedayEvents, RunAttachment } from '../gameday/run-gameday.js';
import type { RunOptions } from '../run-experiment.js';
import type { RunSubject } from './run-spans.js';

// What the CLI's `run`, `canary run` and `gameday run` use: a no-op without an endpoint;
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
  /** Longest one export takes, its retries included (default 10 s): what closing waits at most on a collector that is down. */
  readonly exportTimeoutMs?: number;
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

export interface GamedayTrace {
  /** What a start of the game day is given as it begins (GamedayOptions.attach): its run's spans, under the game day's. */
  attach(key: string, run: GamedayRun): RunAttachment;
  /** The game day's own subscriber (GamedayOptions.gamedayEvents): dropped starts and the halt on its span. */
  readonly events: GamedayEvents;
  /** Ends the game day's span with its outcome (none when it never ran: the span is not sent), then sends what is left. */
  close(state?: GamedayState): Promise<void>;
}

const NO_RUN_TRACE: RunTrace = { options: (o) => o, close: async () => {} };
const NO_CANARY_TRACE: CanaryTrace = { options: (o) => o, close: async () => {} };
const NO_GAMEDAY_TRACE: GamedayTrace = { attach: () => ({}), events: {}, close: async () => {} };

/** The spans of one experiment run, sent to `target`; none without one. */
export async function runTraceOf(target: TraceTarget | undefined, subject: RunSubject): Promise<RunTrace> {
  if (!target) return NO_RUN_TRACE;
  const { pipeline, parent } = await open(target);
  const { runSpans } = await import('./run-spans.js');
  const spans = runSpans(pipeline.tracer, subject, parent);
  return {
    options: (o) => ({ ...o, events: alsoTo(o.events ?? {}, spans.events), faultTraceparent: spans.traceparentFor }),
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

/** The spans of one game day, each of its runs' included; none without a target. */
export async function gamedayTraceOf(target: TraceTarget | undefined, g: Gameday): Promise<GamedayTrace> {
  if (!target) return NO_GAMEDAY_TRACE;
  const { pipeline, parent } = await open(target, 'game day');
  const { gamedaySpans } = await import('./gameday-spans.js');
  const spans = gamedaySpans(pipeline.tracer, g, parent);
  return {
    attach(key, run) {
      const s = spans.run(key, run);
      // Called after the run whatever became of it: a run that threw gets its spans ended and sent, marked crashed.
      return { events: s.events, faultTraceparent: s.traceparentFor, close: async () => s.abandon('the run crashed before it ended') };
    },
    events: spans.events,
    async close(state) {
      try {
        if (state) spans.end(state);
      } catch {
        // The game day's span is lost; its runs' spans are sent all the same.
      }
      await pipeline.shutdown();
    },
  };
}

async function open(target: TraceTarget, what: 'run' | 'game day' = 'run') {
  const [{ openPipeline }, { ROOT_CONTEXT, trace }] = await Promise.all([import('../../proxy/tracing/otlp-pipeline.js'), import('@opentelemetry/api')]);
  const log = target.log ?? ((line: string) => process.stderr.write(`faultmesh: ${line}\n`));
  let told = false;
  const pipeline = openPipeline({
    url: target.url,
    serviceName: target.serviceName ?? 'faultmesh-runner',
    flushMs: target.flushMs ?? 1000,
    maxQueue: 2048,
    exportTimeoutMs: target.exportTimeoutMs ?? 10_000,
    counts: {
      exported: () => {},
      dropped: (n, reason, error) => {
        if (told) return;
        told = true;
        log(`spans of this ${what} were not sent to ${target.url} (${reason === 'queue_full' ? 'the queue was full' : (error?.message ?? 'export failed')}); the ${what} goes on without them`);
      },
    },
  });
  const m = target.parent === undefined ? null : /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(target.parent);
  const parent = m ? trace.setSpanContext(ROOT_CONTEXT, { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true }) : ROOT_CONTEXT;
  // The SDK's shutdown rejects with the last export's error: that was told above, once, and must not fail the run after it ended.
  const shutdown = () => pipeline.shutdown().catch(() => {});
  return { pipeline: { tracer: pipeline.tracer, shutdown }, parent };
}
