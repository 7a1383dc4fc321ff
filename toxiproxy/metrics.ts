import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ProxyStats } from './registry/listener.js';

/** What /metrics reads, at scrape time: the registry's proxies and how many leases ended. */
export interface ToxiproxyMetricSources {
  stats(): readonly ProxyStats[];
  readonly leasesEnded: number;
  /** --control: whether the control plane answers, and the revision of its set served here. */
  control?(): { readonly connected: boolean; readonly revision: number };
}

/**
 * Every metric of `faultmesh toxiproxy`, declared in one place. Each is read
 * from the registry when scraped (the TCP path counts in plain numbers and
 * never touches prom-client), so a proxy deleted is gone from the next
 * scrape. Labels are proxy and toxic names, which the user chose and which
 * are as few as the proxies and toxics they made.
 */
export function createToxiproxyMetrics(sources: ToxiproxyMetricSources): { readonly registry: Registry } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'faultmesh_' });
  /** Sets every series of `metric` from the stats, replacing last scrape's (a counter's value is the registry's running total). */
  const fromStats = <L extends string>(metric: Counter<L> | Gauge<L>, values: (s: ProxyStats) => Iterable<readonly [Partial<Record<L, string>>, number]>) => {
    metric.reset();
    for (const s of sources.stats()) for (const [labels, value] of values(s)) metric.inc(labels, value);
  };

  new Gauge({
    name: 'faultmesh_toxiproxy_proxies',
    help: 'Proxies defined, by state (enabled: listening; disabled: down, its listener closed).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = sources.stats();
      const enabled = stats.filter((s) => s.enabled).length;
      this.set({ state: 'enabled' }, enabled);
      this.set({ state: 'disabled' }, stats.length - enabled);
    },
  });
  new Gauge({
    name: 'faultmesh_toxiproxy_toxics',
    help: 'Toxics in force on a proxy, by type.',
    labelNames: ['proxy', 'type'] as const,
    registers: [registry],
    collect() {
      fromStats(this, (s) => s.toxics.map((t) => [{ proxy: s.name, type: t.spec.type }, 1] as const));
    },
  });
  new Counter({
    name: 'faultmesh_toxiproxy_connections_total',
    help: 'Client connections a proxy accepted.',
    labelNames: ['proxy'] as const,
    registers: [registry],
    collect() {
      fromStats(this, (s) => [[{ proxy: s.name }, s.traffic.connectionsTotal]]);
    },
  });
  new Gauge({
    name: 'faultmesh_toxiproxy_connections_open',
    help: 'Client connections a proxy holds open now.',
    labelNames: ['proxy'] as const,
    registers: [registry],
    collect() {
      fromStats(this, (s) => [[{ proxy: s.name }, s.traffic.connectionsActive]]);
    },
  });
  new Counter({
    name: 'faultmesh_toxiproxy_bytes_total',
    help: 'Bytes a proxy passed on, by stream (upstream: client to server; downstream: server to client).',
    labelNames: ['proxy', 'stream'] as const,
    registers: [registry],
    collect() {
      fromStats(this, (s) => [
        [{ proxy: s.name, stream: 'upstream' }, s.traffic.bytes.upstream],
        [{ proxy: s.name, stream: 'downstream' }, s.traffic.bytes.downstream],
      ]);
    },
  });
  new Counter({
    name: 'faultmesh_toxiproxy_toxic_connections_total',
    help: "Connections a toxic acted on (its toxicity roll came up), by proxy and toxic name.",
    labelNames: ['proxy', 'toxic'] as const,
    registers: [registry],
    collect() {
      fromStats(this, (s) => Object.entries(s.traffic.byToxic).map(([toxic, t]) => [{ proxy: s.name, toxic }, t.connections] as const));
    },
  });
  new Counter({
    name: 'faultmesh_toxiproxy_toxic_leases_ended_total',
    help: 'Toxics removed because their ttl ran out.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sources.leasesEnded);
    },
  });
  const control = sources.control?.bind(sources);
  // --control only: a local server has none of these, and its /metrics stays as it was.
  if (control) {
    new Gauge({
      name: 'faultmesh_toxiproxy_listen_failed',
      help: 'Proxies of the control plane this process cannot listen for (1 each): a port in use on this host. The other processes serve them.',
      labelNames: ['proxy'] as const,
      registers: [registry],
      collect() {
        fromStats(this, (s) => (s.listenError === undefined ? [] : [[{ proxy: s.name }, 1] as const]));
      },
    });
    new Gauge({
      name: 'faultmesh_toxiproxy_control_connected',
      help: 'Whether the control plane answers (1), or this process serves the set it last knew (0).',
      registers: [registry],
      collect() {
        this.set(control().connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'faultmesh_toxiproxy_control_revision',
      help: "The revision of the control plane's toxiproxy set this process serves.",
      registers: [registry],
      collect() {
        this.set(control().revision);
      },
    });
  }
  return { registry };
}
