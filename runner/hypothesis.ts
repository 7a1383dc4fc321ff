import { runActivity, type ActivityContext } from './activity.js';
import type { Activity } from './experiment/activity-schema.js';
import type { RunEvents } from './events.js';
import type { HypothesisRecord } from './journal.js';

/**
 * Checks the steady state: probes in order, stopping at the first one that
 * fails or falls outside its tolerance, as Chaos Toolkit does.
 */
export async function checkHypothesis(probes: readonly Activity[], ctx: ActivityContext, events: RunEvents): Promise<HypothesisRecord> {
  const at = new Date(ctx.now()).toISOString();
  const records = [];
  for (const probe of probes) {
    events.activityStarted?.(probe, 'hypothesis');
    const record = await runActivity(probe, 'hypothesis', ctx);
    // Cut short by the end of the method or an abort: a partial check decides nothing.
    if (ctx.signal.aborted) return { at, met: false, probes: [...records, record] };
    events.activityEnded?.(record);
    records.push(record);
    if (record.status !== 'succeeded' || !record.tolerance_met) return { at, met: false, probes: records };
  }
  return { at, met: true, probes: records };
}
