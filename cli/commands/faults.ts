import type { Argv } from 'yargs';
import { faultRulesFromIstio, isIstioText } from '../../importers/istio/faults-from-istio.js';
import { formatIssue } from '../../proxy/config/config-error.js';
import { checkDuration } from '../../proxy/config/duration.js';
import { readTextFile } from '../../proxy/config/text-file.js';
import { YamlSource } from '../../proxy/config/yaml-source.js';
import { faultRuleListSchema, faultRuleSchema } from '../../proxy/faults/fault-rule-schema.js';
import { callAdmin, describeFailure, isOk, type AdminReply } from '../../proxy/admin/admin-client.js';
import { describeMatch } from '../../runner/describe.js';
import { oneControlUrl, tokenOrNone } from '../control-target.js';
import { UsageError } from '../exit.js';
import { addInOrder, addReplacing, rollBack } from './faults-apply.js';

interface FaultArgs {
  readonly admin: string[] | undefined;
  readonly control: string | undefined;
  readonly token: string | undefined;
}

const DEFAULT_ADMIN = 'http://127.0.0.1:15000';

/**
 * Where the rules go: the control plane (--control, else FAULTMESH_CONTROL
 * when no --admin is given), which speaks the admin API for every proxy it
 * serves; else each --admin; else the default proxy's admin.
 */
function adminsOf(args: FaultArgs): string[] {
  if (args.control !== undefined) return [oneControlUrl(args.control)];
  if (args.admin?.length) return args.admin;
  return [process.env.FAULTMESH_CONTROL ? oneControlUrl(undefined) : DEFAULT_ADMIN];
}

const withAdmins = (y: Argv) =>
  y
    .option('admin', { type: 'string', array: true, describe: `admin API of a proxy; repeat to act on every proxy of the mesh (default ${DEFAULT_ADMIN})` })
    .option('control', { type: 'string', describe: 'the control plane, for every proxy on it (or FAULTMESH_CONTROL)' })
    .conflicts('control', 'admin')
    .option('token', { type: 'string', describe: 'admin token (or FAULTMESH_ADMIN_TOKEN; FAULTMESH_CONTROL_TOKEN for the control plane)' });

/**
 * --token; else the control plane's token when the rules go there; else the
 * proxies' admin token. A blank one is refused (exit 2), naming where it came
 * from, as the proxy refuses one: it would send no token and read as a 401.
 */
function tokenOf(args: FaultArgs): string | undefined {
  const control = args.control !== undefined || Boolean(!args.admin?.length && process.env.FAULTMESH_CONTROL);
  const [token, from] =
    args.token !== undefined ? [args.token, '--token']
    : control && process.env.FAULTMESH_CONTROL_TOKEN !== undefined ? [process.env.FAULTMESH_CONTROL_TOKEN, 'FAULTMESH_CONTROL_TOKEN']
    : [process.env.FAULTMESH_ADMIN_TOKEN, 'FAULTMESH_ADMIN_TOKEN'];
  return tokenOrNone(token, from, control ? 'control' : 'proxies');
}

/** Runs one admin call on every proxy at once and prints each one's result. */
async function fanOut(args: FaultArgs, method: 'GET' | 'POST' | 'DELETE', path: string, ok: (r: AdminReply) => string, body?: unknown): Promise<void> {
  const token = tokenOf(args);
  const replies = await Promise.all(adminsOf(args).map((admin) => callAdmin(admin, method, path, token, body)));
  for (const r of replies) process[isOk(r) ? 'stdout' : 'stderr'].write(`${isOk(r) ? `${r.admin}: ${ok(r)}` : describeFailure(r)}\n`);
  if (!replies.every(isOk)) process.exitCode = 1;
}

/**
 * The rules a file holds: one faultmesh rule or a list (validated with file,
 * line and field), or an Istio VirtualService file's faults (Bookinfo's
 * fault-injection files as they are), each leased for --ttl, with the marks
 * of the VirtualServices they replace the earlier rules of.
 */
function rulesOf(args: { file: string; ttl?: string | undefined }): { rules: Array<Record<string, unknown>>; origins?: ReadonlyMap<string, string> } {
  const text = readTextFile(args.file);
  if (isIstioText(args.file, text)) {
    const ttl = checkDuration(args.ttl ?? ISTIO_TTL);
    if (!ttl.ok || ttl.ms <= 0) throw new UsageError(`--ttl: ${ttl.ok ? 'must be above 0' : ttl.message}`);
    const { rules, origins, notes } = faultRulesFromIstio(args.file, args.ttl ?? ISTIO_TTL);
    for (const n of notes) process.stderr.write(`${formatIssue({ ...n, message: `note: ${n.message}` })}\n`);
    return { rules, origins };
  }
  if (args.ttl !== undefined) throw new UsageError('--ttl is for Istio files: a faultmesh rule gives its own ttl');
  const source = new YamlSource(args.file, text);
  const raw = source.toJS();
  // The schema follows the file's shape, so errors name fields, not "invalid union".
  source.validate(Array.isArray(raw) ? faultRuleListSchema : faultRuleSchema);
  return { rules: (Array.isArray(raw) ? raw : [raw]) as Array<Record<string, unknown>> };
}

