import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { Activity } from '../experiment/activity-schema.js';
import type { RunEvents } from '../events.js';
import type { ActivityRecord, FaultRecord, Journal } from '../journal.js';

export interface RunSpans {
  /** The subscriber that makes the spans as the run tells its events. */
  readonly events: RunEvents;
  /**
   * The W3C traceparent a fault of `activity` is injected under: that
   * activity's span, which the proxies' spans of the calls the fault hits
   * then link to (the rule carries it, `traceparent`). Never throws.
   */
  readonly traceparentFor: (activity: string) => string | undefined;
  /** Ends every span still open, the run's with an error status: a run that threw before it ended. No-op once the run ended. */
  readonly abandon: (why: string) => void;
}

/** What names the run's span: the experiment as loaded. */
export interface RunSubject {
  readonly title: string;
  readonly file: string;
}

const traceparentOf = (span: Span): string => {
  const c = span.spanContext();
  return `00-${c.traceId}-${c.spanId}-0${c.traceFlags & 1}`;
};

/**
 * An experiment run as a trace: a span for the run (started now), one
 * child per phase (hypothesis before, method, hypothesis after, revert,
 * rollbacks), and under the phase each activity and probe as it runs,
 * safeguards included, with its status and tolerance. Each injected fault
 * is an event on its activity's span, and the rule carries that span's
 * context to the proxies, so a tracing tool shows "this run injected this
 * fault, which hit these calls". `parent`: a canary's span, or the
 * TRACEPARENT a CI job gave.
 */
export function runSpans(tracer: Tracer, subject: RunSubject, parent: Context = ROOT_CONTEXT): RunSpans {
  const run = tracer.startSpan(`experiment ${subject.title}`, { kind: SpanKind.INTERNAL, attributes: { 'faultmesh.experiment.title': subject.title, 'faultmesh.experiment.file': subject.file } }, parent);
  const runContext = trace.setSpan(parent, run);
  let phase: { readonly name: string; readonly span: Span; readonly context: Context } | undefined;
  /** Activity spans still open, in the order they started: an activity run twice ({ref}) has two. */
  const open: Array<{ readonly name: string; readonly span: Span }> = [];

  const startActivity = (activity: Activity, section: ActivityRecord['section']) => {
    const span = tracer.startSpan(
      `${activity.type} ${activity.name}`,
      { attributes: { 'faultmesh.activity.name': activity.name, 'faultmesh.activity.type': activity.type, 'faultmesh.activity.section': section, 'faultmesh.activity.provider': activity.provider.type } },
      phase?.context ?? runContext,
    );
    open.push({ name: activity.name, span });
  };
  const openSpanOf = (name: string) => open.find((o) => o.name === name);
  let ended = false;
  /** A probe cut short by the end of the method is never reported ended: its span ends with the run. */
  const endOpen = () => {
    for (const o of open.splice(0)) o.span.setAttribute('faultmesh.activity.status', 'interrupted').end();
    phase?.span.end();
    phase = undefined;
  };

  const events: RunEvents = {
    phase(next) {
      phase?.span.end();
      phase = undefined;
      if (next === 'done') return;
      const span = tracer.startSpan(next, { attributes: { 'faultmesh.phase': next } }, runContext);
      phase = { name: next, span, context: trace.setSpan(runContext, span) };
    },
    activityStarted: startActivity,
    activityEnded(record) {
      const at = open.findIndex((o) => o.name === record.activity.name);
      if (at < 0) return;
      const { span } = open.splice(at, 1)[0]!;
      span.setAttribute('faultmesh.activity.status', record.status);
      if (record.tolerance !== undefined) span.setAttribute('faultmesh.activity.tolerance', record.tolerance);
      if (record.tolerance_met !== undefined) span.setAttribute('faultmesh.activity.tolerance_met', record.tolerance_met);
      if (record.status !== 'succeeded') span.setStatus({ code: SpanStatusCode.ERROR, message: record.error ?? record.status });
      else if (record.tolerance_met === false) span.setStatus({ code: SpanStatusCode.ERROR, message: `outside its tolerance (${record.tolerance})` });
      span.end();
    },
    hypothesisChecked(when, record) {
      run.addEvent(`steady state ${when}`, { 'faultmesh.steady_state.met': record.met });
    },
    faultInjected(fault) {
      const span = openSpanOf(fault.activity)?.span ?? run;
      span.setAttribute('faultmesh.fault.rule', fault.id);
      span.addEvent('faultmesh.fault.injected', faultAttributes(fault));
    },
    faultEnded(fault) {
      (openSpanOf(fault.activity)?.span ?? run).addEvent('faultmesh.fault.ended', { ...faultAttributes(fault), 'faultmesh.fault.state': fault.state, 'faultmesh.fault.matched': fault.counts?.matched ?? 0, 'faultmesh.fault.hit': fault.counts?.hit ?? 0 });
    },
    stopped(reason) {
      run.addEvent('stopped', { 'faultmesh.stop.reason': reason });
    },
    rollbacksSkipped(reason) {
      run.addEvent('rollbacks skipped', { 'faultmesh.rollbacks.skipped': reason });
    },
    runEnded(journal) {
      endOpen();
      ended = true;
      endRun(run, journal);
    },
  };
  return {
    events,
    abandon(why) {
      if (ended) return;
      ended = true;
      endOpen();
      run.setStatus({ code: SpanStatusCode.ERROR, message: why });
      run.end();
    },
    traceparentFor(activity) {
      try {
        return traceparentOf(openSpanOf(activity)?.span ?? run);
      } catch {
        return undefined;
      }
    },
  };
}

function faultAttributes(fault: FaultRecord) {
  const rule = fault.rule as { target?: unknown } | undefined;
  return { 'faultmesh.fault.rule': fault.id, 'faultmesh.fault.target': String(rule?.target ?? ''), 'faultmesh.fault.admins': [...fault.admins] };
}

/** The run's outcome on its span: held (unset), deviated or stopped (error, with why). */
function endRun(run: Span, journal: Journal): void {
  run.setAttributes({ 'faultmesh.run.id': journal.runId, 'faultmesh.run.status': journal.status, 'faultmesh.run.deviated': journal.deviated });
  if (journal.status !== 'completed') run.setStatus({ code: SpanStatusCode.ERROR, message: journal.stoppedBy ?? journal.status });
  else if (journal.deviated) run.setStatus({ code: SpanStatusCode.ERROR, message: 'the steady state deviated' });
  run.end();
}
