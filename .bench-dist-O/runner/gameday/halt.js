import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { callAdmin, describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import { healthOf } from '../proxy-answers.js';
export const haltFile = (dir) => join(dir, 'HALT');
/** Who halted, from the interrupt's reason (the signal's name): Ctrl-C sends SIGINT; SIGTERM comes from kill, systemd or a CI runner. */
export function signalName(reason) {
    if (reason === 'SIGINT')
        return 'Ctrl-C (SIGINT)';
    return typeof reason === 'string' && reason !== '' ? reason : 'an interrupt';
}
/** `faultmesh gameday halt DIR`: leaves a note the running game day picks up within a second. */
export function requestHalt(dir, reason, now) {
    let who = 'someone';
    try {
        who = `${userInfo().username}@${hostname()}`;
    }
    catch {
        // No user database (some containers): "someone" will do.
    }
    const record = { source: 'halt-file', by: `${who} (faultmesh gameday halt${reason ? `: ${reason}` : ''})`, at: now.toISOString() };
    writeFileSync(haltFile(dir), `${JSON.stringify(record)}\n`);
    return record;
}
export function readHaltFile(dir) {
    if (!existsSync(haltFile(dir)))
        return undefined;
    try {
        return JSON.parse(readFileSync(haltFile(dir), 'utf8'));
    }
    catch {
        return { source: 'halt-file', by: 'a HALT file in the game-day folder', at: new Date().toISOString() };
    }
}
/** The first listed proxy whose admin API says it is halted (someone ran `faultmesh faults halt` or POST /v1/halt). */
export async function haltedProxy(admins, token) {
    const replies = await Promise.all(admins.map((a) => callAdmin(a, 'GET', '/healthz', token)));
    return replies.find((r) => isOk(r) && r.body.halted === true)?.admin;
}
/** The game day's record of a halt made on `admin` (a proxy, or the game day's control plane) at `at`. */
export function haltOn(admin, control, at) {
    return admin === control ? { source: 'control', by: `a halt on the control plane ${admin}`, at, admin } : { source: 'proxy', by: `a halt through the admin API of ${admin}`, at, admin };
}
/** Halts every listed proxy: each removes all its faults and refuses new ones until resumed. Returns a line per proxy. */
export async function haltProxies(admins, token) {
    const replies = await Promise.all(admins.map((a) => callAdmin(a, 'POST', '/v1/halt', token)));
    return replies.map((r) => (isOk(r) ? `${r.admin}: halted, ${String(r.body.removed)} fault(s) removed` : describeFailure(r)));
}
/** Of `admins`, those whose /healthz says they are halted now (an unreachable one is left out: nothing is known of it). */
export async function stillHalted(admins, token) {
    const unique = [...new Set(admins)];
    const health = await Promise.all(unique.map((a) => healthOf(a, token)));
    return unique.flatMap((admin, i) => (health[i].halted ? [{ admin, control: health[i].role === 'control' }] : []));
}
/**
 * What to tell the user once a run or game day ends with proxies halted: a
 * halt outlives the run that met it (it is an operator's stop), so they
 * keep refusing faults until someone resumes them, with the command that does.
 * @param tokenFlag whether the token came from --token (the command then needs it too; FAULTMESH_ADMIN_TOKEN is read by itself)
 * @example haltedNotice([{ admin: 'http://127.0.0.1:15100', control: true }], false)
 * // 'the halt stays in force: the control plane http://127.0.0.1:15100 and every proxy on it refuse new faults until resumed.\n  when it is safe: faultmesh faults resume --control http://127.0.0.1:15100'
 */
export function haltedNotice(halted, tokenFlag) {
    if (!halted.length)
        return undefined;
    const token = tokenFlag ? ' --token T' : '';
    const controls = halted.filter((h) => h.control).map((h) => h.admin);
    const proxies = halted.filter((h) => !h.control).map((h) => h.admin);
    const who = [
        ...controls.map((c) => `the control plane ${c} and every proxy on it`),
        ...(proxies.length === 1 ? [`the proxy ${proxies[0]}`] : proxies.length ? [`${proxies.length} proxies (${proxies.join(', ')})`] : []),
    ];
    const commands = [...controls.map((c) => `faultmesh faults resume --control ${c}${token}`), ...(proxies.length ? [`faultmesh faults resume ${proxies.map((p) => `--admin ${p}`).join(' ')}${token}`] : [])];
    return `the halt stays in force: ${who.join(' and ')} ${proxies.length === 1 && !controls.length ? 'refuses' : 'refuse'} new faults until resumed.\n  when it is safe: ${commands.join('\n  and: ')}`;
}
//# sourceMappingURL=halt.js.map