import { send, type Reply, type SendOptions } from './http-client.js';
import { startMeshFixture, type InstanceSpec } from './mesh-fixture.js';
import type { ProxyOptions } from '../../proxy/proxy-app.js';

export interface InstanceView {
  readonly id: string;
  readonly health: 'healthy' | 'ejected' | 'probation';
  readonly ejectedUntil: string | null;
  readonly ejections: number;
  readonly ewmaLatencyMs: number | null;
  readonly inFlight: number;
  readonly requests: number;
}

/**
 * `payments` instances behind a proxy whose clock the test moves, with the
 * policy given as YAML (indented as under `policy:`).
 */
export async function startResilienceFixture(specs: readonly InstanceSpec[], policy: string, proxy: Partial<ProxyOptions> = {}) {
  let now = 1_800_000_000_000;
  const indented = policy.trim().split('\n').map((l) => `  ${l}`).join('\n');
  const fixture = await startMeshFixture(specs, { extra: { payments: `policy:\n${indented}` }, proxy: { now: () => now, ...proxy } });
  const upstream = (id: string) => fixture.upstreams.get(id)!;
  return {
    ...fixture,
    upstream,
    now: () => now,
    advance: (ms: number) => void (now += ms),
    call: (options: SendOptions = {}): Promise<Reply> => send(fixture.proxy.proxyUrl, { ...options, headers: { host: 'payments', ...options.headers } }),
    /** `n` calls, `concurrency` at a time; the replies in the order they were sent. */
    async calls(n: number, concurrency = 1, options: SendOptions = {}): Promise<Reply[]> {
      const replies: Reply[] = [];
      for (let i = 0; i < n; i += concurrency) {
        const batch = Array.from({ length: Math.min(concurrency, n - i) }, () => send(fixture.proxy.proxyUrl, { ...options, headers: { host: 'payments', ...options.headers } }));
        replies.push(...(await Promise.all(batch)));
      }
      return replies;
    },
    async instances(): Promise<Map<string, InstanceView>> {
      const body = (await send(fixture.proxy.adminUrl, { path: '/v1/services' })).json<{ services: Array<{ name: string; instances: InstanceView[] }> }>();
      return new Map(body.services.find((s) => s.name === 'payments')!.instances.map((i) => [i.id, i]));
    },
    metrics: async () => (await send(fixture.proxy.adminUrl, { path: '/metrics' })).text(),
    received: (id: string) => upstream(id).received(),
  };
}

export const statuses = (replies: readonly Reply[]) => replies.map((r) => r.status);
export const count = (replies: readonly Reply[], status: number) => replies.filter((r) => r.status === status).length;

export const pay = (id: string, region = 'eu-west', zone = 'eu-west-1a'): InstanceSpec => ({ service: 'payments', id, region, zone });
