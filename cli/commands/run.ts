import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Argv } from 'yargs';
import { formatIssue } from '../../proxy/config/config-error.js';
import { checkDuration, MAX_WAIT_MS } from '../../proxy/config/duration.js';
import { checkPrograms } from '../../runner/experiment/check-programs.js';
import { loadExperiment } from '../../runner/experiment/load-experiment.js';
import { HYPOTHESIS_STRATEGIES, hypothesisStrategySchema, ROLLBACK_STRATEGIES } from '../../runner/experiment/runtime-schema.js';
import { exitCodeOf } from '../../runner/journal.js';
import { planOf } from '../../runner/plan.js';
import { haltedNotice, stillHalted } from '../../runner/gameday/halt.js';
import { progressPrinter } from '../../runner/progress.js';
import { runPublisher } from '../../control/ui/run-publisher.js';
import { alsoTo } from '../../runner/events.js';
import { masker } from '../../runner/experiment/variables.js';
import { resolvePython } from '../../runner/python/python-env.js';
import { DEFAULT_LEASE_MS, runExperiment, type RollbackStrategy } from '../../runner/run-experiment.js';
import { touchedBy } from '../../runner/sampler.js';
import type { RuntimeFlags } from '../../runner/runtime.js';
import { readReportInput } from '../../reports/report-input.js';
import { writeReport } from '../../reports/write-report.js';
import { tokenOrNone } from '../control-target.js';
import { UsageError } from '../exit.js';
import { interruptOnSignals } from '../interrupt.js';
import { runTraceOf } from '../../runner/tracing/run-trace.js';
import { otlpRunFlag, traceTargetOf } from './run-trace-flag.js';

interface RunArgs {
  readonly file: string;
  readonly journal: string;
  readonly var: string[];
  readonly 'dry-run': boolean;
  readonly 'rollback-strategy': RollbackStrategy | undefined;
  readonly 'hypothesis-strategy': string | undefined;
  readonly 'hypothesis-frequency': string | undefined;
  readonly 'fail-fast': boolean | undefined;
  readonly token: string | undefined;
  readonly 'fault-lease': string;
  readonly report: string | undefined;
  readonly python: string | undefined;
  readonly 'otlp-endpoint': string | undefined;
}

/** The runtime strategy flags (Chaos Toolkit's, by the same names), each undefined when not given so the experiment's `runtime` decides. */
function runtimeFlags(args: RunArgs): RuntimeFlags {
  const frequency = args['hypothesis-frequency'];
  // Bare seconds, as Chaos Toolkit's flag takes them (1.5), or a duration string.
  const every = frequency === undefined ? undefined : checkDuration(/^\d+(\.\d+)?$/.test(frequency) ? Number(frequency) : frequency, MAX_WAIT_MS, true);
  if (every && (!every.ok || every.ms <= 0)) throw new UsageError(`--hypothesis-frequency ${frequency}: give seconds (1.5) or a duration (500ms) above 0${every.ok ? '' : ` (${every.message})`}`);
  const strategy = args['hypothesis-strategy'];
  return {
    rollbackStrategy: args['rollback-strategy'],
    hypothesisStrategy: strategy === undefined ? undefined : hypothesisStrategySchema.parse(strategy),
    hypothesisEveryMs: every?.ok ? every.ms : undefined,
    failFast: args['fail-fast'],
  };
}

