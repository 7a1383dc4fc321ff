import type { TraceSampling } from '../http/trace-context.js';
import type { MeshState } from '../mesh-state.js';
// Types only: the tracer and the SDK under it are imported when spans are first exported.
import type { CallTracer } from './call-tracer.js';
import type { SpanCounts } from './span-counts.js';
import { effectiveTracing, type MeshTracing, type TracingOptions, type TracingSettings } from './tracing-config.js';

export interface TracingSwitchDeps {
  /** The proxy's flags; each wins over the mesh's `tracing:`. */
  readonly options: TracingOptions | undefined;
  /** The sidecar's service: the spans' service.name unless --trace-service-name says otherwise. */
  readonly service: string | undefined;
  /** Resource attributes of every span (where the proxy runs). */
  readonly resource: Readonly<Record<string, string>>;
  readonly counters: {
    readonly exported: { inc(n: number): void };
    readonly dropped: { labels(reason: string): { inc(n: number): void } };
  };
  /** Where a collector outage is told, once per outage (default stderr). */
  readonly log?: ((line: string) => void) | undefined;
  /** Whether to say when spans start, move or stop (default yes; a cluster's workers but the first keep quiet, or the line would come N times). */
  readonly announce?: boolean | undefined;
}

/**
 * Whether this proxy exports spans, and with what, as flags and mesh say
 * now. The mesh may turn tracing on, move it or turn it off at any
 * snapshot; the hot path reads `tracer` (undefined: no spans) and
 * `sampling`, and never waits on either. A new endpoint gets a new tracer
 * (the SDK loaded on first use); the old one sends what it holds and stops.
 */
export class TracingSwitch {
  /** Read by the listener for each new trace (http/trace-context.ts). */
  readonly sampling: TraceSampling = { ratio: undefined };
  /** The tracer of sampled calls; undefined while no spans are exported (or the first is still loading). */
  tracer: CallTracer | undefined = undefined;
  private settings: TracingSettings | undefined = undefined;
  private generation = 0;
  private loading: Promise<void> = Promise.resolve();
  private stopping: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Set from the first lost span until the next batch is sent: the outage is told once. */
  private failing = false;
  private readonly counts: SpanCounts;
  private readonly log: (line: string) => void;

  constructor(private readonly deps: TracingSwitchDeps) {
    this.log = deps.log ?? ((line) => process.stderr.write(`faultmesh: ${line}\n`));
    // Both series from the start, at 0: an alert on their rate needs them before the first loss.
    for (const reason of ['queue_full', 'export_failed']) deps.counters.dropped.labels(reason).inc(0);
    this.counts = {
      exported: (n) => {
        deps.counters.exported.inc(n);
        if (this.failing && this.settings) this.log(`sending spans to ${this.settings.url} again`);
        this.failing = false;
      },
      dropped: (n, reason, error) => {
        deps.counters.dropped.labels(reason).inc(n);
        if (this.failing || !this.settings) return;
        this.failing = true;
        const why = reason === 'queue_full' ? `the queue of ${this.settings.maxQueue} spans is full` : `the collector did not take them (${error?.message ?? 'export failed'})`;
        this.log(`dropping spans for ${this.settings.url}: ${why}; calls are not slowed, and each lost span is counted in faultmesh_trace_spans_dropped_total`);
      },
    };
  }