/** The lease of rules from an Istio file, which has no word for one. */
const ISTIO_TTL = '10m';

/**
 * `faults add FILE`: one rule, a list of rules, or a VirtualService's
 * faults. Validated here first; then added on every proxy, in the file's
 * order. If any proxy refuses any rule, the rules already added are
 * removed again: all or nothing. A VirtualService's faults replace those
 * an earlier `faults add` made from one of the same name (faults-apply.ts).
 */
async function addFaults(args: FaultArgs & { file: string; ttl?: string | undefined }): Promise<void> {
  // A blank token or a bad --control is refused before the file is read or anything is sent.
  const token = tokenOf(args);
  const admins = adminsOf(args);
  const { rules, origins } = rulesOf(args);
  const count = rules.length;
  let ok: boolean;
  if (origins) ok = await addReplacing(admins, token, rules, origins);
  else {
    const added = await addInOrder(admins, token, rules);
    if (!added.ok) await rollBack(added.added, token);
    ok = added.ok;
  }
  if (ok) return;
  process.exitCode = 1;
  process.stderr.write(`faults add: not applied (${count} rule${count === 1 ? '' : 's'} in ${args.file})\n`);
}

/** One live rule: what it does and to which requests, where it came from, its lease and counts. */
function listLine(rule: Record<string, unknown>): string {
  const actions = ['abort', 'delay', 'reset', 'hang', 'throttle'].filter((k) => rule[k] !== undefined).join('+');
  const counts = rule.counts as { matched: number; hit: number; active: number };
  const left = Math.max(0, Math.round((Date.parse(String(rule.expiresAt)) - Date.now()) / 1000));
  const match = describeMatch(rule.match);
  const origin = typeof rule.origin === 'string' ? `  from ${rule.origin}` : '';
  return `  ${String(rule.id)}  target=${String(rule.target)}  ${actions} ${String(rule.percentage)}%  ${String(rule.phase)}${match ? `  where ${match}` : ''}${origin}  expires in ${left}s  matched=${counts.matched} hit=${counts.hit} active=${counts.active}`;
}

export const faultsCommand = {
  command: 'faults <action>',
  describe: 'list, add and remove fault rules on one or more proxies',
  builder: (y: Argv) =>
    withAdmins(y)
      .command('list', 'list live fault rules', {}, (args) =>
        fanOut(args as unknown as FaultArgs, 'GET', '/v1/faults', (r) => {
          const faults = (r.body.faults as Array<Record<string, unknown>>) ?? [];
          const head = `${faults.length} fault${faults.length === 1 ? '' : 's'}${r.body.halted ? ', HALTED' : ''}`;
          return [head, ...faults.map(listLine)].join('\n');
        }),
      )
      .command(
        'add <file>',
        "add the fault rule(s) in a YAML file, or the faults of an Istio VirtualService file's routes",
        (c: Argv) =>
          c
            .positional('file', { type: 'string', demandOption: true })
            .option('ttl', { type: 'string', requiresArg: true, describe: `lease of the rules from an Istio file (default ${ISTIO_TTL}); a faultmesh rule gives its own` }),
        (args) => addFaults(args as unknown as FaultArgs & { file: string; ttl?: string }),
      )
      .command('rm <id>', 'remove one fault rule', (c: Argv) => c.positional('id', { type: 'string', demandOption: true }), (args) => fanOut(args as unknown as FaultArgs, 'DELETE', `/v1/faults/${encodeURIComponent(String(args.id))}`, () => `removed ${String(args.id)}`))
      .command('clear', 'remove every fault rule', {}, (args) => fanOut(args as unknown as FaultArgs, 'DELETE', '/v1/faults', (r) => `removed ${String(r.body.removed)}`))
      .command('halt', 'remove every fault and refuse new ones until resume', {}, (args) => fanOut(args as unknown as FaultArgs, 'POST', '/v1/halt', (r) => `halted, removed ${String(r.body.removed)}`))
      .command('resume', 'accept fault rules again after a halt', {}, (args) => fanOut(args as unknown as FaultArgs, 'POST', '/v1/resume', () => 'resumed'))
      .demandCommand(1),
  handler: () => {},
};
