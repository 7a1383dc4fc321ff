import { callAdmin, isOk, type AdminReply } from '../../proxy/admin/admin-client.js';
import { describeForCli } from '../control-target.js';
import type { FaultTarget } from './faults-target.js';

/** A lease left, to the second, as a person reads it: `4m58s`, `2m`, `1h5m`, `40s`. */
export function leaseText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h${m ? `${m}m` : ''}`;
  if (m) return `${m}m${sec ? `${sec}s` : ''}`;
  return `${sec}s`;
}

const expiryOf = (r: AdminReply | undefined) => (r && isOk(r) && typeof r.body.expiresAt === 'string' ? Date.parse(r.body.expiresAt) : Number.NaN);

/**
 * The line for one renewed rule. Renew sets the lease to ttl from now, which
 * may cut it: the line gives the lease before, so a cut is never silent.
 * Both ends come from the same side's clock (the expiries the proxy or the
 * control plane gave before and after), so a skewed client clock does not
 * change what was left: was = new lease - (new expiry - old expiry).
 */
export function renewedLine(id: string, ttlMs: number, before: AdminReply | undefined, after: AdminReply, now: number): string {
  const expires = expiryOf(after);
  const warning = isOk(after) && after.body.warning ? ` (warning: ${String(after.body.warning)})` : '';
  // A capped ttl (the warning says so) is not the one asked for: read the lease from the expiry.
  const leftMs = warning ? expires - now : ttlMs;
  const wasMs = leftMs - (expires - expiryOf(before));
  const was = Number.isFinite(wasMs) ? `, was ${leaseText(wasMs)}${wasMs > leftMs + 999 ? ' (renew sets the lease to --ttl from now, shorter too)' : ''}` : '';
  return `renewed ${id}: lease now ends in ${leaseText(leftMs)}${was}, expires ${Number.isFinite(expires) ? new Date(expires).toISOString() : 'at an unknown time'}${warning}`;
}

/**
 * `faults renew ID --ttl D` on every proxy (or the control plane) at once:
 * reads the rule's lease, renews it, and prints both; exit code 1 when any
 * failed. A rule that could not be read first is renewed all the same.
 */
export async function renewFault(t: FaultTarget, id: string, ttl: string, ttlMs: number): Promise<void> {
  const path = `/v1/faults/${encodeURIComponent(id)}`;
  const replies = await Promise.all(
    t.admins.map(async (admin) => {
      const before = await callAdmin(admin, 'GET', path, t.token);
      return { before: isOk(before) ? before : undefined, after: await callAdmin(admin, 'POST', `${path}/renew`, t.token, { ttl }) };
    }),
  );
  for (const { before, after } of replies) {
    if (isOk(after)) process.stdout.write(`${after.admin}: ${renewedLine(id, ttlMs, before, after, Date.now())}\n`);
    else process.stderr.write(`${describeForCli(after, t, id)}\n`);
  }
  if (!replies.every((r) => isOk(r.after))) process.exitCode = 1;
}
