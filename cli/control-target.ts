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
