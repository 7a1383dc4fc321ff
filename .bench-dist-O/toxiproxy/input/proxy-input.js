import { z } from 'zod';
import { badRequestBody, missingField, toxicExists } from '../toxiproxy-error.js';
import { decodeFields, kindOf } from './decode.js';
import { isUpstream, listenOf } from './address.js';
import { draftOfToxic } from './toxic-input.js';
const proxyFields = z.object({
    name: z.string().nullish(),
    listen: z.string().nullish(),
    upstream: z.string().nullish(),
    enabled: z.boolean().nullish(),
    toxics: z.array(z.unknown()).nullish(),
});
const orUndefined = (v) => v ?? undefined;
/** `listen`, checked and written as the proxy will bind it (127.0.0.1:0 when absent). */
export function checkListen(text, at) {
    const listen = listenOf(text);
    if (listen === undefined)
        throw badRequestBody(`${JSON.stringify(text)} is not host:port (for example 127.0.0.1:26379, or 127.0.0.1:0 for any free port)`, [...at, 'listen']);
    return listen;
}
/** `upstream`: Toxiproxy takes any text and fails each connection; faultmesh refuses what cannot be dialled. */
export function checkUpstream(text, at) {
    if (!isUpstream(text))
        throw badRequestBody(`${JSON.stringify(text)} is not host:port (for example localhost:6379)`, [...at, 'upstream']);
    return text.trim();
}
/**
 * Reads a proxy to create (POST /proxies) or one /populate entry. `where`
 * ends Toxiproxy's missing-field message in /populate (`name at proxy 2`).
 * `toxics` is faultmesh's: each is read as POST .../toxics reads one, and
 * two of one name are refused as a second POST would be.
 */
export function draftOfProxy(body, at = [], where = '') {
    const f = decodeFields(proxyFields, body, at);
    if (!f.name)
        throw missingField(`name${where}`, [...at, 'name']);
    if (!f.upstream)
        throw missingField(`upstream${where}`, [...at, 'upstream']);
    const toxics = f.toxics?.map((t, i) => draftOfToxic(t, [...at, 'toxics', i]));
    refuseDuplicateToxics(toxics ?? [], at);
    return { name: f.name, listen: checkListen(orUndefined(f.listen), at), upstream: checkUpstream(f.upstream, at), enabled: orUndefined(f.enabled), toxics };
}
function refuseDuplicateToxics(toxics, at) {
    const seen = new Set();
    toxics.forEach((t, i) => {
        if (seen.has(t.name))
            throw toxicExists([...at, 'toxics', i, 'name']);
        seen.add(t.name);
    });
}
/** Reads a proxy update: only listen, upstream and enabled change (a name in the body is ignored: renaming is delete and create). */
export function patchOfProxy(body) {
    const f = decodeFields(proxyFields.omit({ toxics: true }), body);
    return {
        listen: f.listen === null || f.listen === undefined ? undefined : checkListen(f.listen, []),
        upstream: f.upstream === null || f.upstream === undefined ? undefined : checkUpstream(f.upstream, []),
        enabled: orUndefined(f.enabled),
    };
}
/**
 * Reads a /populate body: an array of proxies, every one checked before any
 * is touched (as Toxiproxy checks names and upstreams first).
 */
export function draftsOfPopulate(body) {
    if (!Array.isArray(body))
        throw badRequestBody(`expected a JSON array of proxies, got ${kindOf(body)}`);
    return body.map((entry, i) => draftOfProxy(entry, [i], ` at proxy ${i + 1}`));
}
//# sourceMappingURL=proxy-input.js.map