import { instanceStates } from '../admin/instance-state.js';
import { MeshState } from '../mesh-state.js';
import { createDataPlane, listen, type DataPlane } from '../data-plane.js';
import { IdentityHolder } from '../identity/identity-holder.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import { applyState } from './apply-state.js';
import { adoptEjection, ejectionOf } from './ejections.js';
import { isToWorker, type ClusterState, type FromWorker, type RuleCounts, type ToWorker } from './messages.js';
import { WorkerFaultSource, WorkerMeshSource } from './worker-sources.js';

/** One worker's running parts, made by the `start` message. */
interface Running {
  readonly index: number;
  readonly meshSource: WorkerMeshSource;
  readonly mesh: MeshState;
  readonly faults: WorkerFaultSource;
  readonly metrics: Metrics;
  readonly dataPlane: DataPlane;
  /** The primary's identity as it last sent it (messages.ts `identity`); set when the proxy has one. */
  readonly identity: IdentityHolder | undefined;
  readonly now: () => number;
  version: number;
  notReady: string | undefined;
}

const send = (m: FromWorker, then?: () => void) => void process.send?.(m, undefined, undefined, then);

/** The worker's parts once `start` made them. */
let running: Running | undefined;

/** How long a failing worker waits for its access log to open and flush before it exits. */
const RELEASE_MS = 1_000;

/** Says why, tells the primary, and exits: a replacement starts from the primary's full state. */
function fail(err: unknown, what: string): void {
  const e = err as { code?: unknown; message?: unknown };
  const message = `${what}: ${String(e?.message ?? err)}`;
  process.stderr.write(`faultmesh: worker (pid ${process.pid}): ${message}\n`);
  // Released first: pino throws at exit on a log file it has not opened yet.
  const released = Promise.race([running?.dataPlane.release(), new Promise((resolve) => setTimeout(resolve, RELEASE_MS))]);
  send({ type: 'failed', code: typeof e?.code === 'string' ? e.code : undefined, message }, () => void released.finally(() => process.exit(1)));
}

/**
 * A cluster worker (`faultmesh proxy --workers N`): the data plane only,
 * on the state the primary sends. It says hello, applies the full state of
 * its `start`, and listens only then, so it never serves a request with
 * less than its siblings know. Every later state is applied and answered
 * with its version. It exits when its channel to the primary closes: a
 * worker never serves on its own, and leaves signals to the primary.
 */
export function runWorker(): void {
  process.on('disconnect', () => process.exit(0));
  // Signals are for the primary, which drains the workers itself: a
  // terminal's Ctrl-C or hang-up, and systemd's stop, reach the whole
  // process group, and a worker dying of them would be "replaced" mid-stop.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => {});
  process.on('message', (m: unknown) => {
    if (!isToWorker(m)) return;
    try {
      if (m.type === 'start') running ??= start(m);
      else if (running) handle(running, m);
      // Told to stop before it started: nothing to drain.
      else if (m.type === 'shutdown') send({ type: 'drained', drained: true, cut: 0 }, () => process.exit(0));
    } catch (err) {
      fail(err, m.type === 'state' ? `cannot apply version ${m.state.version}` : `cannot handle ${m.type}`);
    }
  });
  send({ type: 'hello' });
}

function start(m: Extract<ToWorker, { type: 'start' }>): Running {
  const now = Date.now;
  const random = Math.random;
  const faults = new WorkerFaultSource(m.index, now, random);
  const meshSource = new WorkerMeshSource(m.state.mesh ?? undefined);
  // Assigned below; the closures read it at scrape or ejection time.
  let self: Running | undefined;
  const metrics = createMetrics({
    activeFaults: () => faults.store.list().length,
    inFlight: () => self?.dataPlane.proxy.inFlight() ?? 0,
    instances: () => (self ? instanceStates(self.mesh) : []),
  });
  const mesh = new MeshState(
    meshSource,
    {
      random,
      now,
      onEject: (endpoint, reason) => {
        metrics.outlierEjections.labels(endpoint.service, endpoint.id, reason).inc();
        send({ type: 'ejected', ejection: ejectionOf(endpoint) });
      },
    },
    () => self?.notReady ?? 'no mesh configuration',
  );
  const identity = m.settings.identity ? new IdentityHolder(m.identity) : undefined;
  const dataPlane = createDataPlane(m.settings, { store: faults.store, mesh, metrics, random, now, identity, logFields: { worker: m.index, workerPid: process.pid } });
  self = { index: m.index, meshSource, mesh, faults, metrics, dataPlane, identity, now, version: m.state.version, notReady: m.state.notReady };
  applyState(self, { ...m.state, mesh: undefined }); // the mesh is the source's first snapshot already
  for (const e of m.ejections) adoptEjection(mesh.table(), e);
  const running = self;
  // Spans on from the first request when the flags or the mesh ask for them (the exporter loads first).
  dataPlane.ready().then(() => listen(dataPlane.proxy.server, m.settings.listen)).then(
    (addr) => send({ type: 'listening', host: addr.address, port: addr.port, version: running.version }),
    (err: unknown) => fail(err, `cannot listen on ${m.settings.listen.host}:${m.settings.listen.port}`),
  );
  return running;
}

function handle(r: Running, m: Exclude<ToWorker, { type: 'start' }>): void {
  switch (m.type) {
    case 'state':
      return apply(r, m.state);
    case 'eject':
      adoptEjection(r.mesh.table(), m.ejection);
      return;
    case 'identity':
      r.identity?.set(m.identity);
      return;
    case 'collect':
      return send({ type: 'collected', id: m.id, inFlight: r.dataPlane.proxy.inFlight(), counts: countsOf(r) });
    case 'metrics':
      void r.metrics.registry.getMetricsAsJSON().then((metrics) => send({ type: 'metrics', id: m.id, metrics }));
      return;
    case 'shutdown':
      void r.dataPlane.proxy.shutdown(m.drainMs).then(async (result) => {
        await r.dataPlane.release();
        send({ type: 'drained', ...result }, () => process.exit(0));
      });
      return;
  }
}

function apply(r: Running, state: ClusterState): void {
  r.notReady = state.notReady;
  applyState(r, state);
  r.version = state.version;
  send({ type: 'applied', version: state.version });
}

function countsOf(r: Running): RuleCounts {
  const counts: Record<string, { matched: number; hit: number; active: number }> = {};
  for (const rule of r.faults.store.list()) counts[rule.id] = { ...rule.counters };
  return counts;
}
