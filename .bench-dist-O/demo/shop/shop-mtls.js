/**
 * The shop's mTLS: the control plane is the mesh CA (`faultmesh control
 * --ca-dir DIR`), each proxy enrolls with a join token scoped to its own
 * service, and payments' authorization policy (experiments/mesh.yaml)
 * admits checkout only. Here: the CA's directory, the tokens, and the one
 * refused call the demo shows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { callControl } from '../../control/control-client.js';
import { callAdmin, describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import { DEFAULT_TRUST_DOMAIN, spiffeId } from '../../proxy/identity/spiffe.js';
/** The demo's trust domain: the default one, so the commands it prints need no --trust-domain. */
export const SHOP_TRUST_DOMAIN = DEFAULT_TRUST_DOMAIN;
/**
 * Where the control plane keeps the mesh CA: a new temporary directory
 * (the demo keeps no state between runs), which `remove()` deletes with
 * the root key in it, since a demo's CA must not outlive the demo.
 */
export function temporaryCaDir() {
    const path = mkdtempSync(join(tmpdir(), 'faultmesh-demo-ca-'));
    return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
/**
 * One join token per proxy, each allowed the proxy's own service only (the
 * ingress's is `ingress`), so no proxy can be issued another's identity.
 * No expiry: the tokens live in the control plane's memory and end with it.
 */
export async function joinTokens(control, names) {
    const created = await Promise.all(names.map(async (name) => {
        const r = await callControl(control, 'POST', '/v1/join-tokens', undefined, { services: [name] });
        if (!isOk(r) || typeof r.body.token !== 'string')
            throw new Error(`the control plane gave no join token for ${name}: ${describeFailure(r)}`);
        return [name, r.body.token];
    }));
    return Object.fromEntries(created);
}
/**
 * The SPIFFE ID of the certificate each proxy presents, as its admin API's
 * /healthz shows it (never the key); undefined for a proxy that shows none.
 */
export async function presentedIdentities(admins) {
    const names = Object.keys(admins);
    const ids = await Promise.all(names.map(async (name) => {
        const r = await callAdmin(admins[name], 'GET', '/healthz', undefined);
        const certificate = r.body.certificate;
        return typeof certificate?.spiffeId === 'string' ? certificate.spiffeId : undefined;
    }));
    return Object.fromEntries(names.map((n, i) => [n, ids[i]]));
}
/** The refused call the demo shows: through the frontend's sidecar to payments, whose policy admits checkout only. */
export const REFUSED_PATH = '/quote?amount=10';
/**
 * GET `path` on `service` through the sidecar at `sidecar`, as the shop's
 * services call each other (by name, in the Host header).
 */
export async function callThrough(sidecar, service, path) {
    const res = await request(new URL(path, sidecar), { headers: { host: service }, headersTimeout: 5000, bodyTimeout: 5000 });
    const text = await res.body.text();
    const code = res.headers['x-faultmesh-error'];
    let message = text;
    try {
        message = String(JSON.parse(text).message ?? text);
    }
    catch {
        // Not JSON: the text is the message.
    }
    return { status: res.statusCode, code: typeof code === 'string' ? code : undefined, message };
}
/** The lines the demo's log opens its mTLS part with: the CA, and each proxy's identity as it presents it (a missing or wrong one said so). */
export function mtlsLines(mtls, presented) {
    const wrong = Object.entries(presented).filter(([name, id]) => id !== spiffeId(mtls.trustDomain, name));
    return [
        `mTLS between every sidecar: the control plane is the mesh CA (--ca-dir ${mtls.caDir}, trust domain ${mtls.trustDomain}); every service in the mesh is tls: mutual`,
        wrong.length === 0
            ? `every proxy enrolled with a join token scoped to its service (its key made in the proxy, never sent): ${Object.values(presented).join(', ')}`
            : `warning: not every proxy holds the certificate of its service: ${wrong.map(([name, id]) => `${name} shows ${id ?? 'none'}`).join(', ')}`,
        'payments admits checkout only (authorization: { allow: [ { from: [checkout] } ] })',
    ];
}
/**
 * Logs the shop's mTLS and one call payments refuses: through the
 * frontend's sidecar, which holds the frontend's certificate. A call that
 * is not refused is logged as such, not thrown: the demo goes on.
 */
export async function showMtls(shop, log) {
    for (const line of mtlsLines(shop.mtls, await presentedIdentities(shop.admins)))
        log(line);
    const seen = await callThrough(shop.proxies.frontend, 'payments', REFUSED_PATH);
    const as = `curl -s -H 'Host: payments' '${shop.proxies.frontend}${REFUSED_PATH}'`;
    if (seen.status === 403 && seen.code === 'FORBIDDEN')
        log(`a call payments refuses (${as}): ${seen.status} ${seen.code}: ${seen.message}`);
    else
        log(`warning: payments should refuse the frontend (${as}), and answered ${seen.status}${seen.code ? ` ${seen.code}` : ''}: ${seen.message.slice(0, 200)}`);
    return seen;
}
/** The commands `--keep-running` prints: a call payments refuses, and the same call from checkout's sidecar. */
export function mtlsCommands(proxies) {
    return [
        `  curl -s -i -H 'Host: payments' '${proxies.frontend}${REFUSED_PATH}'     # refused: 403 FORBIDDEN, the frontend may not call payments`,
        `  curl -s -H 'Host: payments' '${proxies.checkout}${REFUSED_PATH}'     # through checkout's sidecar: allowed (payments sees x-faultmesh-source: checkout)`,
    ];
}
//# sourceMappingURL=shop-mtls.js.map