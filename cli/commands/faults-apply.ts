import { callAdmin, describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import { describeRule } from '../../runner/describe.js';

type Rule = Record<string, unknown>;

/** A rule on one admin (a proxy's, or the control plane's for every proxy). */
interface Placed {
  readonly admin: string;
  readonly id: string;
}

/**
 * Adds the rules in order on every admin at once, printing each lease. Stops
 * at the first rule any admin refuses; `added` says what went in before.
 */
export async function addInOrder(admins: readonly string[], token: string | undefined, rules: readonly Rule[]): Promise<{ ok: boolean; added: Placed[] }> {
  const added: Placed[] = [];
  for (const rule of rules) {
    const replies = await Promise.all(admins.map((admin) => callAdmin(admin, 'POST', '/v1/faults', token, rule)));
    let ok = true;
    for (const r of replies) {
      if (isOk(r)) {
        added.push({ admin: r.admin, id: String(r.body.id) });
        process.stdout.write(`${r.admin}: added ${String(r.body.id)}, expires ${String(r.body.expiresAt)}\n`);
        // A capped ttl, a service the proxy's mesh lacks: applied, but not what the file says.
        if (r.body.warning) process.stderr.write(`${r.admin}: warning: ${String(r.body.warning)}\n`);
      } else {
        ok = false;
        process.stderr.write(`${describeFailure(r)}\n`);
      }
    }
    if (!ok) return { ok, added };
  }
  return { ok: true, added };
}

/** Removes rules this command added, after a refusal; one that cannot be removed ends at its lease. */
export async function rollBack(added: readonly Placed[], token: string | undefined): Promise<void> {
  for (const { admin, id } of added) {
    const r = await callAdmin(admin, 'DELETE', `/v1/faults/${encodeURIComponent(id)}`, token);
    process.stderr.write(isOk(r) ? `${admin}: rolled back ${id}\n` : `${admin}: could not roll back ${id} (its lease will expire): ${describeFailure(r)}\n`);
  }
}

/** A live rule as listed, back in the form the admin API takes: a proxy lists delays as parsed, and the lease is what is left of it. */
function asInput(rule: Rule, now: number): Rule | undefined {
  const { createdAt: _c, expiresAt, counts: _n, proxies: _p, lease: _l, ...spec } = rule;
  const left = Math.ceil(Date.parse(String(expiresAt)) - now);
  if (!(left > 0)) return undefined;
  const d = spec.delay as { form?: string; ms?: number; minMs?: number; maxMs?: number; meanMs?: number; stddevMs?: number } | undefined;
  const ms = (n: number | undefined) => `${n}ms`;
  const delay =
    d?.form === 'fixed' ? { fixed: ms(d.ms) } : d?.form === 'uniform' ? { min: ms(d.minMs), max: ms(d.maxMs) } : d?.form === 'normal' ? { mean: ms(d.meanMs), stddev: ms(d.stddevMs) } : d;
  return { ...spec, ...(delay ? { delay } : {}), ttl: `${left}ms` };
}

const DELETE = (admin: string, id: string, token: string | undefined) => callAdmin(admin, 'DELETE', `/v1/faults/${encodeURIComponent(id)}`, token);

/** The rules an earlier `faults add` marked with one of `origins` (mark → id prefix), on one admin's list. */
const marked = (faults: readonly Rule[], origins: ReadonlyMap<string, string>) =>
  faults.filter((f) => typeof f.origin === 'string' && origins.has(f.origin) && String(f.id).startsWith(origins.get(f.origin)!));

/**
 * `faults add` of an Istio file, as `kubectl apply` does it: on every
 * admin, the rules an earlier `faults add` marked as from the same
 * VirtualServices (`origins`: mark → the id prefix its rules share) are
 * replaced by the new ones. Never half-applied: an old rule whose id a new
 * one takes is removed just before the new ones go in; if any admin refuses
 * any new rule, the new ones come out and those old ones go back (for the
 * lease they had left); the other old ones are removed once every new one
 * is in. A rule with a new rule's id that no such `faults add` made stops
 * it before anything changes. Prints what it did; false when not applied.
 */
export async function addReplacing(admins: readonly string[], token: string | undefined, rules: readonly Rule[], origins: ReadonlyMap<string, string>, now = Date.now): Promise<boolean> {
  const lists = await Promise.all(admins.map((admin) => callAdmin(admin, 'GET', '/v1/faults', token)));
  const unlisted = lists.filter((r) => !isOk(r));
  for (const r of unlisted) process.stderr.write(`${describeFailure(r)}\n`);
  if (unlisted.length) return false;

  const newIds = new Map(rules.map((r) => [String(r.id), r]));
  const old = lists.map((r) => ({ admin: r.admin, faults: marked((r.body.faults as Rule[] | undefined) ?? [], origins) }));
  const foreign = lists.flatMap((r) => ((r.body.faults as Rule[] | undefined) ?? []).filter((f) => newIds.has(String(f.id)) && !old.some((o) => o.admin === r.admin && o.faults.includes(f))).map((f) => ({ admin: r.admin, f })));
  for (const { admin, f } of foreign) {
    const id = String(f.id);
    process.stderr.write(`${admin}: ${id} is in force, and no faults add of ${String(newIds.get(id)!.origin)} added it: remove it first (faultmesh faults rm ${id}), and add the file again\n`);
  }
  if (foreign.length) return false;

  // Taken ids must go first: an admin refuses a second rule with one.
  const taken = old.flatMap(({ admin, faults }) => faults.filter((f) => newIds.has(String(f.id))).map((rule) => ({ admin, rule })));
  const removed: Array<{ admin: string; rule: Rule }> = [];
  let ok = true;
  for (const t of taken) {
    const r = await DELETE(t.admin, String(t.rule.id), token);
    // Gone already (its lease ended): nothing to put back.
    if (isOk(r)) removed.push(t);
    else if (r.status !== 404) {
      ok = false;
      process.stderr.write(`${describeFailure(r)}\n`);
      break;
    }
  }
  const added = ok ? await addInOrder(admins, token, rules) : { ok, added: [] };
  if (!added.ok) {
    await rollBack(added.added, token);
    for (const { admin, rule } of removed) {
      const back = asInput(rule, now());
      const r = back && (await callAdmin(admin, 'POST', '/v1/faults', token, back));
      if (r) process.stderr.write(isOk(r) ? `${admin}: put back ${String(rule.id)}\n` : `${admin}: could not put back ${String(rule.id)}: ${describeFailure(r)}\n`);
    }
    return false;
  }

  let clean = true;
  for (const { admin, faults } of old) {
    for (const rule of faults) {
      const id = String(rule.id);
      if (newIds.has(id) && !removed.some((t) => t.rule === rule)) continue;
      if (!newIds.has(id)) {
        const r = await DELETE(admin, id, token);
        if (!isOk(r) && r.status !== 404) {
          clean = false;
          process.stderr.write(`${admin}: could not remove ${id}, which this file replaces (its lease will expire): ${describeFailure(r)}\n`);
          continue;
        }
      }
      process.stdout.write(`${admin}: replaced ${id} (${describeRule(rule)}), from an earlier faults add of ${String(rule.origin)}\n`);
    }
  }
  return clean;
}
