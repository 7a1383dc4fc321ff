import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { faultmeshVersion, nodeName, platformName } from './ctk-journal.js';
export function newJournal(experiment, runId, now) {
    return {
        faultmesh: 1,
        'faultmesh-version': faultmeshVersion(),
        'chaoslib-version': faultmeshVersion(),
        platform: platformName(),
        node: nodeName(),
        runId,
        experiment: { ...experiment.document, title: experiment.title, file: experiment.file, description: experiment.description, tags: experiment.tags },
        start: now.toISOString(),
        end: null,
        duration: null,
        status: 'running',
        deviated: false,
        phase: 'hypothesis-before',
        stoppedBy: null,
        emergencyHalt: null,
        steady_states: { before: null, during: [], after: null },
        run: [],
        safeguards: [],
        faults: [],
        rollbacks: [],
        rollbacksSkipped: null,
        errors: [],
        timeseries: { intervalMs: 0, admins: [], destinations: {} },
    };
}
/**
 * Exit codes: 0 the hypothesis held, 1 deviated or failed, 3 aborted by a
 * safeguard or interrupted (2 is invalid input). A method activity that
 * failed leaves the run `completed`, so it exits 0 as `chaos run` does;
 * the verdict says what was not tested.
 */
export function exitCodeOf(journal) {
    if (journal.status === 'aborted' || journal.status === 'interrupted')
        return 3;
    return journal.status === 'completed' && !journal.deviated ? 0 : 1;
}
/**
 * Writes the journal atomically (a temporary file renamed over the last
 * one), with every secret value masked, so a reader or a crash never sees
 * half a file.
 */
export class JournalWriter {
    path;
    secrets;
    /** Makes the journal's folder; throws at once, before anything runs, if it cannot be written there. */
    constructor(path, secrets) {
        this.path = path;
        this.secrets = secrets;
        mkdirSync(dirname(path), { recursive: true });
    }
    /** Any journal: an experiment's, or a canary's. */
    write(journal) {
        const mask = (_key, value) => (typeof value === 'string' && this.secrets.length ? this.secrets.reduce((s, secret) => s.split(secret).join('***'), value) : value);
        const tmp = `${this.path}.${process.pid}.tmp`;
        writeFileSync(tmp, `${JSON.stringify(journal, mask, 2)}\n`);
        renameSync(tmp, this.path);
    }
}
//# sourceMappingURL=journal.js.map