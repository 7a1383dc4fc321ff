import { Agent, request } from 'undici';
import { realTimers } from '../../core/timers.js';
/**
 * A sidecar registering the app beside it (--register): each instance under
 * a lease renewed at a third of its ttl. A renewal answered 404 (the lease
 * ended, or the control plane restarted) registers again. With a health
 * path, an app that fails its check is not renewed, so every proxy stops
 * sending it traffic when the lease ends; once it passes again it
 * re-registers. On close the registrations are removed at once.
 */
export class RegistrationClient {
    options;
    timers;
    agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 5_000 } });
    closing = new AbortController();
    registered = new Set();
    timersById = new Map();
    healthy = new Map();
    turn = 0;
    constructor(options) {
        this.options = options;
        if (options.urls.length === 0)
            throw new TypeError('registration needs a control-plane URL');
        this.timers = options.timers ?? realTimers;
    }
    start() {
        for (const instance of this.options.instances)
            void this.tick(instance);
    }
    /** Which instances hold a registration now; for tests and /healthz. */
    registrations() {
        return [...this.registered];
    }
    async close() {
        this.closing.abort();
        for (const handle of this.timersById.values())
            this.timers.clearTimeout(handle);
        const gone = [...this.registered];
        this.registered.clear();
        // Best effort and bounded: a control plane that is down lets the leases end instead.
        await Promise.all(gone.map((id) => this.call('DELETE', `/v1/registrations/${this.path(id)}`, undefined, AbortSignal.timeout(2_000)).catch(() => undefined)));
        await this.agent.destroy();
    }
    async tick(instance) {
        if (this.closing.signal.aborted)
            return;
        try {
            if (await this.appIsHealthy(instance))
                await this.renewOrRegister(instance);
        }
        catch (err) {
            if (this.closing.signal.aborted)
                return;
            this.turn++; // the next try goes to the next replica
            this.options.log?.(`registration of ${instance.id}: ${err.message}`);
        }
        if (this.closing.signal.aborted)
            return;
        this.timersById.set(instance.id, this.timers.setTimeout(() => void this.tick(instance), this.options.ttlMs / 3));
    }
    async renewOrRegister(instance) {
        if (this.registered.has(instance.id)) {
            const renewed = await this.call('POST', `/v1/registrations/${this.path(instance.id)}/renew`, {});
            if (renewed === 200)
                return;
            this.registered.delete(instance.id);
            if (renewed !== 404)
                throw new Error(`renewal answered ${renewed}`);
            this.options.log?.(`registration of ${instance.id} had ended; registering again`);
        }
        const { service, labels } = this.options;
        const region = instance.region ?? this.options.region;
        const zone = instance.zone ?? this.options.zone;
        const status = await this.call('POST', '/v1/registrations', { service, id: instance.id, address: instance.address, region, zone, labels: { ...labels, ...instance.labels }, ttl: `${Math.round(this.options.ttlMs)}ms` });
        if (status !== 201 && status !== 200)
            throw new Error(`register answered ${status}`);
        this.registered.add(instance.id);
    }
    async appIsHealthy(instance) {
        const path = this.options.healthPath;
        if (path === undefined)
            return true;
        let ok = false;
        try {
            const res = await request(`http://${instance.healthAddress ?? instance.address}${path}`, { dispatcher: this.agent, signal: this.closing.signal, headersTimeout: Math.min(5_000, this.options.ttlMs / 3), bodyTimeout: 5_000 });
            await res.body.dump();
            ok = res.statusCode >= 200 && res.statusCode < 400;
        }
        catch {
            ok = false;
        }
        if (this.healthy.get(instance.id) !== ok)
            this.options.log?.(`${instance.id} ${ok ? 'passes' : 'fails'} its health check (GET ${path})${ok ? '' : ': not renewing its registration'}`);
        this.healthy.set(instance.id, ok);
        return ok;
    }
    async call(method, path, body, signal = this.closing.signal) {
        const base = this.options.urls[this.turn % this.options.urls.length];
        const headers = { 'content-type': 'application/json', ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}) };
        const res = await request(`${base}${path}`, { method: method, headers, body: body === undefined ? undefined : JSON.stringify(body), dispatcher: this.agent, signal, headersTimeout: 10_000, bodyTimeout: 10_000 });
        await res.body.dump();
        return res.statusCode;
    }
    path(id) {
        return `${encodeURIComponent(this.options.service)}/${encodeURIComponent(id)}`;
    }
}
//# sourceMappingURL=registration-client.js.map