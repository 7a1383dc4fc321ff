import { basename, dirname, join } from 'node:path';
import { sleep } from '../sleep.js';
import { notPermanentSentence, promotedSentence } from './decision.js';
import { meshPromoted, planPromotion } from './promotion.js';
/** 20 s, 30 min: a hold as the operator gave it. */
const humanSpan = (ms) => (ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);
/**
 * Every step passed: 100% to the canary, still under the lease, then make
 * it permanent. With --promote-apply the canary applies the promoted mesh
 * itself (compare-and-set on the version it read); otherwise it writes the
 * promoted mesh, prints the command, and holds 100% until the mesh gives
 * the canary the route (then the override is dropped with no change in
 * traffic) or the hold ends (then traffic goes back to stable, and the
 * run says the promotion was not made permanent: exit 3).
 */
export async function promote(c, journal, split, driver, d) {
    await driver.set(100);
    Object.assign(journal, { weight: 100, phase: 'promoted: 100% to the canary, under the lease' });
    journal.weights.push({ at: new Date(d.now()).toISOString(), weight: 100 });
    const meshOut = join(dirname(d.journalPath), `${basename(d.journalPath, '.json')}-promoted-mesh.yaml`);
    const plan = await planPromotion(d.target, split, c.service, c.stable, c.canary, meshOut, d.promoteApply);
    journal.promotion = { command: plan.command, meshFile: plan.meshFile, applied: plan.applied, note: plan.note };
    d.save();
    const judged = journal.judgements;
    if (plan.applied) {
        d.end('promoted', promotedSentence(c.steps, judged, plan.note));
        return;
    }
    journal.phase = 'holding 100% to the canary until the mesh is applied';
    d.save();
    d.log(`${c.name}: every step passed. 100% now goes to the canary, held for up to ${humanSpan(d.holdMs)} under the lease. To make it permanent, ${plan.note}`);
    const deadline = d.now() + d.holdMs;
    let applied = false;
    while (!d.signal.aborted && d.now() < deadline) {
        // Only the control plane's mesh text tells the mesh from the override; a proxy's routes show both.
        if (d.target.kind === 'control' && (await meshPromoted(d.target, c.service, split.index, c.canary))) {
            applied = true;
            break;
        }
        if (!(await sleep(Math.min(d.sampleMs, Math.max(1, deadline - d.now())), d.signal)))
            break;
    }
    // The mesh now carries the weights (or the hold is over): the override goes, and what the mesh says is what runs.
    for (const problem of await driver.clear())
        journal.errors.push({ at: new Date(d.now()).toISOString(), message: problem });
    if (!applied)
        applied = await meshPromoted(d.target, c.service, split.index, c.canary);
    journal.promotion = { ...journal.promotion, applied };
    if (applied)
        d.end('promoted', promotedSentence(c.steps, judged, 'the mesh now sends the route to the canary'));
    else
        d.end('aborted', notPermanentSentence(d.signal.aborted ? 'stopped while holding 100%' : `the hold of ${humanSpan(d.holdMs)} ended before the mesh was applied`));
}
//# sourceMappingURL=promote.js.map