import { Agent, request } from 'undici';
import { realTimers, type Timers } from '../../core/timers.js';

export interface RegistrationOptions {
  readonly urls: readonly string[];
  readonly token?: string | undefined;
  /** The service the instances belong to (--service). */
  readonly service: string;
  /** --register id=host:port[,region=R][,zone=Z][,label.K=V], repeatable; an instance's own region, zone and labels win over the ones below. */
  readonly instances: ReadonlyArray<{ readonly id: string; readonly address: string; readonly region?: string; readonly zone?: string; readonly labels?: Readonly<Record<string, string>>; /** Where --health-path is checked, when not `address` (the app behind an inbound sidecar). */ readonly healthAddress?: string }>;
  readonly region?: string | undefined;
  readonly zone?: string | undefined;
  readonly labels?: Readonly<Record<string, string>>;
  /** The lease each registration asks for; renewed at a third of it. */
  readonly ttlMs: number;
  /** --health-path: GET the app there before each renewal; while it fails, the lease is left to end. */
  readonly healthPath?: string | undefined;
  readonly timers?: Timers;
  readonly log?: (line: string) => void;
}

/**
 * A sidecar registering the app beside it (--register): each instance under
 * a lease renewed at a third of its ttl. A renewal answered 404 (the lease
 * ended, or the control plane restarted) registers again. With a health
 * path, an app that fails its check is not renewed, so every proxy stops
 * sending it traffic when the lease ends; once it passes again it
 * re-registers. On close the registrations are removed at once.
 */
export class RegistrationClient {
  private readonly timers: Timers;
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 5_000 } });
  private readonly closing = new AbortController();
  private readonly registered = new Set<string>();
  private readonly timersById = new Map<string, unknown>();
  private readonly healthy = new Map<string, boolean>();
  private turn = 0;

  constructor(private readonly options: RegistrationOptions) {
    if (options.urls.length === 0) throw new TypeError('registration needs a control-plane URL');
    this.timers = options.timers ?? realTimers;
  }

  start(): void {
    for (const instance of this.options.instances) void this.tick(instance);
  }

  /** Which instances hold a registration now; for tests and /healthz. */
  registrations(): string[] {
    return [...this.registered];
  }

  async close(): Promise<void> {
    this.closing.abort();
    for (const handle of this.timersById.values()) this.timers.clearTimeout(handle);
    const gone = [...this.registered];
    this.registered.clear();
    // Best effort and bounded: a control plane that is down lets the leases end instead.
    await Promise.all(gone.map((id) => this.call('DELETE', `/v1/registrations/${this.path(id)}`, undefined, AbortSignal.timeout(2_000)).catch(() => undefined)));
    await this.agent.destroy();
  }

  private async tick(instance: RegistrationOptions['instances'][number]): Promise<void> {
    if (this.closing.signal.aborted) return;
    try {
      if (await this.appIsHealthy(instance)) await this.renewOrRegister(instance);
    } catch (err) {
      if (this.closing.signal.aborted) return;
      this.turn++; // the next try goes to the next replica
      this.options.log?.(`registration of ${instance.id}: ${(err as Error).message}`);
    }
    if (this.closing.signal.aborted) return;
    this.timersById.set(instance.id, this.timers.setTimeout(() => void this.tick(instance), this.options.ttlMs / 3));
  }

  private async renewOrRegister(instance: RegistrationOptions['instances'][number]): Promise<void> {
    if (this.registered.has(instance.id)) {
      const renewed = await this.call('POST', `/v1/registrations/${this.path(instance.id)}/renew`, {});
      if (renewed === 200) return;
      this.registered.delete(instance.id);
      if (renewed !== 404) throw new Error(`renewal answered ${renewed}`);
      this.options.log?.(`registration of ${instance.id} had ended; registering again`);
    }
    const { service, labels } = this.options;
    const region = instance.region ?? this.options.region;
    const zone = instance.zone ?? this.options.zone;
    const status = await this.call('POST', '/v1/registrations', { service, id: instance.id, address: instance.address, region, zone, labels: { ...labels, ...instance.labels }, ttl: `${Math.round(this.options.ttlMs)}ms` });
    if (status !== 201 && status !== 200) throw new Error(`register answered ${status}`);
    this.registered.add(instance.id);
  }

  private async appIsHealthy(instance: { readonly id: string; readonly address: string; readonly healthAddress?: string }): Promise<boolean> {
    const path = this.options.healthPath;
    if (path === undefined) return true;
    let ok = false;
    try {
      const res = await request(`http://${instance.healthAddress ?? instance.address}${path}`, { dispatcher: this.agent, signal: this.closing.signal, headersTimeout: Math.min(5_000, this.options.ttlMs / 3), bodyTimeout: 5_000 });
      await res.body.dump();
      ok = res.statusCode >= 200 && res.statusCode < 400;
    } catch {
      ok = false;
    }
    if (this.healthy.get(instance.id) !== ok) this.options.log?.(`${instance.id} ${ok ? 'passes' : 'fails'} its health check (GET ${path})${ok ? '' : ': not renewing its registration'}`);
    this.healthy.set(instance.id, ok);
    return ok;
  }

  private async call(method: string, path: string, body: unknown, signal: AbortSignal = this.closing.signal): Promise<number> {
    const base = this.options.urls[this.turn % this.options.urls.length]!;
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}) };
    const res = await request(`${base}${path}`, { method: method as 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body), dispatcher: this.agent, signal, headersTimeout: 10_000, bodyTimeout: 10_000 });
    await res.body.dump();
    return res.statusCode;
  }

  private path(id: string): string {
    return `${encodeURIComponent(this.options.service)}/${encodeURIComponent(id)}`;
  }
}
