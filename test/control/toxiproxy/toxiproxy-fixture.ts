import { realTimers } from '../../../proxy/core/timers.js';
import type { RunningToxiproxy, ToxiproxyServerOptions } from '../../../toxiproxy/server.js';
import { ApiFixture, type Api } from '../../toxiproxy/api/api-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { startTestControl, type TestControl } from '../control-fixture.js';

export { roundTrip } from '../../toxiproxy/api/api-fixture.js';

/** One `faultmesh toxiproxy --control` server of a test, with the lines it logged. */
export interface SharedServer {
  readonly server: RunningToxiproxy;
  readonly api: Api;
  readonly logs: string[];
}

/**
 * Toxiproxy servers in this process on one control plane (a memory store
 * on a fake clock, which the servers' toxic leases share, so a test moves
 * both at once); back-off and listen retries keep real time. Everything is
 * on 127.0.0.1 with ports the system picks; close() in after() ends all.
 */
export class SharedFixture {
  readonly loopback = new ApiFixture();
  control!: TestControl;

  async start(): Promise<void> {
    this.control = await startTestControl();
  }

  /** A toxiproxy server on the control plane (or `urls`). */
  async server(options: Partial<ToxiproxyServerOptions> = {}, urls = [this.control.url]): Promise<SharedServer> {
    const logs: string[] = [];
    const { server, api } = await this.loopback.start({ timers: this.control.clock, control: { urls, retryTimers: realTimers, pollWaitMs: 5_000 }, log: (line) => logs.push(line), ...options });
    return { server, api, logs };
  }

  /** The control plane, two servers on it, and an echo upstream: what most tests start with. */
  async pair(): Promise<{ a: SharedServer; b: SharedServer; upstream: string }> {
    await this.start();
    return { a: await this.server(), b: await this.server(), upstream: (await this.loopback.echo()).address };
  }

  async close(): Promise<void> {
    await this.loopback.close();
    await this.control?.stop();
  }
}

/** The proxy as one server's API shows it (undefined: 404 there). */
export async function proxyOn(s: SharedServer, name: string): Promise<Record<string, any> | undefined> {
  const r = await s.api.get(`/proxies/${name}`);
  return r.status === 200 ? r.json() : undefined;
}

/** Waits until `check` holds of the proxy on every server given. */
export async function seenOnAll(servers: readonly SharedServer[], name: string, check: (p: Record<string, any> | undefined) => boolean, what: string): Promise<void> {
  await waitFor(async () => (await Promise.all(servers.map((s) => proxyOn(s, name)))).every(check), what);
}

/** The value of one series on a server's /metrics, undefined when it is not there. */
export async function metric(s: SharedServer, series: string): Promise<number | undefined> {
  const line = (await s.api.get('/metrics')).text().split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
