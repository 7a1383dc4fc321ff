import { request } from 'undici';
/**
 * Calls one proxy's admin API, or the control plane's (which speaks it for
 * every proxy, plus PUT for the mesh). Network failures come back as status 0 with a
 * message, so one unreachable proxy is reported alongside the others' results.
 */
export async function callAdmin(admin, method, path, token, body) {
    const headers = {};
    if (token)
        headers.authorization = `Bearer ${token}`;
    if (body !== undefined)
        headers['content-type'] = 'application/json';
    try {
        const res = await request(new URL(path, admin), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), headersTimeout: 10_000, bodyTimeout: 10_000 });
        const text = await res.body.text();
        let parsed;
        try {
            parsed = text ? JSON.parse(text) : {};
        }
        catch {
            parsed = { message: text };
        }
        return { admin, status: res.statusCode, body: parsed };
    }
    catch (err) {
        return { admin, status: 0, body: { code: 'UNREACHABLE', message: err.message } };
    }
}
export const isOk = (r) => r.status >= 200 && r.status < 300;
/** One line per proxy: `admin: 409 CODE message`, or `admin: unreachable: why` (said once: UNREACHABLE is this client's own code). */
export function describeFailure(r) {
    if (r.status === 0)
        return `${r.admin}: unreachable: ${String(r.body.message ?? 'no answer')}`;
    const errors = Array.isArray(r.body.errors) ? r.body.errors.map((e) => `\n    ${e.field}: ${e.message}`).join('') : '';
    return `${r.admin}: ${r.status} ${String(r.body.code ?? '')} ${String(r.body.message ?? '')}${errors}`.replace(/\s+$/, '');
}
//# sourceMappingURL=admin-client.js.map