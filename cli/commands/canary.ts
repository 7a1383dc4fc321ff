import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { checkDuration } from '../../proxy/config/duration.js';
import { canaryExitCode } from '../../runner/canary/canary-journal.js';
import { readState, removeState, runsCanary, writeState } from '../../runner/canary/canary-state.js';
import { loadCanary } from '../../runner/canary/load-canary.js';
import { CanaryInputError, CanaryRuntimeError, type CanaryTarget } from '../../runner/canary/route-info.js';
import { runCanary } from '../../runner/canary/run-canary.js';
import { readReportInput } from '../../reports/report-input.js';
import { writeReport } from '../../reports/write-report.js';
import { controlUrl, tokenOrNone } from '../control-target.js';
import { UsageError } from '../exit.js';
import { JSON_FLAG } from '../json-output.js';
import { interruptOnSignals } from '../interrupt.js';
import { canaryAbort, canaryStatus } from './canary-control.js';
import { parseVars } from './run.js';
import { canaryTraceOf } from '../../runner/tracing/run-trace.js';
import { otlpRunFlag, traceTargetOf } from './run-trace-flag.js';

interface RunArgs {
  readonly file: string;
  readonly control: string | undefined;
  readonly admin: string[];
  readonly journal: string | undefined;
  readonly report: string | undefined;
  readonly var: string[];
  readonly lease: string;
  readonly 'promote-apply': boolean;
  readonly hold: string;
  readonly token: string | undefined;
  readonly sample: string;
  readonly 'otlp-endpoint': string | undefined;
}

const durationFlag = (flag: string, text: string, minMs: number) => {
  const d = checkDuration(text);
  if (!d.ok || d.ms < minMs) throw new UsageError(`--${flag} ${text}: give a duration of at least ${minMs}ms, up to 24h${d.ok ? '' : ` (${d.message})`}`);
  return d.ms;
};

/** Where the weights go: --control, else --admin, else the file's control or admins (FAULTMESH_CONTROL fills in there). */
function targetOf(args: RunArgs, file: { control?: string; admins?: readonly string[] }): CanaryTarget {
  if (args.control !== undefined && args.admin.length) throw new UsageError('give --control or --admin, not both');
  if (args.admin.length || (args.control === undefined && file.admins?.length && !file.control)) {
    const urls = (args.admin.length ? args.admin : file.admins!).map((u, i) => controlUrl(args.admin.length ? '--admin' : `admins[${i}]`, u));
    const token = args.token !== undefined ? tokenOrNone(args.token, '--token', 'proxies') : tokenOrNone(process.env.FAULTMESH_ADMIN_TOKEN, 'FAULTMESH_ADMIN_TOKEN', 'proxies');
    return { kind: 'admins', urls, token };
  }
  const text = args.control ?? file.control;
  if (text === undefined) throw new UsageError('name the control plane (--control URL, or control: in the file, or FAULTMESH_CONTROL) or the proxies (--admin URL, repeatable, or admins: in the file)');
  const token = args.token !== undefined ? tokenOrNone(args.token, '--token', 'control') : tokenOrNone(process.env.FAULTMESH_CONTROL_TOKEN, 'FAULTMESH_CONTROL_TOKEN', 'control');
  return { kind: 'control', url: controlUrl(args.control !== undefined ? '--control' : 'control', text), token };
}

