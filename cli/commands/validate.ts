import type { Argv } from 'yargs';
import { z } from 'zod';
import { ConfigError, type SourceIssue } from '../../proxy/config/config-error.js';
import { meshSchema } from '../../proxy/config/mesh-schema.js';
import { YamlSource } from '../../proxy/config/yaml-source.js';
import { faultRuleSchema } from '../../proxy/faults/fault-rule-schema.js';
import { loadExperiment } from '../../runner/experiment/load-experiment.js';
import { loadGameday } from '../../runner/gameday/load-gameday.js';
import { EXIT_INVALID } from '../exit.js';

/**
 * Validates one file, choosing the schema by its shape: a game day has
 * `gameday`; an experiment has `method`; a mesh has `services`; a fault rule has `target`, and a list
 * holds fault rules. Returns a one-line summary.
 */
export function validateFile(file: string): string {
  const source = YamlSource.read(file);
  const raw = source.syntaxIssues().length ? undefined : source.toJS();
  if (raw && typeof raw === 'object' && 'gameday' in raw) {
    const g = loadGameday(file);
    return `game day "${g.title}", ${g.runs.length} run${g.runs.length === 1 ? '' : 's'}`;
  }
  if (raw && typeof raw === 'object' && ('method' in raw || 'steady-state-hypothesis' in raw)) {
    const exp = loadExperiment(file);
    return `experiment "${exp.title}", ${exp.method.length} method activit${exp.method.length === 1 ? 'y' : 'ies'}`;
  }
  if (Array.isArray(raw)) return `${source.validate(z.array(faultRuleSchema).min(1, 'the list has no rules')).length} fault rules`;
  if (raw && typeof raw === 'object' && 'target' in raw) {
    source.validate(faultRuleSchema);
    return '1 fault rule';
  }
  return `mesh, ${Object.keys(source.validate(meshSchema).services).length} services`;
}

export const validateCommand = {
  command: 'validate <files..>',
  describe: 'check game days, experiments, mesh files and fault rule files; report every error as file:line:column field: message',
  builder: (y: Argv) => y.positional('files', { type: 'string', array: true, demandOption: true }),
  handler: (args: { files: string[] }) => {
    const issues: SourceIssue[] = [];
    for (const file of args.files) {
      try {
        process.stdout.write(`${file}: ok (${validateFile(file)})\n`);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        issues.push(...err.issues);
        process.stderr.write(`${err.message}\n`);
      }
    }
    if (issues.length) {
      process.stderr.write(`${issues.length} error${issues.length === 1 ? '' : 's'}\n`);
      process.exitCode = EXIT_INVALID;
    }
  },
};
