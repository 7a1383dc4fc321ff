import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Fleet, type FleetChild } from '../../helpers/control-fleet.js';
import { tempDir } from '../../helpers/mesh-fixture.js';
import { send } from '../../helpers/http-client.js';
import { waitFor } from '../../helpers/wait.js';

/** How a version of the test service answers: every `errorEvery`-th request gets a 500, each after `delayMs`. */
export interface VersionBehaviour {
  errorEvery?: number;
  delayMs?: number;
}

export interface Version {
  readonly port: number;
  readonly received: () => number;
  behave(b: VersionBehaviour): void;
  close(): Promise<void>;
}

export async function startVersion(name: string, behaviour: VersionBehaviour = {}): Promise<Version> {
  let b = behaviour;
  let n = 0;
  const server: Server = createServer((req, res) => {
    n++;
    const fail = b.errorEvery !== undefined && n % b.errorEvery === 0;
    const answer = () => {
      res.writeHead(fail ? 500 : 200, { 'content-type': 'text/plain', 'x-version': name });
      res.end(fail ? 'failed\n' : `${name}\n`);
    };
    req.resume();
    if (b.delayMs) setTimeout(answer, b.delayMs);
    else answer();
  });
  server.keepAliveTimeout = 1000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    received: () => n,
    behave: (next) => (b = next),
    close: () => new Promise<void>((r) => server.close(() => r())).finally(() => server.closeAllConnections()),
  };
}

export const meshText = (v1: Version, v2: Version) => `services:
  shop:
    policy: { timeout: 5s, retries: { attempts: 0 } }
    instances:
      - { id: shop-v1, address: 127.0.0.1:${v1.port}, labels: { version: v1 } }
      - { id: shop-v2, address: 127.0.0.1:${v2.port}, labels: { version: v2 } }
    routes:
      - match: { path: /admin/** }
        deny: 403
      - to: [{ labels: { version: v1 }, weight: 100 }, { labels: { version: v2 }, weight: 0 }]
`;

/**
 * A control plane, one proxy on it, and two versions of service "shop"
 * behind it (v1 at weight 100, v2 at 0): what a canary needs, on loopback
 * ports the OS picks. The canary files go in `dir`.
 */
export async function startCanaryMesh(v2Behaviour: VersionBehaviour = {}) {
  const fleet = new Fleet();
  const dir = tempDir();
  const v1 = await startVersion('v1');
  const v2 = await startVersion('v2', v2Behaviour);
  const control = await fleet.control(['--listen', '127.0.0.1:0']);
  const applied = await fleet.exec(['mesh', 'apply', dir.file('mesh.yaml', meshText(v1, v2)), '--control', control.url]);
  if (applied.code !== 0) throw new Error(`mesh apply failed: ${applied.stderr}`);
  const proxy = await fleet.proxy(['--control', control.url, '--service', 'caller']);
  await waitFor(async () => (await send(proxy.url, { headers: { host: 'shop' } })).status === 200, 'the proxy serves shop', 30_000);
  const env = { FAULTMESH_STATE_DIR: dir.path };
  return {
    fleet,
    dir,
    v1,
    v2,
    control,
    proxy,
    env,
    /** A canary file for shop with short windows; `extra` is appended (analysis, chaos...). */
    canaryFile(name: string, fields: { steps?: string; interval?: string; minRequests?: number; maxWait?: string; rate?: number; extra?: string } = {}) {
      return dir.file(
        `${name}.yaml`,
        `name: ${name}
service: shop
stable: { version: v1 }
canary: { version: v2 }
steps: ${fields.steps ?? '[20, 50]'}
interval: ${fields.interval ?? '1500ms'}
minRequests: ${fields.minRequests ?? 40}
${fields.maxWait ? `maxWait: ${fields.maxWait}\n` : ''}failedChecks: 1
control: ${control.url}
load: { proxy: ${proxy.url}, rate: ${fields.rate ?? 150}, paths: [/buy] }
${fields.extra ?? 'analysis:\n  errorRatio: { maxIncrease: 0.02 }\n  latency: { quantile: 0.99, maxRatio: 3 }  # loose: v1 and v2 run the same code, and a busy 2-core machine skews one p99 against the other by 1.6x\n'}`,
      );
    },
    /** Applies the starting mesh again (v2 at weight 0), as after a promotion. */
    async resetMesh() {
      const r = await fleet.exec(['mesh', 'apply', dir.file('mesh.yaml', meshText(v1, v2)), '--control', control.url]);
      if (r.code !== 0) throw new Error(`mesh apply failed: ${r.stderr}`);
    },
    async overrides(): Promise<unknown[]> {
      const r = await send(control.url, { path: '/v1/overrides' });
      return r.json<{ overrides: unknown[] }>().overrides;
    },
    async stop() {
      await fleet.stopAll();
      await Promise.all([v1.close(), v2.close()]);
      dir.remove();
    },
  };
}

export type CanaryMesh = Awaited<ReturnType<typeof startCanaryMesh>>;
export type { FleetChild };
