import { readFileSync } from 'node:fs';
import { hostname, machine, release, type } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../cli/paths.js';
import { inSeconds } from './experiment/as-written.js';
// Chaos Toolkit's side of the journal, after chaoslib (chaostoolkit-lib):
// run.py `initialize_run_journal` for the top level, activity.py
// `execute_activity` for each record, hypothesis.py
// `run_steady_state_hypothesis` for a steady-state check. faultmesh's own
// fields stay beside them; README maps one onto the other.
let version;
/** faultmesh's version, from its package.json, read once: what the journal gives as `chaoslib-version`. */
export function faultmeshVersion() {
    if (version === undefined) {
        try {
            const v = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version;
            version = typeof v === 'string' && v ? v : '0.0.0';
        }
        catch {
            // A journal still needs the field; Chaos Toolkit's report parses it as a semantic version.
            version = '0.0.0';
        }
    }
    return version;
}
let platformText;
/**
 * The machine, as Python's `platform.platform()` names it, which chaoslib
 * writes as `platform`: `Linux-6.8.0-1017-azure-x86_64-with-glibc2.39`.
 */
export function platformName() {
    if (platformText === undefined) {
        const system = type() === 'Darwin' ? 'macOS' : type() === 'Windows_NT' ? 'Windows' : type();
        const glibc = process.report?.getReport()?.header?.glibcVersionRuntime;
        platformText = `${system}-${release()}-${machine()}${glibc ? `-with-glibc${glibc}` : ''}`;
    }
    return platformText;
}
/** The machine's name, as Python's `platform.node()` gives it: chaoslib's `node`. */
export const nodeName = () => hostname();
/**
 * What a failed activity raised, as chaoslib writes it (`exception`: the
 * traceback's lines): the Python traceback a provider error carries, else
 * one line, `"<ErrorName>: <message>\n"`.
 */
export function exceptionOf(err) {
    const e = err;
    if (Array.isArray(e?.exception) && e.exception.length && e.exception.every((l) => typeof l === 'string'))
        return [...e.exception];
    const name = typeof e?.name === 'string' && e.name ? e.name : 'Error';
    return [`${name}: ${typeof e?.message === 'string' ? e.message : String(err)}\n`];
}
/**
 * How a run that nobody stopped ended, in Chaos Toolkit's words (chaoslib
 * 1.35 and later): `completed` even when it deviated (`deviated` says so),
 * `failed` only when a probe of the steady state after the method could not
 * run at all.
 */
export function statusOfFinishedRun(journal) {
    return journal.steady_states.after?.probes.some((p) => p.status !== 'succeeded') ? 'failed' : 'completed';
}
/** An activity no file wrote (an experiment built in code): its parsed form, pauses back in seconds. */
const asRun = (a) => (a.pauses ? { ...a, pauses: inSeconds(a.pauses) } : a);
/**
 * One record as chaoslib writes it: the activity as the file wrote it,
 * `status` succeeded or failed (the only two Chaos Toolkit's journal
 * knows: an interrupted activity is `failed` with faultmesh's
 * `interrupted: true`), `output` null when there is none, and `exception`
 * on every record that did not succeed.
 */
function recordOnDisk(r, written) {
    const { activity, section, status, output, exception, ...rest } = r;
    const interrupted = status === 'interrupted';
    return {
        activity: written.get(activity.name) ?? asRun(activity),
        section,
        status: interrupted ? 'failed' : status,
        ...(interrupted ? { interrupted: true } : {}),
        output: output === undefined ? null : output,
        ...rest,
        ...(status === 'succeeded' ? {} : { exception: exception ?? [`${interrupted ? 'InterruptExecution' : 'ActivityFailed'}: ${r.error ?? status}\n`] }),
    };
}
const checkOnDisk = (h, written) => h && { at: h.at, met: h.met, steady_state_met: h.met, probes: h.probes.map((p) => recordOnDisk(p, written)) };
/**
 * The journal as it is written to disk: every faultmesh field, and Chaos
 * Toolkit's beside them, so its own tooling (`chaos report`, anything that
 * reads chaoslib's journal) reads it. `written` holds the activities as the
 * file wrote them (`Experiment.asWritten`). In memory the runner keeps its
 * parsed activities; reports read the file back (reports/report-input.ts).
 */
export function journalOnDisk(journal, written) {
    const records = (list) => list.map((r) => recordOnDisk(r, written));
    const ss = journal.steady_states;
    return {
        ...journal,
        steady_states: { before: checkOnDisk(ss.before, written), after: checkOnDisk(ss.after, written), during: ss.during.map((h) => checkOnDisk(h, written)) },
        run: records(journal.run),
        safeguards: records(journal.safeguards),
        rollbacks: records(journal.rollbacks),
    };
}
//# sourceMappingURL=ctk-journal.js.map