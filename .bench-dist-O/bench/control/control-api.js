import { Pool } from 'undici';
/** The few calls the bench makes on the control plane's HTTP API, with the token, failing loudly on any unexpected status. */
export class ControlApi {
    token;
    pool;
    constructor(origin, token) {
        this.token = token;
        // As many as the sustained phase keeps in flight on one replica (sustained.ts), so it measures the control plane, not this pool's queue.
        this.pool = new Pool(origin, { connections: 8, headersTimeout: 30_000, bodyTimeout: 30_000 });
    }
    async call(method, path, body, expect = 200) {
        const res = await this.pool.request({
            path,
            method,
            headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.body.text();
        if (res.statusCode !== expect)
            throw new Error(`${method} ${path} answered ${res.statusCode} (expected ${expect}): ${text.slice(0, 500)}`);
        return JSON.parse(text);
    }
    close() {
        return this.pool.close();
    }
}
/** The mesh the bench applies: one service for the real proxies, a timeout that each apply changes so every apply is a new text to validate. */
export function benchMeshText(round) {
    return `services:
  bench:
    policy: { timeout: ${1000 + round}ms }
    instances:
      - { id: bench-1, address: 127.0.0.1:9, region: local, zone: local-a }
`;
}
export const WRITE_KINDS = ['fault add', 'fault rm', 'mesh apply', 'halt', 'resume'];
/**
 * One write of each kind for round `round`, in this order: the fault is
 * removed again and the halt resumed, so every round starts from the same
 * state and the snapshot does not grow over the run. Each is one store
 * revision (the bench checks that at the end of a phase).
 */
export function writeOf(api, kind, round) {
    const id = `bench-fault-${round}`;
    switch (kind) {
        case 'fault add':
            return () => api.call('POST', '/v1/faults', { id, target: 'bench', percentage: 1, abort: { status: 503 }, ttl: '10m' }, 201);
        case 'fault rm':
            return () => api.call('DELETE', `/v1/faults/${id}`);
        case 'mesh apply':
            // round + 1: the text applied at the start is benchMeshText(0), and the same text again is no new version.
            return () => api.call('PUT', '/v1/mesh', { text: benchMeshText(round + 1), file: 'bench-mesh.yaml' });
        case 'halt':
            return () => api.call('POST', '/v1/halt');
        case 'resume':
            return () => api.call('POST', '/v1/resume');
    }
}
//# sourceMappingURL=control-api.js.map