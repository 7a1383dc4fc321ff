import assert from 'node:assert/strict';
import type { EchoUpstream } from '../../demo/echo-upstream.js';
import type { ProxyOptions, RunningProxy } from '../../proxy/proxy-app.js';
import { send, type Reply } from './http-client.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir, type InstanceSpec } from './mesh-fixture.js';

export const TOKEN = 'test-token';
export const AUTH = { authorization: `Bearer ${TOKEN}` };

/** payments: pay-1 (eu-west-1a) and pay-2 (us-east-1b), round-robin, behind a proxy with a controllable clock. */
export async function startFaultFixture(options: Partial<ProxyOptions> = {}) {
  const specs: InstanceSpec[] = [
    { service: 'payments', id: 'pay-1', region: 'eu-west', zone: 'eu-west-1a' },
    { service: 'payments', id: 'pay-2', region: 'us-east', zone: 'us-east-1b' },
  ];
  const dir = tempDir();
  const upstreams: Map<string, EchoUpstream> = await startUpstreams(specs);
  let now = 1_800_000_000_000;
  const proxy: RunningProxy = await startTestProxy(dir.file('mesh.yaml', meshYaml(specs, upstreams)), { adminToken: TOKEN, now: () => now, timeoutMs: 600, ...options });
  return {
    proxy,
    upstreams,
    advance: (ms: number) => void (now += ms),
    now: () => now,
    received: () => [...upstreams.values()].reduce((n, u) => n + u.received(), 0),
    /** Adds a rule through the admin API and returns its id. */
    async addFault(rule: Record<string, unknown>): Promise<string> {
      const reply = await send(proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ ttl: '60s', ...rule }) });
      assert.equal(reply.status, 201, reply.text());
      return reply.json<{ id: string }>().id;
    },
    clearFaults: () => send(proxy.adminUrl, { method: 'DELETE', path: '/v1/faults', headers: AUTH }),
    call: (path = '/', headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> => send(proxy.proxyUrl, { method, path, headers: { host: 'payments', ...headers }, ...(method === 'POST' ? { body: 'x' } : {}) }),
    async stop() {
      await proxy.close(500);
      for (const u of upstreams.values()) await u.close();
      dir.remove();
    },
  };
}

export type FaultFixture = Awaited<ReturnType<typeof startFaultFixture>>;

export const faulted = (r: Reply) => r.headers['x-faultmesh-fault'] !== undefined;
