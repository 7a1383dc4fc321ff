import type { Argv } from 'yargs';
import { faultRulesFromIstio, isIstioText } from '../../importers/istio/faults-from-istio.js';
import { callAdmin, isOk } from '../../proxy/admin/admin-client.js';
import { formatIssue } from '../../proxy/config/config-error.js';
import { checkDuration } from '../../proxy/config/duration.js';
import { readTextFile, readTextStream, STDIN_NAME } from '../../proxy/config/text-file.js';
import { YamlSource } from '../../proxy/config/yaml-source.js';
import { faultRuleListSchema, faultRuleSchema } from '../../proxy/faults/fault-rule-schema.js';
import { describeForCli, targetFlag } from '../control-target.js';
import { UsageError } from '../exit.js';
import { JSON_FLAG, printJson } from '../json-output.js';
import { addInOrder, rollBack } from './faults-add.js';
import { addReplacing } from './faults-apply.js';
import { hasRuleFlags, ruleFromFlags, withRuleFlags } from './faults-inline.js';
import { fanOut, faultTarget, withAdmins, type FaultArgs } from './faults-target.js';
import { renewFault } from './faults-renew.js';
import { jsonList, listText } from './faults-view.js';

/** The lease of rules from an Istio file, which has no word for one, and of a rule given as flags. */
const DEFAULT_TTL = '10m';

type AddArgs = FaultArgs & Readonly<Record<string, unknown>> & { readonly file?: string | undefined; readonly ttl?: string | undefined };

/** A --ttl as the rules take it: a duration above 0 (exit 2 otherwise). */
function checkedTtl(ttl: string): string {
  const checked = checkDuration(ttl);
  if (!checked.ok || checked.ms <= 0) throw new UsageError(`--ttl: ${checked.ok ? 'must be above 0' : checked.message}`);
  return ttl;
}

/** The milliseconds of a --ttl checkedTtl accepted. */
const ttlMsOf = (ttl: string) => {
  const checked = checkDuration(ttl);
  return checked.ok ? checked.ms : Number.NaN;
};

/**
 * The rules to add: given as flags; or a file's (`-`: standard input): one
 * faultmesh rule or a list (validated with file, line and field), or an
 * Istio VirtualService file's faults (Bookinfo's fault-injection files as
 * they are), each leased for --ttl, with the marks of the VirtualServices
 * they replace the earlier rules of.
 */
async function rulesOf(args: AddArgs): Promise<{ rules: Array<Record<string, unknown>>; origins?: ReadonlyMap<string, string> }> {
  if (args.file === undefined) {
    if (!hasRuleFlags(args)) throw new UsageError('faults add: give a rule file (- for standard input), or the rule as flags (--target NAME and an action such as --abort 503; faultmesh faults add --help lists them)');
    return { rules: [ruleFromFlags(args, checkedTtl(args.ttl ?? DEFAULT_TTL))] };
  }
  if (hasRuleFlags(args)) throw new UsageError(`faults add: give the rule in ${args.file} or as flags, not both`);
  const fromStdin = args.file === '-';
  if (fromStdin && process.stdin.isTTY) process.stderr.write('faults add: reading the rules from standard input (end with Ctrl-D)\n');
  const name = fromStdin ? STDIN_NAME : args.file;
  const text = fromStdin ? await readTextStream(process.stdin) : readTextFile(args.file);
  if (isIstioText(name, text)) {
    // Its VirtualServices are replaced by name on the next add of the file, which must be readable again.
    if (fromStdin) throw new UsageError('faults add -: an Istio VirtualService is added from its file (faults add FILE.yaml), not from standard input');
    const ttl = checkedTtl(args.ttl ?? DEFAULT_TTL);
    const { rules, origins, notes } = faultRulesFromIstio(args.file, ttl);
    for (const n of notes) process.stderr.write(`${formatIssue({ ...n, message: `note: ${n.message}` })}\n`);
    return { rules, origins };
  }
  if (args.ttl !== undefined) throw new UsageError('--ttl is for Istio files and rules given as flags: a faultmesh rule file gives its own ttl');
  const source = new YamlSource(name, text);
  const raw = source.toJS();
  // The schema follows the file's shape, so errors name fields, not "invalid union".
  source.validate(Array.isArray(raw) ? faultRuleListSchema : faultRuleSchema);
  return { rules: (Array.isArray(raw) ? raw : [raw]) as Array<Record<string, unknown>> };
}

/**
 * `faults add FILE | - | --target … --abort …`: validated here first; then
 * added on every proxy, in order. A rule whose id holds the same rule
 * already is renewed, so adding a file again is safe. If any proxy refuses
 * any rule, the rules already added are removed again: all or nothing. A
 * VirtualService's faults replace those an earlier `faults add` made from
 * one of the same name (faults-apply.ts).
 */
