import { formatDuration } from '../proxy/config/duration.js';
import { describeProvider } from './describe.js';
import { describeRuntime, hypothesisPlan, rollbackStrategyOf } from './runtime.js';
import { describeTolerance } from './tolerance.js';
/** `; pauses before 5s / after 2s`: the waits around an activity, which the run's length includes. */
function pausesOf(a) {
    const { before, after } = a.pauses ?? {};
    const parts = [before ? `before ${formatDuration(before)}` : '', after ? `after ${formatDuration(after)}` : ''].filter(Boolean);
    return parts.length ? `; pauses ${parts.join(' / ')}` : '';
}
const item = (a, i) => `  ${i === undefined ? '-' : `${i + 1}.`} ${a.type} "${a.name}": ${describeProvider(a.provider)}${a.tolerance === undefined ? '' : `; tolerance ${describeTolerance(a.tolerance)}`}${pausesOf(a)}${a.background ? ' (in the background)' : ''}`;
/** The dry-run plan: what would be checked (and when), injected where and for how long, and what reverts. Touches nothing. */
export function planOf(exp, options) {
    const runtime = describeRuntime(hypothesisPlan(exp, options), rollbackStrategyOf(exp, options));
    const lines = [`Experiment "${exp.title}" (${exp.file})`];
    if (exp.hypothesis) {
        lines.push(`Steady state "${exp.hypothesis.title}", ${runtime.hypothesis}:`);
        lines.push(...exp.hypothesis.probes.map((p) => item(p)));
    }
    else
        lines.push('No steady-state hypothesis: the run only records what the method does.');
    lines.push('Method:', ...exp.method.map(item));
    if (exp.safeguards.length)
        lines.push(`Safeguards, every ${formatDuration(options.safeguardEveryMs)} while the method runs (one that fails aborts it):`, ...exp.safeguards.map((p) => item(p)));
    const faults = exp.method.filter((a) => a.provider.type === 'fault').length;
    lines.push(`Revert: ${faults} fault${faults === 1 ? '' : 's'} held under a ${formatDuration(options.leaseMs)} lease and removed at the end, whatever happens.`);
    lines.push(exp.rollbacks.length ? `Rollbacks (${runtime.rollbacks}):` : 'No rollbacks.', ...exp.rollbacks.map((a) => item(a)));
    return `${lines.join('\n')}\n`;
}
//# sourceMappingURL=plan.js.map