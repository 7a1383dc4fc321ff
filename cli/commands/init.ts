import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { UsageError } from '../exit.js';
import { addInstance, checkAddress, SIDECAR_DEFAULTS, starterExperiment, starterMesh, type StarterPlan, type StarterService } from './init-files.js';
import { promptForPlan, type PromptIo } from './init-prompt.js';
import { inspectFile } from './validate.js';

export interface InitArgs {
  readonly dir: string;
  readonly service?: string | readonly string[] | undefined;
  readonly region?: string | undefined;
  readonly force?: boolean | undefined;
  readonly listen?: string | undefined;
  readonly admin?: string | undefined;
}

/** The plan the --service flags give (NAME=HOST:PORT, a name given again adds an instance); a bad one exits 2, naming it. */
export function planFromFlags(args: InitArgs): StarterPlan {
  const given = args.service === undefined ? [] : typeof args.service === 'string' ? [args.service] : args.service;
  const services: StarterService[] = [];
  for (const spec of given) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--service ${spec}: write NAME=HOST:PORT, such as payments=127.0.0.1:9301`);
    const bad = addInstance(services, spec.slice(0, eq).trim(), spec.slice(eq + 1).trim());
    if (bad) throw new UsageError(`--service ${spec}: ${bad}`);
  }
  if (args.region !== undefined && args.region.trim() === '') throw new UsageError('--region is blank: give a region, or leave the flag out');
  for (const flag of ['listen', 'admin'] as const) {
    const bad = args[flag] === undefined ? undefined : checkAddress(args[flag]);
    if (bad) throw new UsageError(`--${flag} ${args[flag]}: ${bad}`);
  }
  return { services, region: args.region, ...(args.listen ? { listen: args.listen } : {}), ...(args.admin ? { admin: args.admin } : {}) };
}

/**
 * `faultmesh init [DIR]`: writes DIR/mesh.yaml and DIR/experiment.yaml for
 * the services the flags name, or those the user names at the prompts on a
 * terminal; each file is then read back with the loaders `validate` uses, so
 * what init writes is what faultmesh reads. Refuses to overwrite either file
 * without --force (exit 2). Returns the paths written and the plan.
 */
export async function runInit(args: InitArgs, io: PromptIo & { readonly isTTY: boolean }): Promise<{ mesh: string; experiment: string; plan: StarterPlan }> {
  const mesh = join(args.dir, 'mesh.yaml');
  const experiment = join(args.dir, 'experiment.yaml');
  if (existsSync(args.dir) && !statSync(args.dir).isDirectory()) throw new UsageError(`${args.dir}: not a directory; give the directory to write mesh.yaml and experiment.yaml in`);
  // Checked before any question: a user should not answer them all to be refused.
  const taken = [mesh, experiment].filter((f) => existsSync(f));
  if (taken.length && !args.force) throw new UsageError(`${taken.join(' and ')} already exist${taken.length === 1 ? 's' : ''}: give --force to overwrite, or another directory (faultmesh init DIR)`);
  let plan = planFromFlags(args);
  if (plan.services.length === 0) {
    if (!io.isTTY) throw new UsageError('init: name your services with --service NAME=HOST:PORT (repeat it; a name given again is another instance), or run init on a terminal to be asked');
    const asked = await promptForPlan(io);
    plan = { ...plan, services: asked.services, region: args.region ?? asked.region };
  }
  mkdirSync(args.dir, { recursive: true });
  writeFileSync(mesh, starterMesh(plan));
  writeFileSync(experiment, starterExperiment(plan));
  // Both files as `faultmesh validate` reads them; a ConfigError here (exit 2, file:line:column) is a bug of init's.
  inspectFile(mesh);
  const exp = inspectFile(experiment);
  const services = new Set(plan.services.map((s) => s.name));
  const stray = exp.targets.filter((t) => !services.has(t.target));
  if (stray.length) throw new Error(`init wrote an experiment aimed at ${stray.map((t) => t.target).join(', ')}, which its mesh does not have`);
  return { mesh, experiment, plan };
}

/** What to do next, with the paths as the user would type them. */
function nextSteps(paths: { mesh: string; experiment: string; plan: StarterPlan }): string {
  const n = paths.plan.services.length;
  // Relative when that is shorter to type; a path outside the working directory stays absolute.
  const rel = (p: string) => {
    const r = relative(process.cwd(), p);
    return r && !r.startsWith('..') ? r : resolve(p);
  };
  const listen = paths.plan.listen ?? SIDECAR_DEFAULTS.listen;
  const admin = paths.plan.admin ?? SIDECAR_DEFAULTS.admin;
  return [
    `wrote ${rel(paths.mesh)} (${n} service${n === 1 ? '' : 's'}) and ${rel(paths.experiment)}; both validated`,
    'next:',
    `  faultmesh proxy --mesh ${rel(paths.mesh)} --listen ${listen} --admin ${admin}   # beside the caller; point its client at ${listen}`,
    `  faultmesh run ${rel(paths.experiment)} --dry-run`,
    `  faultmesh run ${rel(paths.experiment)} --report report.html`,
    `the experiment sends its test traffic to http://${listen} and injects at http://${admin}; for a sidecar elsewhere, set FAULTMESH_PROXY and FAULTMESH_ADMIN or give --var proxy=URL --var admin=URL`,
  ].join('\n');
}

export const initCommand = {
  command: 'init [dir]',
  describe: 'write a starter mesh file and experiment for your own services',
  builder: (y: Argv) =>
    y
      .positional('dir', { type: 'string', default: '.', describe: 'the directory to write mesh.yaml and experiment.yaml in' })
      .option('service', { type: 'string', requiresArg: true, describe: 'a service and one instance\'s address, NAME=HOST:PORT; repeat it (a name given again is another instance). Without it, init asks on a terminal' })
      .option('region', { type: 'string', requiresArg: true, describe: 'the region of the instances, for locality and region faults' })
      .option('listen', { type: 'string', requiresArg: true, default: SIDECAR_DEFAULTS.listen, describe: 'HOST:PORT of the sidecar\'s listener, written as the experiment\'s default proxy URL (not 15001: the demo\'s ingress has it)' })
      .option('admin', { type: 'string', requiresArg: true, default: SIDECAR_DEFAULTS.admin, describe: 'HOST:PORT of the sidecar\'s admin API, written as the experiment\'s default admin URL (not 15000: the demo\'s ingress has it)' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite mesh.yaml and experiment.yaml if they exist' })
      .example('$0 init shop --service payments=127.0.0.1:9301 --service payments=127.0.0.1:9302 --service catalog=127.0.0.1:9401', 'two payments instances and one catalog instance'),
  handler: async (args: InitArgs) => {
    const paths = await runInit(args, { input: process.stdin, output: process.stderr, isTTY: Boolean(process.stdin.isTTY && process.stderr.isTTY) });
    process.stdout.write(`${nextSteps(paths)}\n`);
  },
};
