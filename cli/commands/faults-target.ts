import type { Argv } from 'yargs';
import { callAdmin, isOk, type AdminReply } from '../../proxy/admin/admin-client.js';
import { DEFAULT_ADMIN_URL, describeForCli, oneControlUrl, tokenOrNone, type CallTarget } from '../control-target.js';

/** The flags every `faults` command takes: where the rules go, and the token. */
export interface FaultArgs {
  readonly admin: string[] | undefined;
  readonly control: string | undefined;
  readonly token: string | undefined;
}

/** Where one `faults` command sends its calls, what named that place, and the token to send. */
export interface FaultTarget extends CallTarget {
  readonly admins: readonly string[];
  readonly token: string | undefined;
}

/**
 * Where the rules go: the control plane (--control, else FAULTMESH_CONTROL
 * when no --admin is given), which speaks the admin API for every proxy it
 * serves; else each --admin; else the default proxy's admin. The token is
 * --token; else the control plane's when the rules go there; else the
 * proxies' admin token. A blank token or a bad --control is refused
 * (exit 2) before anything is read or sent.
 */
export function faultTarget(args: FaultArgs): FaultTarget {
  const where: CallTarget & { admins: string[] } =
    args.control !== undefined ? { kind: 'control', from: '--control', admins: [oneControlUrl(args.control)] }
    : args.admin?.length ? { kind: 'proxies', from: '--admin', admins: args.admin }
    : process.env.FAULTMESH_CONTROL ? { kind: 'control', from: 'FAULTMESH_CONTROL', admins: [oneControlUrl(undefined)] }
    : { kind: 'proxies', from: undefined, admins: [DEFAULT_ADMIN_URL] };
  const control = where.kind === 'control';
  const [token, from] =
    args.token !== undefined ? [args.token, '--token']
    : control && process.env.FAULTMESH_CONTROL_TOKEN !== undefined ? [process.env.FAULTMESH_CONTROL_TOKEN, 'FAULTMESH_CONTROL_TOKEN']
    : [process.env.FAULTMESH_ADMIN_TOKEN, 'FAULTMESH_ADMIN_TOKEN'];
  // A blank token would send none and read as a 401.
  return { ...where, token: tokenOrNone(token, from, control ? 'control' : 'proxies') };
}

/** Adds the flags of faultTarget to a command. */
export const withAdmins = (y: Argv) =>
  y
    .option('admin', { type: 'string', array: true, describe: `admin API of a proxy; repeat to act on every proxy of the mesh (default ${DEFAULT_ADMIN_URL})` })
    .option('control', { type: 'string', describe: 'the control plane, for every proxy on it (or FAULTMESH_CONTROL)' })
    .conflicts('control', 'admin')
    .option('token', { type: 'string', describe: 'admin token (or FAULTMESH_ADMIN_TOKEN; FAULTMESH_CONTROL_TOKEN for the control plane)' });

/**
 * Runs one admin call on every proxy at once and prints each one's result,
 * or its failure with what to do about it; exit code 1 when any failed.
 * `id` is the rule the call is about, for the hints.
 */
export async function fanOut(t: FaultTarget, method: 'GET' | 'POST' | 'DELETE', path: string, ok: (r: AdminReply) => string, body?: unknown, id?: string): Promise<void> {
  const replies = await Promise.all(t.admins.map((admin) => callAdmin(admin, method, path, t.token, body)));
  for (const r of replies) {
    if (isOk(r)) process.stdout.write(`${r.admin}: ${ok(r)}\n`);
    else process.stderr.write(`${describeForCli(r, t, id)}\n`);
  }
  if (!replies.every(isOk)) process.exitCode = 1;
}
