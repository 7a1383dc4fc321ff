import { describeResult } from './activity.js';
import { describeRule } from './describe.js';
import { PHASES } from './progress-lines.js';
const ago = (ms) => `${Math.max(0, Math.round(ms / 1000))}s ago`;
/**
 * The state a live progress block shows while a run goes, fed by the run's
 * events: what runs now, each fault in force with its countdown and its hit
 * count, the last value of each steady-state probe, each safeguard's state.
 * Pure: `lines(now)` renders it, and the terminal redraws it every tick.
 */
export class LiveView {
    now;
    step = 'starting';
    windows = new Map();
    faults = new Map();
    probes = new Map();
    safeguards = new Map();
    constructor(now) {
        this.now = now;
    }
    phase(phase) {
        this.step = PHASES[phase];
    }
    activityStarted(activity, section) {
        this.step = `${section} ${activity.type} "${activity.name}"`;
        if (activity.provider.type === 'fault')
            this.windows.set(activity.name, activity.provider.duration);
    }
    activityEnded(r) {
        const at = this.now();
        if (r.section === 'hypothesis')
            this.probes.set(r.activity.name, { text: describeResult(r), at });
        if (r.section !== 'safeguard')
            return;
        const last = this.safeguards.get(r.activity.name);
        const met = r.status === 'succeeded' && r.tolerance_met === true;
        this.safeguards.set(r.activity.name, { text: describeResult(r), at, checks: (last?.checks ?? 0) + 1, met: (last?.met ?? 0) + (met ? 1 : 0) });
    }
    /** How long the fault activity `name` holds its fault, once it has started. */
    windowOf(name) {
        return this.windows.get(name);
    }
    faultInjected(f) {
        const windowMs = this.windows.get(f.activity);
        this.faults.set(f.id, { rule: describeRule(f.rule), endsAt: windowMs === undefined ? undefined : Date.parse(f.injectedAt) + windowMs });
    }
    faultCounted(f, counts) {
        const live = this.faults.get(f.id);
        if (live)
            live.counts = counts;
    }
    faultEnded(f) {
        this.faults.delete(f.id);
    }
    /** The block: the step on top (after `frame`, a spinner's), then one line per fault in force, probe and safeguard. */
    lines(frame) {
        const now = this.now();
        const out = [`${frame} ${this.step}`];
        for (const [id, f] of this.faults) {
            const left = f.endsAt === undefined ? '' : f.endsAt > now ? `, ${Math.ceil((f.endsAt - now) / 1000)}s left` : ', ending';
            const counts = f.counts ? `, matched ${f.counts.matched}, hit ${f.counts.hit}` : ', no count yet';
            out.push(`  fault ${id} ${f.rule}${left}${counts}`);
        }
        for (const [name, p] of this.probes)
            out.push(`  probe "${name}": ${p.text} (${ago(now - p.at)})`);
        for (const [name, s] of this.safeguards) {
            const record = s.met === s.checks ? `${s.checks} check${s.checks === 1 ? '' : 's'}, all met` : `${s.checks - s.met} of ${s.checks} checks not met`;
            out.push(`  safeguard "${name}": ${s.text} (${record}; last ${ago(now - s.at)})`);
        }
        return out;
    }
}
//# sourceMappingURL=progress-live.js.map