import { callAdmin, isOk } from '../../proxy/admin/admin-client.js';
import { describeForCli } from '../control-target.js';
import { sameRule } from './faults-view.js';
const faultPath = (id) => `/v1/faults/${encodeURIComponent(id)}`;
/**
 * Adds one rule on one admin. An id already in force is looked at: the same
 * rule (but for its lease) is renewed for the rule's ttl, as `kubectl
 * apply` leaves an unchanged object be; another rule is refused with the
 * 409, whose hint names `faults renew` and `faults rm`. One that ended
 * between the 409 and the look is added again, once.
 */
async function addOne(admin, token, rule) {
    for (let attempt = 0; attempt < 2; attempt++) {
        const reply = await callAdmin(admin, 'POST', '/v1/faults', token, rule);
        if (isOk(reply))
            return { kind: 'added', reply };
        if (reply.body.code !== 'FAULT_EXISTS' || typeof rule.id !== 'string')
            return { kind: 'refused', reply };
        const seen = await callAdmin(admin, 'GET', faultPath(rule.id), token);
        if (seen.status === 404)
            continue;
        if (!isOk(seen) || !sameRule(seen.body, rule))
            return { kind: 'refused', reply };
        const renewed = await callAdmin(admin, 'POST', `${faultPath(rule.id)}/renew`, token, { ttl: rule.ttl });
        return { kind: isOk(renewed) ? 'renewed' : 'refused', reply: renewed };
    }
    return { kind: 'refused', reply: await callAdmin(admin, 'POST', '/v1/faults', token, rule) };
}
/**
 * Adds the rules in order on every admin at once, printing each lease. Stops
 * at the first rule any admin refuses; `added` says what went in before
 * (a renewed rule was there already, so it is not in it: a roll-back
 * leaves it in force).
 */
export async function addInOrder(target, rules) {
    const added = [];
    for (const rule of rules) {
        const outcomes = await Promise.all(target.admins.map((admin) => addOne(admin, target.token, rule)));
        let ok = true;
        for (const { kind, reply: r } of outcomes) {
            if (kind === 'refused') {
                ok = false;
                process.stderr.write(`${describeForCli(r, target, typeof rule.id === 'string' ? rule.id : undefined)}\n`);
                continue;
            }
            const id = String(r.body.id);
            if (kind === 'added')
                added.push({ admin: r.admin, id });
            process.stdout.write(kind === 'added' ? `${r.admin}: added ${id}, expires ${String(r.body.expiresAt)}\n` : `${r.admin}: renewed ${id} (the same rule was in force), expires ${String(r.body.expiresAt)}\n`);
            // A capped ttl, a service the proxy's mesh lacks: applied, but not what the file says.
            if (r.body.warning)
                process.stderr.write(`${r.admin}: warning: ${String(r.body.warning)}\n`);
        }
        if (!ok)
            return { ok, added };
    }
    return { ok: true, added };
}
/** Removes rules this command added, after a refusal; one that cannot be removed ends at its lease. */
export async function rollBack(target, added) {
    for (const { admin, id } of added) {
        const r = await callAdmin(admin, 'DELETE', faultPath(id), target.token);
        process.stderr.write(isOk(r) ? `${admin}: rolled back ${id}\n` : `${admin}: could not roll back ${id} (its lease will expire): ${describeForCli(r, target, id)}\n`);
    }
}
//# sourceMappingURL=faults-add.js.map