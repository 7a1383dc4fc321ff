import { callControl } from '../../control/control-client.js';
import { callAdmin, describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import { formatIssue } from '../../proxy/config/config-error.js';
import { readTextFile } from '../../proxy/config/text-file.js';
/**
 * Applies a mesh file to the control plane as `faultmesh mesh apply` does
 * (PUT /v1/mesh: validated whole, stored in one write or refused). A refusal
 * throws with every issue as file:line:column.
 */
export async function applyMesh(control, file) {
    const r = await callControl(control, 'PUT', '/v1/mesh', undefined, { text: readTextFile(file), file });
    if (isOk(r))
        return Number(r.body.version);
    const issues = r.body.code === 'CONFIG_INVALID' && Array.isArray(r.body.errors) ? `:\n  ${r.body.errors.map(formatIssue).join('\n  ')}` : `: ${describeFailure(r)}`;
    throw new Error(`the control plane refused ${file}${issues}`);
}
/** The instances in one proxy's table (GET /v1/services), as "service/id"; undefined while it does not answer. */
export async function tableOf(admin) {
    const r = await callAdmin(admin, 'GET', '/v1/services', undefined);
    if (!isOk(r) || !Array.isArray(r.body.services))
        return undefined;
    const services = r.body.services;
    return new Set(services.flatMap((s) => s.instances.map((i) => `${s.name}/${i.id}`)));
}
/**
 * Polls every proxy's table until `holds` is true of each of them, or the
 * deadline passes (then it throws, saying which proxies did not get there;
 * `what` completes "not every proxy's table ...", e.g. "holds every instance"),
 * or `signal` aborts.
 * Resolves with how long it took.
 */
export async function untilEveryTable(admins, holds, what, timeoutMs, signal) {
    const started = performance.now();
    let behind = Object.keys(admins);
    while (performance.now() - started < timeoutMs) {
        if (signal?.aborted)
            throw new Error(`stopped waiting until every proxy's table ${what}`);
        const tables = await Promise.all(Object.values(admins).map(tableOf));
        behind = Object.keys(admins).filter((_, i) => !tables[i] || !holds(tables[i]));
        if (behind.length === 0)
            return performance.now() - started;
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`not every proxy's table ${what} within ${Math.round(timeoutMs / 1000)}s (not yet: ${behind.join(', ')})`);
}
//# sourceMappingURL=mesh-tables.js.map