/** `--var name=value`; the value is read as YAML, so `--var rate=50` is a number and `--var on=true` a boolean. */
export function parseVars(pairs: readonly string[]): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var ${pair}: write it as NAME=VALUE`);
    const text = pair.slice(eq + 1);
    let value: unknown = text;
    try {
      value = parseYaml(text) ?? text;
    } catch {
      // Not YAML: the text as given.
    }
    vars[pair.slice(0, eq)] = value;
  }
  return vars;
}

async function run(args: RunArgs): Promise<void> {
  const lease = checkDuration(args['fault-lease']);
  if (!lease.ok || lease.ms < 300) throw new UsageError(`--fault-lease ${args['fault-lease']}: give a duration from 300ms to 24h, e.g. 10s${lease.ok ? '' : ` (${lease.message})`}`);
  const leaseMs = lease.ms;
  // A blank token would send none and read as a 401 from every proxy: refused before anything runs.
  const token = args.token !== undefined ? tokenOrNone(args.token, '--token', 'proxies') : tokenOrNone(process.env.FAULTMESH_ADMIN_TOKEN, 'FAULTMESH_ADMIN_TOKEN', 'proxies');
  const vars = parseVars(args.var);
  const flags = runtimeFlags(args);
  // Every python activity and control is checked with the interpreter the run will use, before anything runs.
  const python = resolvePython(args.python);
  const experiment = loadExperiment(args.file, { vars, python });
  checkPrograms([args.file], { vars });
  for (const w of experiment.warnings ?? []) process.stderr.write(`warning: ${formatIssue(w)}\n`);
  const safeguardEveryMs = 2000;
  // Checked before a dry run too: a dry run says whether the real one would start.
  const traceTarget = traceTargetOf(args['otlp-endpoint']);
  if (args['dry-run']) {
    process.stdout.write(planOf(experiment, { leaseMs, safeguardEveryMs, ...flags }));
    process.stdout.write('Dry run: nothing was touched.\n');
    return;
  }
  const trace = await runTraceOf(traceTarget, experiment);
  const journalPath = resolve(args.journal);
  const mask = masker(experiment.secrets);
  const interrupt = interruptOnSignals('stopping; every fault this run injected is removed and the rollbacks run before exit');
  // A run through a control plane tells its dashboard (/ui) what it does; the run never waits on that.
  const configured = experiment.configuration.control;
  const control = typeof configured === 'string' && configured ? configured : process.env.FAULTMESH_CONTROL || undefined;
  const printer = progressPrinter(process.stderr, mask);
  const publisher = control ? runPublisher({ control, token, name: experiment.title, report: args.report && resolve(args.report), mask }) : undefined;
  try {
    const journal = await runExperiment(experiment, trace.options({
      journalPath,
      ...flags,
      python,
      events: publisher ? alsoTo(printer, publisher) : printer,
      interrupt: interrupt.signal,
      leaseMs,
      safeguardEveryMs,
      token,
    }));
    process.stderr.write(`journal: ${journalPath}\n`);
    // A halt outlives the run that met it (and one made before it made every fault fail): the user must know, and how to lift it.
    const halted = haltedNotice(await stillHalted(touchedBy(experiment).admins, token), args.token !== undefined);
    if (halted) process.stderr.write(`${halted}\n`);
    // From the file, not from memory: the written journal has its secrets masked.
    if (args.report) process.stderr.write(`report: ${writeReport(readReportInput(journalPath), resolve(args.report))[0]}\n`);
    process.exitCode = exitCodeOf(journal);
  } finally {
    await publisher?.close();
    await trace.close();
    interrupt.dispose();
  }
}

export const runCommand = {
  command: 'run <file>',
  describe: 'run an experiment: hypothesis, method with safeguards, hypothesis again; always revert. Exit 0 held, 1 deviated or failed, 2 invalid, 3 aborted or interrupted',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'experiment file (YAML or JSON)' })
      .option('journal', { type: 'string', default: 'journal.json', describe: 'where the journal is written as the run goes' })
      .option('var', { type: 'string', array: true, default: [], describe: 'NAME=VALUE, overriding a configuration entry; repeatable' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'validate and print the plan; touch nothing' })
      .option('rollback-strategy', { choices: ROLLBACK_STRATEGIES, describe: 'when the rollbacks run (faults are removed in every case); wins over runtime.rollbacks.strategy; default: the file\'s, else always' })
      .option('hypothesis-strategy', { choices: [...HYPOTHESIS_STRATEGIES, 'continously'], describe: 'when the steady state is checked; wins over runtime.hypothesis.strategy' })
      .option('hypothesis-frequency', { type: 'string', describe: 'seconds (or a duration) between checks during the method; wins over runtime.hypothesis.frequency and during' })
      .option('fail-fast', { type: 'boolean', describe: 'stop the run at the first check during the method that is not met' })
      .option('token', { type: 'string', describe: 'admin token of the proxies and the control plane (or FAULTMESH_ADMIN_TOKEN); a blank one is refused' })
      .option('python', { type: 'string', describe: 'the Python interpreter of python providers and controls (default: FAULTMESH_PYTHON, else python3 on PATH)' })
      .option('report', { type: 'string', describe: 'also write a report of the run here (.html, or .md with charts beside it)' })
      .options(otlpRunFlag)
      .option('fault-lease', { type: 'string', default: `${DEFAULT_LEASE_MS / 1000}s`, describe: 'lease the faults are held under; a killed runner leaves none behind longer than this' }),
  handler: (args: unknown) => run(args as RunArgs),
};