async function addFaults(parsed: AddArgs): Promise<void> {
  // yargs hands a lone "-" to a string positional as "".
  if (parsed.file === '' && !process.argv.includes('-')) throw new UsageError('faults add: the file name is empty; give a rule file, or - for standard input');
  const args = parsed.file === '' ? { ...parsed, file: '-' } : parsed;
  // A blank token or a bad --control is refused before the file is read or anything is sent.
  const target = faultTarget(args);
  const { rules, origins } = await rulesOf(args);
  let ok: boolean;
  if (origins) ok = await addReplacing(target, rules, origins);
  else {
    const added = await addInOrder(target, rules);
    if (!added.ok) await rollBack(target, added.added);
    ok = added.ok;
  }
  if (ok) return;
  process.exitCode = 1;
  const count = rules.length;
  const from = args.file === undefined ? 'given as flags' : `in ${args.file === '-' ? STDIN_NAME : args.file}`;
  process.stderr.write(`faults add: not applied (${count} rule${count === 1 ? '' : 's'} ${from})\n`);
}

/** `faults list [--json]`: every admin's rules in force, with what they do and their counts. */
async function listFaults(args: FaultArgs & { json?: boolean }): Promise<void> {
  const target = faultTarget(args);
  if (!args.json) {
    await fanOut(target, 'GET', '/v1/faults', (r) => listText(r, Date.now(), `faultmesh faults resume${targetFlag(target, r.admin)}`));
    return;
  }
  const replies = await Promise.all(target.admins.map((admin) => callAdmin(admin, 'GET', '/v1/faults', target.token)));
  printJson(jsonList(replies, isOk, Date.now()));
  // The JSON says what failed; stderr says what to do about it.
  for (const r of replies.filter((x) => !isOk(x))) process.stderr.write(`${describeForCli(r, target)}\n`);
  if (!replies.every(isOk)) process.exitCode = 1;
}

const idPath = (id: unknown) => `/v1/faults/${encodeURIComponent(String(id))}`;

export const faultsCommand = {
  command: 'faults <action>',
  describe: 'list, add, renew and remove fault rules on one or more proxies, or on the control plane',
  builder: (y: Argv) =>
    withAdmins(y)
      .command(
        'list',
        'list the fault rules in force: what each does to which requests, its lease and counts',
        (c: Argv) => c.option('json', { ...JSON_FLAG, describe: `${JSON_FLAG.describe}: {admins: [{admin, halted, faults} or {admin, error}]}` }),
        (args) => listFaults(args as unknown as FaultArgs & { json?: boolean }),
      )
      .command(
        'add [file]',
        "add the fault rule(s) in a YAML file (- reads standard input), the faults of an Istio VirtualService file's routes, or one rule given as flags",
        (c: Argv) =>
          withRuleFlags(
            c
              .positional('file', { type: 'string', describe: 'a rule file (one rule or a list), an Istio VirtualService file, or - for standard input; leave it out to give the rule as flags' })
              .option('ttl', { type: 'string', requiresArg: true, describe: `lease of a rule given as flags or of the rules from an Istio file (default ${DEFAULT_TTL}); a rule file gives its own` }),
          ).example('$0 faults add --target payments --abort 503 --percentage 10 --customer acme --ttl 5m', 'fail 10% of acme\'s payments calls for 5 minutes'),
        (args) => addFaults(args as unknown as AddArgs),
      )
      .command(
        'renew <id>',
        'set the lease of a fault rule in force to --ttl from now (longer or shorter than what it had left)',
        (c: Argv) =>
          c
            .positional('id', { type: 'string', demandOption: true, describe: 'the rule id (faults list shows them)' })
            .option('ttl', { type: 'string', requiresArg: true, demandOption: true, describe: 'the new lease, from now (such as 10m); it replaces what was left, so a shorter one cuts it' }),
        (args) => {
          const target = faultTarget(args as unknown as FaultArgs);
          const ttl = checkedTtl(String(args.ttl));
          return renewFault(target, String(args.id), ttl, ttlMsOf(ttl));
        },
      )
      .command(
        'rm <id>',
        'remove one fault rule',
        (c: Argv) => c.positional('id', { type: 'string', demandOption: true, describe: 'the rule id (faults list shows them)' }),
        (args) => fanOut(faultTarget(args as unknown as FaultArgs), 'DELETE', idPath(args.id), () => `removed ${String(args.id)}`, undefined, String(args.id)),
      )
      .command('clear', 'remove every fault rule', {}, (args) => fanOut(faultTarget(args as unknown as FaultArgs), 'DELETE', '/v1/faults', (r) => `removed ${String(r.body.removed)}`))
      .command('halt', 'remove every fault and refuse new ones until resume', {}, (args) => {
        const target = faultTarget(args as unknown as FaultArgs);
        return fanOut(target, 'POST', '/v1/halt', (r) => `halted, removed ${String(r.body.removed)}; faults are refused until: faultmesh faults resume${targetFlag(target, r.admin)}`);
      })
      .command('resume', 'accept fault rules again after a halt', {}, (args) => fanOut(faultTarget(args as unknown as FaultArgs), 'POST', '/v1/resume', () => 'resumed'))
      .demandCommand(1),
  handler: () => {},
};
