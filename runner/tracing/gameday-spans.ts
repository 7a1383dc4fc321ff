import { ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Tracer } from '@opentelemetry/api';
import type { GamedayState } from '../gameday/gameday-state.js';
import type { Gameday, GamedayRun } from '../gameday/load-gameday.js';
import type { GamedayEvents } from '../gameday/run-gameday.js';
import { runSpans, type RunSpans } from './run-spans.js';

export interface GamedaySpans {
  /** A start of the game day, as it begins: its run's spans (runSpans), children of the game day's span. */
  run(key: string, run: GamedayRun): RunSpans;
  /** What the game day tells (GamedayOptions.gamedayEvents): starts dropped and the halt, as events on its span. */
  readonly events: GamedayEvents;
  /** Once the game day ended: its outcome on its span, from its final state, and the span ends. */
  end(state: GamedayState): void;
}

/**
 * A game day as a trace: one span from its start to its summary, and under
 * it each experiment run as `faultmesh run` makes it (so each fault links
 * to the activity that injected it, see runSpans). A start that never ran
 * (skipped, cancelled), the emergency halt and a run that crashed are
 * events on the game day's span: they have no run to make spans of.
 * `parent`: the TRACEPARENT a CI job gave.
 */
export function gamedaySpans(tracer: Tracer, g: Gameday, parent: Context = ROOT_CONTEXT): GamedaySpans {
  const root = tracer.startSpan(`gameday ${g.title}`, { attributes: { 'faultmesh.gameday.title': g.title, 'faultmesh.gameday.file': g.file, 'faultmesh.gameday.concurrency': g.concurrency, 'faultmesh.gameday.on_failure': g.onFailure } }, parent);
  const context = trace.setSpan(parent, root);
  return {
    run(key, run) {
      root.addEvent('run started', { 'faultmesh.gameday.run': key, 'faultmesh.experiment.title': run.experiment.title });
      return runSpans(tracer, { title: run.experiment.title, file: run.experimentFile }, context);
    },
    events: {
      startDropped(key, status, reason) {
        root.addEvent(`run ${status}`, { 'faultmesh.gameday.run': key, 'faultmesh.gameday.reason': reason });
      },
      halted(record) {
        root.addEvent('emergency halt', { 'faultmesh.halt.by': record.by, 'faultmesh.halt.source': record.source, ...(record.admin ? { 'faultmesh.halt.admin': record.admin } : {}) });
      },
    },
    end(state) {
      const results = Object.entries(state.results);
      const count = (pick: (r: (typeof results)[number][1]) => boolean) => results.filter(([, r]) => pick(r)).length;
      for (const [key, r] of results) if (r.status === 'crashed') root.addEvent('run crashed', { 'faultmesh.gameday.run': key, 'faultmesh.gameday.reason': r.reason ?? '' }, timeOf(r.endedAt));
      const failed = { deviated: count((r) => r.outcome === 'deviated'), failed: count((r) => r.outcome === 'failed'), crashed: count((r) => r.status === 'crashed') };
      root.setAttributes({
        'faultmesh.gameday.runs.done': count((r) => r.status === 'done'),
        'faultmesh.gameday.runs.deviated': failed.deviated,
        'faultmesh.gameday.runs.failed': failed.failed,
        'faultmesh.gameday.runs.crashed': failed.crashed,
        'faultmesh.gameday.runs.skipped': count((r) => r.status === 'skipped'),
        'faultmesh.gameday.runs.cancelled': count((r) => r.status === 'cancelled'),
        'faultmesh.gameday.halted': state.haltedBy !== null,
      });
      // The same judgement as the command's exit code: halted (3), a run that did not hold (1), else unset.
      if (state.haltedBy) root.setStatus({ code: SpanStatusCode.ERROR, message: `halted by ${state.haltedBy.by}` });
      else if (failed.deviated + failed.failed + failed.crashed > 0) root.setStatus({ code: SpanStatusCode.ERROR, message: whatFailed(failed) });
      root.end();
    },
  };
}

/** "1 run deviated, 2 failed": the counts that are not zero. */
function whatFailed(n: { readonly deviated: number; readonly failed: number; readonly crashed: number }): string {
  const parts = Object.entries(n).filter(([, v]) => v > 0).map(([k, v]) => `${v} ${k}`);
  const total = n.deviated + n.failed + n.crashed;
  return `${total === 1 ? 'a run' : `${total} runs`} did not hold: ${parts.join(', ')}`;
}

/** When a crash was recorded (the game day's clock), or now for one found on a resume. */
function timeOf(iso: string | undefined): Date {
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(t) ? new Date(t) : new Date();
}
