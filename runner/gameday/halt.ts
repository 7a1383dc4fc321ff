import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { callAdmin, describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import type { HaltRecord } from './gameday-state.js';

export const haltFile = (dir: string) => join(dir, 'HALT');

/** Who halted, from the interrupt's reason (the signal's name): Ctrl-C sends SIGINT; SIGTERM comes from kill, systemd or a CI runner. */
export function signalName(reason: unknown): string {
  if (reason === 'SIGINT') return 'Ctrl-C (SIGINT)';
  return typeof reason === 'string' && reason !== '' ? reason : 'an interrupt';
}

/** `faultmesh gameday halt DIR`: leaves a note the running game day picks up within a second. */
export function requestHalt(dir: string, reason: string | undefined, now: Date): HaltRecord {
  let who = 'someone';
  try {
    who = `${userInfo().username}@${hostname()}`;
  } catch {
    // No user database (some containers): "someone" will do.
  }
  const record: HaltRecord = { source: 'halt-file', by: `${who} (faultmesh gameday halt${reason ? `: ${reason}` : ''})`, at: now.toISOString() };
  writeFileSync(haltFile(dir), `${JSON.stringify(record)}\n`);
  return record;
}

export function readHaltFile(dir: string): HaltRecord | undefined {
  if (!existsSync(haltFile(dir))) return undefined;
  try {
    return JSON.parse(readFileSync(haltFile(dir), 'utf8')) as HaltRecord;
  } catch {
    return { source: 'halt-file', by: 'a HALT file in the game-day folder', at: new Date().toISOString() };
  }
}

/** The first listed proxy whose admin API says it is halted (someone ran `faultmesh faults halt` or POST /v1/halt). */
export async function haltedProxy(admins: readonly string[], token: string | undefined): Promise<string | undefined> {
  const replies = await Promise.all(admins.map((a) => callAdmin(a, 'GET', '/healthz', token)));
  return replies.find((r) => isOk(r) && r.body.halted === true)?.admin;
}

/** The game day's record of a halt made on `admin` (a proxy, or the game day's control plane) at `at`. */
export function haltOn(admin: string, control: string | undefined, at: string): HaltRecord {
  return admin === control ? { source: 'control', by: `a halt on the control plane ${admin}`, at, admin } : { source: 'proxy', by: `a halt through the admin API of ${admin}`, at, admin };
}

/** Halts every listed proxy: each removes all its faults and refuses new ones until resumed. Returns a line per proxy. */
export async function haltProxies(admins: readonly string[], token: string | undefined): Promise<string[]> {
  const replies = await Promise.all(admins.map((a) => callAdmin(a, 'POST', '/v1/halt', token)));
  return replies.map((r) => (isOk(r) ? `${r.admin}: halted, ${String(r.body.removed)} fault(s) removed` : describeFailure(r)));
}
