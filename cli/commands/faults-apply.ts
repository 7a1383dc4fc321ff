import { callAdmin, isOk } from '../../proxy/admin/admin-client.js';
import { describeRule } from '../../runner/describe.js';
import { describeForCli } from '../control-target.js';
import { addInOrder, rollBack } from './faults-add.js';
import type { FaultTarget } from './faults-target.js';

type Rule = Record<string, unknown>;

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
export async function addReplacing(target: FaultTarget, rules: readonly Rule[], origins: ReadonlyMap<string, string>, now = Date.now): Promise<boolean> {
  const { admins, token } = target;
  const lists = await Promise.all(admins.map((admin) => callAdmin(admin, 'GET', '/v1/faults', token)));
  const unlisted = lists.filter((r) => !isOk(r));
  for (const r of unlisted) process.stderr.write(`${describeForCli(r, target)}\n`);
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
      process.stderr.write(`${describeForCli(r, target)}\n`);
      break;
    }
  }
  const added = ok ? await addInOrder(target, rules) : { ok, added: [] };
  if (!added.ok) {
    await rollBack(target, added.added);
    for (const { admin, rule } of removed) {
      const back = asInput(rule, now());
      const r = back && (await callAdmin(admin, 'POST', '/v1/faults', token, back));
      if (r) process.stderr.write(isOk(r) ? `${admin}: put back ${String(rule.id)}\n` : `${admin}: could not put back ${String(rule.id)}: ${describeForCli(r, target)}\n`);
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
          process.stderr.write(`${admin}: could not remove ${id}, which this file replaces (its lease will expire): ${describeForCli(r, target)}\n`);
          continue;
        }
      }
      process.stdout.write(`${admin}: replaced ${id} (${describeRule(rule)}), from an earlier faults add of ${String(rule.origin)}\n`);
    }
  }
  return clean;
}
