import { EVENT_NAMES, isolateEvents, warnOnce } from '../events.js';
const NO_RUN_TRACE = { options: (o) => o, close: async () => { } };
const NO_CANARY_TRACE = { options: (o) => o, close: async () => { } };
/** The spans of one experiment run, sent to `target`; none without one. */
export async function runTraceOf(target, subject) {
    if (!target)
        return NO_RUN_TRACE;
    const { pipeline, parent } = await open(target);
    const { runSpans } = await import('./run-spans.js');
    const spans = runSpans(pipeline.tracer, subject, parent);
    return {
        options: (o) => ({ ...o, events: both(o.events, spans.events), faultTraceparent: spans.traceparentFor }),
        close: () => pipeline.shutdown(),
    };
}
/** The spans of one canary release, its chaos stages' runs included; none without a target. */
export async function canaryTraceOf(target, c) {
    if (!target)
        return NO_CANARY_TRACE;
    const { pipeline, parent } = await open(target);
    const { canarySpans } = await import('./canary-spans.js');
    const spans = canarySpans(pipeline.tracer, c, parent);
    return {
        options: (o) => ({ ...o, chaosRun: (weight) => spans.chaosRun(weight) }),
        async close(journal) {
            if (journal)
                spans.end(journal);
            await pipeline.shutdown();
        },
    };
}
async function open(target) {
    const [{ openPipeline }, { ROOT_CONTEXT, trace }] = await Promise.all([import('../../proxy/tracing/otlp-pipeline.js'), import('@opentelemetry/api')]);
    const log = target.log ?? ((line) => process.stderr.write(`faultmesh: ${line}\n`));
    let told = false;
    const pipeline = openPipeline({
        url: target.url,
        serviceName: target.serviceName ?? 'faultmesh-runner',
        flushMs: target.flushMs ?? 1000,
        maxQueue: 2048,
        exportTimeoutMs: 10_000,
        counts: {
            exported: () => { },
            dropped: (n, reason, error) => {
                if (told)
                    return;
                told = true;
                log(`spans of this run were not sent to ${target.url} (${reason === 'queue_full' ? 'the queue was full' : (error?.message ?? 'export failed')}); the run goes on without them`);
            },
        },
    });
    const m = target.parent === undefined ? null : /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(target.parent);
    const parent = m ? trace.setSpanContext(ROOT_CONTEXT, { traceId: m[1], spanId: m[2], traceFlags: parseInt(m[3], 16), isRemote: true }) : ROOT_CONTEXT;
    return { pipeline, parent };
}
/**
 * Both subscribers: `first` (progress, which the run must not lose) and
 * then the spans, isolated, so nothing the tracing side does can stop or
 * delay the first one, nor the run.
 */
function both(first, second) {
    const guarded = isolateEvents(second, warnOnce());
    const out = {};
    for (const name of EVENT_NAMES) {
        const own = first?.[name]?.bind(first);
        out[name] = (...args) => {
            try {
                return own?.(...args);
            }
            finally {
                guarded[name](...args);
            }
        };
    }
    return out;
}
//# sourceMappingURL=run-trace.js.map