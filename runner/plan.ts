import { formatDuration } from '../proxy/config/duration.js';
import type { Activity } from './experiment/activity-schema.js';
import type { Provider } from './experiment/provider-schema.js';
import type { Experiment } from './experiment/load-experiment.js';
import { describeProvider } from './describe.js';
import { describeTolerance } from './tolerance.js';

const item = (a: Activity, i?: number) =>
  `  ${i === undefined ? '-' : `${i + 1}.`} ${a.type} "${a.name}": ${describeProvider(a.provider as Provider)}${a.tolerance === undefined ? '' : `; tolerance ${describeTolerance(a.tolerance)}`}${a.background ? ' (in the background)' : ''}`;

/** The dry-run plan: what would be checked, injected where and for how long, and what reverts. Touches nothing. */
export function planOf(exp: Experiment, options: { leaseMs: number; safeguardEveryMs: number; rollbackStrategy: string }): string {
  const lines = [`Experiment "${exp.title}" (${exp.file})`];
  if (exp.hypothesis) {
    lines.push(`Steady state "${exp.hypothesis.title}", checked before and after the method${exp.hypothesis.duringMs ? ` and every ${formatDuration(exp.hypothesis.duringMs)} during it` : ''}:`);
    lines.push(...exp.hypothesis.probes.map((p) => item(p)));
  } else lines.push('No steady-state hypothesis: the run only records what the method does.');
  lines.push('Method:', ...exp.method.map(item));
  if (exp.safeguards.length) lines.push(`Safeguards, every ${formatDuration(options.safeguardEveryMs)} while the method runs (one that fails aborts it):`, ...exp.safeguards.map((p) => item(p)));
  const faults = exp.method.filter((a) => a.provider.type === 'fault').length;
  lines.push(`Revert: ${faults} fault${faults === 1 ? '' : 's'} held under a ${formatDuration(options.leaseMs)} lease and removed at the end, whatever happens.`);
  lines.push(exp.rollbacks.length ? `Rollbacks (${options.rollbackStrategy}):` : 'No rollbacks.', ...exp.rollbacks.map((a) => item(a)));
  return `${lines.join('\n')}\n`;
}
