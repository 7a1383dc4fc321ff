import type { Argv } from 'yargs';
import { ConfigError, type SourceIssue } from '../../proxy/config/config-error.js';
import { loadMeshFile } from '../../proxy/config/load-mesh.js';
import { EXIT_INVALID } from '../exit.js';

export const validateCommand = {
  command: 'validate <files..>',
  describe: 'check mesh files and report every error as file:line:column field: message',
  builder: (y: Argv) => y.positional('files', { type: 'string', array: true, demandOption: true }),
  handler: (args: { files: string[] }) => {
    const issues: SourceIssue[] = [];
    for (const file of args.files) {
      try {
        const mesh = loadMeshFile(file);
        process.stdout.write(`${file}: ok (${Object.keys(mesh.services).length} services)\n`);
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
