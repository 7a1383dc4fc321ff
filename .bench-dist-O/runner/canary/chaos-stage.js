import { runExperiment } from '../run-experiment.js';
/**
 * The experiment with every fault on the canary's service narrowed to the
 * canary's instances (match.labels), so the new version is tested under
 * the fault while stable's traffic is left alone. Faults on other services
 * (a dependency of the canary, say) run as written.
 */
export function aimAtCanary(exp, service, canary) {
    const aim = (a) => {
        const p = a.provider;
        if (p.type !== 'fault' || !p.rule || (p.rule.target !== service && p.rule.target !== '*'))
            return a;
        const rule = { ...p.rule, target: service, match: { ...(p.rule.match ?? {}), labels: { ...(p.rule.match?.labels ?? {}), ...canary } } };
        return { ...a, provider: { ...p, rule } };
    };
    return { ...exp, method: exp.method.map(aim), rollbacks: exp.rollbacks.map(aim) };
}
/**
 * Runs one chaos stage: the experiment, aimed at the canary, with its own
 * journal. The canary's interrupt is the experiment's, so an abort during
 * the stage reverts its faults before the canary rolls back.
 */
export async function runChaosStage(exp, at, service, canary, options) {
    const now = options.now ?? Date.now;
    const record = { at, experiment: exp.file, start: new Date(now()).toISOString(), end: null, status: 'running', deviated: false, journal: options.journalPath ?? null, stoppedBy: null };
    const journal = await runExperiment(aimAtCanary(exp, service, canary), options);
    record.end = new Date(now()).toISOString();
    record.status = journal.status;
    record.deviated = journal.deviated;
    record.stoppedBy = journal.stoppedBy;
    return { record, journal, held: journal.status === 'completed' && !journal.deviated };
}
//# sourceMappingURL=chaos-stage.js.map