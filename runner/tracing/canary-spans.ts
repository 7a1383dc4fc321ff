import { ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Tracer } from '@opentelemetry/api';
import type { CanaryFile } from '../canary/canary-schema.js';
import type { CanaryJournal } from '../canary/canary-types.js';
import type { RunOptions } from '../run-experiment.js';
import { runSpans } from './run-spans.js';

export interface CanarySpans {
  /** What a chaos stage's experiment run is given: its spans, as children of the canary's. */
  chaosRun(weight: number): Pick<RunOptions, 'events' | 'faultTraceparent'>;
  /** Once the canary ended: each step as a span (from the journal's weights), its judgements as events, and the decision. */
  end(journal: CanaryJournal): void;
}

const labelsText = (labels: Readonly<Record<string, string>>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');

/**
 * A canary release as a trace: its span from start to decision, a child
 * span per step, and each chaos stage's experiment run under it as it
 * runs (so the faults it injects link to it, see runSpans). The steps are
 * written at the end from the journal, with their times: the canary's run
 * loop tells no events, and its journal has every weight change and
 * judgement with when it happened.
 */
export function canarySpans(tracer: Tracer, c: CanaryFile, parent: Context = ROOT_CONTEXT): CanarySpans {
  const root = tracer.startSpan(`canary ${c.name}`, { attributes: { 'faultmesh.canary.name': c.name, 'faultmesh.canary.service': c.service, 'faultmesh.canary.stable': labelsText(c.stable), 'faultmesh.canary.canary': labelsText(c.canary), 'faultmesh.canary.steps': [...c.steps] } }, parent);
  const context = trace.setSpan(parent, root);
  return {
    chaosRun(weight) {
      const stage = c.chaos.find((s) => s.at === weight);
      const spans = runSpans(tracer, { title: stage?.experiment.title ?? `chaos at ${weight}%`, file: stage?.file ?? '' }, context);
      return { events: spans.events, faultTraceparent: spans.traceparentFor };
    },
    end(journal) {
      const endAt = journal.end ? new Date(journal.end) : new Date();
      journal.weights.forEach((w, i) => {
        const from = new Date(w.at);
        const to = i + 1 < journal.weights.length ? new Date(journal.weights[i + 1]!.at) : endAt;
        const step = tracer.startSpan(`step ${i + 1} at ${w.weight}%`, { startTime: from, attributes: { 'faultmesh.canary.step': i + 1, 'faultmesh.canary.weight': w.weight } }, context);
        for (const j of journal.judgements.filter((j) => j.step === i + 1)) {
          step.addEvent(`judged ${j.outcome}`, { 'faultmesh.canary.outcome': j.outcome, 'faultmesh.canary.reason': j.reason, 'faultmesh.canary.failed_checks': j.failedChecks }, new Date(j.at));
        }
        if (journal.judgements.some((j) => j.step === i + 1 && j.outcome === 'fail')) step.setStatus({ code: SpanStatusCode.ERROR, message: 'a check failed' });
        step.end(to);
      });
      root.setAttributes({ 'faultmesh.canary.status': journal.status, 'faultmesh.canary.weight': journal.weight });
      if (journal.decision) root.addEvent(journal.decision.outcome, { 'faultmesh.canary.decision': journal.decision.sentence }, new Date(journal.decision.at));
      if (journal.status !== 'promoted') root.setStatus({ code: SpanStatusCode.ERROR, message: journal.decision?.sentence ?? journal.status });
      root.end(endAt);
    },
  };
}