  /** Applies the mesh's `tracing:` (undefined: none) over the flags. */
  apply(mesh: MeshTracing | undefined): void {
    if (this.closed) return;
    const next = effectiveTracing(this.deps.options, mesh, this.deps.service);
    const prev = this.settings;
    if (prev && next && samePipeline(prev, next)) {
      // Only the share sampled changed: the tracer stays.
      if (prev.sample !== next.sample) this.announce(prev, next);
      this.settings = next;
      if (this.tracer) this.sampling.ratio = next.sample;
      return;
    }
    if (!prev && !next) return this.warnNoEndpoint(mesh);
    this.settings = next;
    this.announce(prev, next);
    const old = this.tracer;
    this.tracer = undefined;
    this.sampling.ratio = undefined;
    const generation = ++this.generation;
    if (old) this.stopping = Promise.all([this.stopping, old.shutdown().catch(() => {})]);
    if (!next) return;
    this.loading = import('./call-tracer.js').then(
      ({ CallTracer }) => {
        if (generation !== this.generation || this.closed) return;
        this.tracer = new CallTracer(next, { ...this.deps.resource }, this.counts);
        // Sampled only once spans can be made: a trace marked sampled upstream with no span here would miss its parent.
        this.sampling.ratio = next.sample;
      },
      (err: unknown) => this.log(`cannot start exporting spans to ${next.url}: ${(err as Error).message}`),
    );
  }

  /** Says where spans go now, once they start, move or stop: nothing else tells that tracing is on until a collector fails. */
  private announce(prev: TracingSettings | undefined, next: TracingSettings | undefined): void {
    if (this.deps.announce === false) return;
    if (next) this.log(`${prev ? 'now sending' : 'sending'} spans of sampled calls to ${next.url} (sample ${next.sample} of the traces this proxy starts; a caller's sampled traceparent is always followed)`);
    else this.log(`no longer sending spans: no OTLP endpoint in the flags or the mesh's tracing:`);
  }

  /** A share sampled or a service name with no endpoint anywhere makes no span: said once, not silently ignored. */
  private warnedNoEndpoint = false;
  private warnNoEndpoint(mesh: MeshTracing | undefined): void {
    const given = this.deps.options?.sample !== undefined ? '--trace-sample' : this.deps.options?.serviceName !== undefined ? '--trace-service-name' : mesh?.sample !== undefined ? "the mesh's tracing.sample" : undefined;
    if (given === undefined || this.warnedNoEndpoint || this.deps.announce === false) return;
    this.warnedNoEndpoint = true;
    this.log(`warning: ${given} is set but no OTLP endpoint is (--otlp-endpoint, or the mesh's tracing.otlpEndpoint): no spans are sent until one is`);
  }

  /** Applies the mesh's `tracing:` now and at every snapshot it applies; returns the function that stops following. */
  follow(mesh: MeshState): () => void {
    this.apply(mesh.snapshot?.config.tracing);
    // Read from the state, not the snapshot given: a snapshot the mesh refused must not change tracing either.
    return mesh.source.onSnapshot(() => this.apply(mesh.snapshot?.config.tracing));
  }

  /** Resolves once the tracer of the settings applied so far is in place (the SDK loaded). */
  ready(): Promise<void> {
    return this.loading;
  }

  /** What the proxy's flags and mesh say now; undefined: no spans. */
  current(): TracingSettings | undefined {
    return this.settings;
  }

  /** Sends what is queued now (tests, shutdown). */
  async flush(): Promise<void> {
    await this.loading;
    await this.tracer?.flush();
  }

  /**
   * Stops exporting: what is queued is sent, for up to `withinMs` (a proxy
   * that stops does not wait the whole export timeout on a collector that
   * hangs; what is not sent by then is lost).
   */
  async close(withinMs = CLOSE_WITHIN_MS): Promise<void> {
    await this.loading;
    this.closed = true;
    const last = this.tracer;
    this.tracer = undefined;
    this.sampling.ratio = undefined;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs)).unref());
    await Promise.race([Promise.all([this.stopping, last?.shutdown().catch(() => {})]), bound]);
    clearTimeout(timer);
  }
}

/** How long a stopping proxy gives its last spans to reach the collector. */
const CLOSE_WITHIN_MS = 2000;

/** The same collector and the same batching: a change of `sample` alone keeps the tracer. */
function samePipeline(a: TracingSettings, b: TracingSettings): boolean {
  return a.url === b.url && a.serviceName === b.serviceName && a.flushMs === b.flushMs && a.maxQueue === b.maxQueue && a.exportTimeoutMs === b.exportTimeoutMs;
}