async function run(args: RunArgs): Promise<void> {
  const leaseMs = durationFlag('lease', args.lease, 1000);
  const holdMs = durationFlag('hold', args.hold, 1000);
  const sampleMs = durationFlag('sample', args.sample, 100);
  const canary = loadCanary(args.file, { vars: parseVars(args.var), ...(args.control === undefined ? {} : { control: args.control }) });
  const target = targetOf(args, canary);
  if (args['promote-apply'] && target.kind !== 'control') throw new UsageError('--promote-apply needs a control plane (--control): without one, each proxy reads its own mesh file');
  const journalPath = resolve(args.journal ?? `${canary.name}-canary.json`);
  const other = readState(canary.name);
  if (other && other.pid !== process.pid && runsCanary(other.pid)) {
    process.stderr.write(`faultmesh: a canary named "${canary.name}" already runs on this host (pid ${other.pid}, journal ${other.journal}); nothing was changed\n`);
    process.exitCode = 1;
    return;
  }
  const trace = await canaryTraceOf(traceTargetOf(args['otlp-endpoint']), canary);
  const interrupt = interruptOnSignals('rolling back: the canary\'s weights are removed (and any chaos stage reverted) before exit', 'still rolling back; faultmesh exits when the route is back on stable');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  writeState({ name: canary.name, pid: process.pid, journal: journalPath, control: target.kind === 'control' ? target.url : null, admins: target.kind === 'admins' ? target.urls : [], startedAt: new Date().toISOString() });
  try {
    const journal = await runCanary(canary, trace.options({ target, journalPath, leaseMs, holdMs, sampleMs, interrupt: interrupt.signal, promoteApply: args['promote-apply'], log }));
    await trace.close(journal);
    process.stderr.write(`journal: ${journalPath}\n`);
    if (args.report) process.stderr.write(`report: ${writeReport(readReportInput(journalPath), resolve(args.report))[0]}\n`);
    if (journal.decision) process.stdout.write(`${journal.decision.sentence}\n`);
    process.exitCode = canaryExitCode(journal);
  } catch (err) {
    // The mesh does not fit the file (exit 2), or could not be read (exit 1): nothing was changed either way.
    if (err instanceof CanaryInputError) throw new UsageError(`${args.file}: ${err.message}; nothing was changed`);
    if (err instanceof CanaryRuntimeError) {
      process.stderr.write(`faultmesh: ${err.message}; nothing was changed\n`);
      process.exitCode = 1;
      return;
    }
    throw err;
  } finally {
    interrupt.dispose();
    removeState(canary.name);
    await trace.close();
  }
}

export const canaryCommand = {
  command: 'canary <action>',
  describe: 'automated canary releases: run FILE | status [NAME] | abort NAME. run exits 0 promoted, 1 rolled back, 2 invalid, 3 aborted',
  builder: (y: Argv) =>
    y
      .command({
        command: 'run <file>',
        describe: 'step the canary\'s weight up under a lease, judge it against stable at each step, then promote or roll back',
        builder: (r: Argv) =>
          r
            .positional('file', { type: 'string', demandOption: true, describe: 'canary file (YAML or JSON)' })
            .option('control', { type: 'string', describe: 'the control plane (else the file\'s control, or FAULTMESH_CONTROL)' })
            .option('admin', { type: 'string', array: true, default: [] as string[], describe: 'a proxy\'s admin URL, without a control plane; repeat for every proxy that calls the service' })
            .option('journal', { type: 'string', describe: 'where the journal is written as the canary goes (default NAME-canary.json)' })
            .option('report', { type: 'string', describe: 'also write a report at the end (.html, or .md)' })
            .option('var', { type: 'string', array: true, default: [] as string[], describe: 'NAME=VALUE, overriding a configuration entry; repeatable' })
            .option('lease', { type: 'string', default: '10s', describe: 'the lease the weights hang on: if this process dies, traffic is back on stable within it' })
            .option('promote-apply', { type: 'boolean', default: false, describe: 'on promotion, apply the promoted mesh through the control plane instead of printing the command' })
            .option('hold', { type: 'string', default: '30m', describe: 'on promotion without --promote-apply, how long 100% is held waiting for the mesh apply' })
            .option('sample', { type: 'string', default: '2s', describe: 'how often the proxies\' metrics are read' })
            .option('token', { type: 'string', describe: 'control token (or FAULTMESH_CONTROL_TOKEN), or admin token with --admin (FAULTMESH_ADMIN_TOKEN)' })
            .options(otlpRunFlag),
        handler: (a: unknown) => run(a as RunArgs),
      })
      .command({
        command: 'status [name]',
        describe: 'the canaries running: step, weights, last judgement',
        builder: (r: Argv) =>
          r
            .positional('name', { type: 'string', describe: 'only the canary of this name (the name: in its file); exits 1 when none runs' })
            .option('control', { type: 'string', describe: 'also list the canary overrides the control plane holds' })
            .option('json', { ...JSON_FLAG, describe: 'print {canaries: [...], overrides: [...]} as one JSON document (see README)' }),
        handler: (a: unknown) => canaryStatus(a as { name?: string; control?: string; json: boolean }),
      })
      .command({
        command: 'abort <name>',
        describe: 'roll a canary back at once, from any state: its process stops (exit 3) and its weights are removed',
        builder: (r: Argv) => r.positional('name', { type: 'string', demandOption: true, describe: 'the canary to roll back (the name: in its file)' }).option('control', { type: 'string', describe: 'the control plane, to remove the canary\'s weights there even with no process on this host' }).option('token', { type: 'string', describe: 'control token (or FAULTMESH_CONTROL_TOKEN)' }),
        handler: (a: unknown) => canaryAbort(a as { name: string; control?: string; token?: string }),
      })
      .demandCommand(1, 'name an action: run, status or abort')
      .strict(),
  handler: () => {},
};
