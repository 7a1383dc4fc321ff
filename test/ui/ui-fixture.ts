import { startControlPlane, type RunningControlPlane } from '../../control/control-plane.js';
import type { EchoUpstream } from '../../demo/echo-upstream.js';
import { startProxy, type RunningProxy } from '../../proxy/proxy-app.js';
import { send } from '../helpers/http-client.js';
import { meshYaml, startUpstreams, type InstanceSpec } from '../helpers/mesh-fixture.js';
import { waitFor } from '../helpers/wait.js';

/** A shop like the demo's, small: who calls whom through which sidecar. */
export const SHOP: readonly InstanceSpec[] = [
  { service: 'frontend', id: 'frontend-eu-1', region: 'eu-west', zone: 'eu-west-1a' },
  { service: 'catalog', id: 'catalog-eu-1', region: 'eu-west', zone: 'eu-west-1a' },
  { service: 'catalog', id: 'catalog-us-1', region: 'us-east', zone: 'us-east-1a' },
  { service: 'payments', id: 'payments-eu-1', region: 'eu-west', zone: 'eu-west-1a' },
  { service: 'payments', id: 'payments-us-1', region: 'us-east', zone: 'us-east-1a' },
];

/** Each sidecar: its calling service, and where traffic goes through it. */
const SIDECARS = [
  { id: 'ingress', service: 'ingress', calls: ['frontend'] },
  { id: 'frontend-sidecar', service: 'frontend', calls: ['catalog', 'payments'] },
  { id: 'checkout-sidecar', service: 'checkout', calls: ['payments'] },
] as const;

export interface UiMesh {
  readonly control: RunningControlPlane;
  readonly proxies: ReadonlyMap<string, RunningProxy>;
  readonly upstreams: ReadonlyMap<string, EchoUpstream>;
  /** Starts steady calls through every sidecar (one at a time per edge), until the returned stop. */
  traffic(): { readonly sent: () => number; stop(): Promise<void> };
  stop(): Promise<void>;
}

/**
 * A control plane with a token, the shop's mesh applied, and three
 * sidecars on it (in this process, reporting every 200 ms), every port
 * picked by the OS. What the dashboard tests look at.
 */
export async function startUiMesh(token: string): Promise<UiMesh> {
  const upstreams = await startUpstreams(SHOP);
  const control = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, token, log: () => {} });
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const applied = await send(control.url, { method: 'PUT', path: '/v1/mesh', headers: auth, body: JSON.stringify({ text: meshYaml(SHOP, upstreams), file: 'shop.yaml' }) });
  if (applied.status !== 200) throw new Error(`PUT /v1/mesh answered ${applied.status}: ${applied.text()}`);
  const proxies = new Map<string, RunningProxy>();
  for (const s of SIDECARS) {
    proxies.set(
      s.id,
      await startProxy({
        listen: { host: '127.0.0.1', port: 0 },
        admin: { host: '127.0.0.1', port: 0 },
        accessLog: { kind: 'off' },
        service: s.service,
        control: { urls: [control.url], token, id: s.id, reportEveryMs: 200, log: () => {} },
      }),
    );
  }
  await waitFor(async () => {
    const status = (await send(control.url, { path: '/v1/status' })).json<{ version: number; proxies: Array<{ connected: boolean; applied: number }> }>();
    return status.proxies.length === SIDECARS.length && status.proxies.every((p) => p.connected && p.applied === status.version);
  }, 'every sidecar applied the mesh');
  return {
    control,
    proxies,
    upstreams,
    traffic() {
      let running = true;
      let sent = 0;
      const loops = SIDECARS.flatMap((s) =>
        s.calls.map(async (host) => {
          while (running) {
            await send(proxies.get(s.id)!.proxyUrl, { path: '/', headers: { host, 'x-customer-id': 'acme' } }).catch(() => undefined);
            sent++;
          }
        }),
      );
      return {
        sent: () => sent,
        async stop() {
          running = false;
          await Promise.all(loops);
        },
      };
    },
    async stop() {
      for (const p of proxies.values()) await p.close(500);
      await control.close();
      for (const u of upstreams.values()) await u.close();
    },
  };
}
