import { Agent, request } from 'undici';
import { ToxiproxyError } from '../toxiproxy-error.js';
/** How long a call may take, besides the wait a long poll asks for. */
const CALL_TIMEOUT_MS = 10_000;
/** The control plane did not do what was asked; `kind` says whether it was reached at all. */
export class ControlFailure extends Error {
    kind;
    url;
    name = 'ControlFailure';
    constructor(kind, url, message) {
        super(message);
        this.kind = kind;
        this.url = url;
    }
}
/**
 * The calls a toxiproxy process makes to the control plane's /v1/toxiproxy
 * routes. A refusal in Toxiproxy's shape comes back as the ToxiproxyError
 * it was (409, 404, 400, with its field); every other failure is a
 * ControlFailure. With several URLs (replicas on one etcd), `rotate` moves
 * to the next after a failure.
 */
export class ToxiproxyControlApi {
    urls;
    token;
    agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 5_000 } });
    turn = 0;
    constructor(urls, token) {
        this.urls = urls;
        this.token = token;
        if (urls.length === 0)
            throw new TypeError('the toxiproxy control client needs at least one URL');
    }
    get url() {
        return this.urls[this.turn % this.urls.length];
    }
    rotate() {
        this.turn++;
    }
    /** GET /v1/toxiproxy: at once, or (with `after`) once the set's revision differs from it, at most `waitMs` later. */
    snapshot(after, waitMs = 0, signal) {
        const query = after === undefined ? '' : `?after=${after}&wait=${waitMs}`;
        return this.call('GET', `/v1/toxiproxy${query}`, undefined, waitMs, signal);
    }
    /** One change, with Toxiproxy's body. */
    change(method, path, body) {
        return this.call(method, `/v1/toxiproxy${path}`, body, 0);
    }
    close() {
        return this.agent.destroy();
    }
    async call(method, path, body, waitMs, signal) {
        const url = this.url;
        const headers = {};
        if (this.token)
            headers.authorization = `Bearer ${this.token}`;
        if (body !== undefined)
            headers['content-type'] = 'application/json';
        let status;
        let text;
        let revisionHeader;
        try {
            const res = await request(new URL(path, url), {
                method: method,
                headers,
                body: body === undefined ? undefined : JSON.stringify(body),
                dispatcher: this.agent,
                headersTimeout: CALL_TIMEOUT_MS + waitMs,
                bodyTimeout: CALL_TIMEOUT_MS,
                ...(signal ? { signal } : {}),
            });
            status = res.statusCode;
            revisionHeader = res.headers['x-faultmesh-toxiproxy-revision'];
            text = await res.body.text();
        }
        catch (err) {
            const e = err;
            throw new ControlFailure('UNREACHABLE', url, `the control plane at ${url} cannot be reached (${e.cause?.code ?? e.code ?? e.message})`);
        }
        const parsed = parseJson(text);
        if (status >= 200 && status < 300)
            return { status, body: parsed, revision: Number(revisionHeader ?? 0) || 0 };
        const b = (parsed ?? {});
        if (typeof b.error === 'string' && typeof b.status === 'number' && typeof b.code === 'string') {
            throw new ToxiproxyError(b.code, b.status, b.error, Array.isArray(b.field) ? b.field : [], {}, typeof b.reason === 'string' ? b.reason : undefined);
        }
        const said = typeof b.message === 'string' ? b.message : text.slice(0, 200);
        if (status === 401 || status === 403) {
            throw new ControlFailure('REFUSED', url, `the control plane at ${url} refused this server (${status}: ${said}): give its token with --control-token or FAULTMESH_CONTROL_TOKEN`);
        }
        throw new ControlFailure('UNAVAILABLE', url, `the control plane at ${url} answered ${status}: ${said}`);
    }
}
function parseJson(text) {
    try {
        return text ? JSON.parse(text) : undefined;
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=control-api.js.map