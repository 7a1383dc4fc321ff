import { describeFailure, type AdminReply } from '../proxy/admin/admin-client.js';
import { UsageError } from './exit.js';

/** Where `faultmesh control` listens by default, and so where the CLI looks for it. */
export const DEFAULT_CONTROL_URL = 'http://127.0.0.1:15100';

/**
 * A token from a flag or the environment, or undefined for none. A blank one
 * is refused (exit 2), naming where it came from: it would send no token and
 * read as a 401 from a server that wants one.
 * @param holder who the token was started with: the control plane, or the proxies (admin token)
 * @example tokenOrNone(process.env.FAULTMESH_CONTROL_TOKEN, 'FAULTMESH_CONTROL_TOKEN', 'control')
 */
export function tokenOrNone(token: string | undefined, from: string, holder: 'control' | 'proxies'): string | undefined {
  if (token !== undefined && token.trim() === '') {
    const advice = holder === 'control' ? 'the control plane was started with, or none for one' : 'the proxies were started with, or none for proxies';
    throw new UsageError(`${from} is blank: give the token ${advice} without a token`);
  }
  return token;
}

/** The control token of `status` and `mesh`: --token, else FAULTMESH_CONTROL_TOKEN. */
export const controlTokenOf = (flag: string | undefined): string | undefined =>
  flag !== undefined ? tokenOrNone(flag, '--token', 'control') : tokenOrNone(process.env.FAULTMESH_CONTROL_TOKEN, 'FAULTMESH_CONTROL_TOKEN', 'control');

/**
 * One control-plane URL as a flag takes it: http(s)://host:port, its origin
 * returned. Bad input exits 2 naming the flag (or variable) it came from.
 * @example controlUrl('--control', 'http://10.0.0.5:15100/') // 'http://10.0.0.5:15100'
 */
export function controlUrl(from: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${from}: "${text}" is not a URL (for example http://127.0.0.1:15100)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${from}: "${text}" must be an http:// or https:// URL`);
  if (url.pathname !== '/' || url.search || url.hash) throw new UsageError(`${from}: "${text}" must name the control plane only (http://host:port), without a path`);
  return url.origin;
}

/**
 * The control plane a command such as `status` or `mesh apply` talks to:
 * --control, else FAULTMESH_CONTROL, else the default address. One URL: a
 * proxy takes a list to move between replicas, but any one replica answers
 * for all of them, so a list here is a mistake worth naming.
 */
export function oneControlUrl(flag: string | undefined, env = process.env.FAULTMESH_CONTROL): string {
  // An empty FAULTMESH_CONTROL counts as unset, as `faults` reads it.
  const [text, from] = flag !== undefined ? [flag, '--control'] : env ? [env, 'FAULTMESH_CONTROL'] : [DEFAULT_CONTROL_URL, 'the default control URL'];
  if (text.includes(',')) throw new UsageError(`${from}: "${text}" is a list: give one control-plane URL (http://host:port); any replica will do`);
  return controlUrl(from, text.trim());
}

/**
 * Where a command's calls went and what named that address, so a failure
 * can say which proxy or control plane it expected and how to name another.
 * `from` is the flag or variable ('--admin', '--control',
 * 'FAULTMESH_CONTROL'), or undefined for the built-in default.
 */
export interface CallTarget {
  readonly kind: 'control' | 'proxies';
  readonly from: string | undefined;
}

/** Where the proxies' admin API is looked for when nothing names it. */
export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:15000';

/**
 * The flag that points a follow-up command at the same place, for hints
 * meant to be pasted: none when the default (or FAULTMESH_CONTROL, still
 * set) would find it again.
 * @example targetFlag({ kind: 'proxies', from: '--admin' }, 'http://10.0.0.5:15000') // ' --admin http://10.0.0.5:15000'
 */
export function targetFlag(target: CallTarget, url: string): string {
  if (target.from === undefined || target.from === 'FAULTMESH_CONTROL') return '';
  return target.kind === 'control' ? ` --control ${url}` : ` --admin ${url}`;
}

/** What a CLI user can do about a refused or failed call, or undefined when the server's message says it all. */
export function hintFor(r: AdminReply, target: CallTarget, id?: string): string | undefined {
  const flag = targetFlag(target, r.admin);
  const faultId = id ?? /id "([^"]+)"/.exec(String(r.body.message ?? ''))?.[1] ?? 'ID';
  if (r.status === 0) return unreachableHint(r.admin, target);
  switch (r.body.code) {
    case 'FAULTS_HALTED':
      return `fault injection is halted there; resume it with: faultmesh faults resume${flag}`;
    case 'FAULT_EXISTS':
      return `a different rule holds id ${faultId} there: keep it and extend its lease with faultmesh faults renew ${faultId} --ttl 10m${flag}, or replace it: faultmesh faults rm ${faultId}${flag}, then add again`;
    case 'FAULT_NOT_FOUND':
      return `faultmesh faults list${flag} shows the rules in force there`;
    case 'UNAUTHORIZED':
      return target.kind === 'control'
        ? 'give the token the control plane was started with: --token T or FAULTMESH_CONTROL_TOKEN'
        : 'give the token the proxy was started with (--admin-token): --token T or FAULTMESH_ADMIN_TOKEN';
    default:
      return undefined;
  }
}

/** Which proxy or control plane did not answer, what named it, and how to name another. */
function unreachableHint(url: string, target: CallTarget): string {
  if (target.kind === 'control') {
    const from = target.from ?? `the default control-plane address, ${DEFAULT_CONTROL_URL}`;
    return `no faultmesh control plane answered at ${url} (from ${from}): start one (faultmesh control), or name another with --control URL or FAULTMESH_CONTROL; an experiment names it with configuration.control or --var control=URL`;
  }
  const from = target.from ?? `the default proxy admin address, ${DEFAULT_ADMIN_URL}`;
  return `no faultmesh proxy admin API answered at ${url} (from ${from}): start the proxy with --admin HOST:PORT, or name its admin with --admin URL (repeat it for each proxy), or a control plane with --control URL; an experiment names proxies in its configuration (--var NAME=URL)`;
}

/**
 * A failed call as the CLI prints it: the server's answer on one line
 * (describeFailure), then what to do about it.
 * @example describeForCli(reply, { kind: 'proxies', from: '--admin' }) // 'http://…: 409 FAULTS_HALTED …\n  hint: … faultmesh faults resume --admin http://…'
 */
export function describeForCli(r: AdminReply, target: CallTarget, id?: string): string {
  const hint = hintFor(r, target, id);
  return hint ? `${describeFailure(r)}\n  hint: ${hint}` : describeFailure(r);
}

/**
 * The CallTarget of a command that takes one control plane, as oneControlUrl
 * finds it, for describeForCli's hints.
 * @example describeForCli(reply, controlCallTarget(args.control)) // '…: unreachable: …\n  hint: no faultmesh control plane answered at … (from --control): …'
 */
export const controlCallTarget = (flag: string | undefined, env = process.env.FAULTMESH_CONTROL): CallTarget => ({
  kind: 'control',
  from: flag !== undefined ? '--control' : env ? 'FAULTMESH_CONTROL' : undefined,
});
