import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readReportInput } from '../../reports/report-input.js';
import { writeReport } from '../../reports/write-report.js';
import { loadExperiment } from '../../runner/experiment/load-experiment.js';
import { providerSchema, type ProviderOf } from '../../runner/experiment/provider-schema.js';
import { runPublisher } from '../../control/ui/run-publisher.js';
import { alsoTo } from '../../runner/events.js';
import { isolate, warnOnce, type RunEvents } from '../../runner/events.js';
import type { Journal } from '../../runner/journal.js';
import { runLoad } from '../../runner/providers/load.js';
import { runExperiment } from '../../runner/run-experiment.js';
import { judgeDemoRun, type DemoOutcome } from './demo-verdict.js';
import { describeLoad, loadSince, markLoad } from './machine-load.js';
import { runDemoCanaries, type DemoCanary } from './run-canaries.js';
import { showMtls } from './shop-mtls.js';
import { startShop, type Shop } from './start-shop.js';

/** The demo's experiments, in the order they run. */
export const DEMO_EXPERIMENTS = ['payments-abort.yaml', 'catalog-latency.yaml', 'payments-region-outage.yaml'];

export interface DemoOptions {
  readonly experimentsDir: string;
  readonly outDir: string;
  readonly ephemeralPorts: boolean;
  /** Shorter windows and faults: the whole demo in about half a minute (tests). */
  readonly quick: boolean;
  /** Requests per second the shoppers send through the ingress. */
  readonly rate: number;
  /** The experiments, then the canaries; false: neither (the shop and its shoppers only). */
  readonly runExperiments: boolean;
  readonly events: (name: string) => RunEvents;
  readonly log: (line: string) => void;
  /** Aborted by Ctrl-C: the running experiment reverts (or the running canary rolls back), the rest are skipped. */
  readonly interrupt: AbortSignal;
  /** Called with the running shop when the experiments are done; the demo stops the shop when it resolves. */
  readonly whileUp?: (shop: Shop) => Promise<void>;
}

export interface DemoResult {
  readonly runs: ReadonlyArray<{ readonly experiment: string; readonly outcome: DemoOutcome; readonly verdict: string; readonly report: string }>;
  readonly summary: string | undefined;
  /** The canaries run after the experiments, in order: catalog v2 (rolled back), payments v2 (promoted). */
  readonly canaries: readonly DemoCanary[];
}

const SHOPPERS = ['acme', 'globex', 'initech', 'umbrella'];
const PATHS = ['/product/1', '/product/2', '/buy?item=1', '/product/3', '/buy?item=2', '/product/4'];

/**
 * Shoppers browsing and buying through the ingress, the whole time the demo
 * runs: experiments measure the mesh under this traffic.
 */
function startShoppers(shop: Shop, rate: number) {
  const stop = new AbortController();
  const load = providerSchema.parse({ type: 'load', proxy: shop.ingress, target: 'frontend', rate, duration: '1h', paths: PATHS, customers: SHOPPERS }) as ProviderOf<'load'>;
  const running = runLoad(load, { signal: stop.signal });
  return {
    async stop() {
      stop.abort();
      return running;
    },
  };
}

/**
 * The demo: starts the shop on its control plane, sends shoppers through it, runs the demo
 * experiments one after another (journal and HTML report each, then a
 * summary), then the two canaries (run-canaries.ts), and stops every
 * process it started, whatever happens.
 */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  // A log that throws must not leave the shop's processes behind (each experiment isolates its own events).
  o = { ...o, log: isolate('log', o.log, warnOnce()) };
  mkdirSync(o.outDir, { recursive: true });
  // The sidecars' access logs go beside the reports, one file per proxy: what each call did, to read after (or while) a run.
  const shop = await startShop({ meshFile: join(o.experimentsDir, 'mesh.yaml'), ephemeralPorts: o.ephemeralPorts, log: o.log, accessLogDir: join(o.outDir, 'access-logs') });
  o.log(`processes: ${shop.pids.join(' ')}`);
  const shoppers = startShoppers(shop, o.rate);
  o.log(`shoppers: ${o.rate} requests/s through ${shop.ingress} (customers ${SHOPPERS.join(', ')})`);
  const runs: Array<DemoResult['runs'][number]> = [];
  let summary: string | undefined;
  let canaries: DemoCanary[] = [];
  try {
    await showMtls(shop, o.log);
    // The experiments name the control plane: their faults hang on one lease there, and their probes read every proxy's metrics through it.
    const vars = { control: shop.control, ...(o.quick ? { window: '2s', duration: '4s' } : {}) };
    for (const file of o.runExperiments ? DEMO_EXPERIMENTS : []) {
      if (o.interrupt.aborted) break;
      const name = basename(file, '.yaml');
      const experiment = loadExperiment(join(o.experimentsDir, file), { vars });
      o.log(`\n=== ${experiment.title} (${file})`);
      const journalPath = join(o.outDir, `${name}.json`);
      const mark = markLoad();
      // The shop's dashboard (/ui) lists the run, its phase and probes, as it does a hand `faultmesh run`.
      const publisher = runPublisher({ control: shop.control, name: experiment.title, gameday: 'faultmesh demo', report: resolve(o.outDir, `${name}.html`) });
      const journal: Journal = await runExperiment(experiment, { journalPath, events: alsoTo(o.events(name), publisher), interrupt: o.interrupt, leaseMs: 5000, safeguardEveryMs: 1000 }).finally(() => publisher.close());
      // Read before the report is written: that is the demo's own work, after the run.
      const load = loadSince(mark);
      o.log(`the machine during this run: ${describeLoad(load)}`);
      const report = writeReport(readReportInput(journalPath), join(o.outDir, `${name}.html`))[0]!;
      runs.push({ experiment: experiment.title, ...judgeDemoRun(journal, load), report });
    }
    if (runs.length) {
      writeFileSync(join(o.outDir, 'gameday.json'), `${JSON.stringify({ gameday: 'faultmesh demo', kind: 'demo', runs: runs.map((r) => r.experiment) }, null, 2)}\n`);
      summary = writeReport(readReportInput(o.outDir), join(o.outDir, 'summary.html'))[0];
    }
    // Always in their quick form (the files' own short windows), under the same shoppers.
    if (o.runExperiments && !o.interrupt.aborted) canaries = await runDemoCanaries(shop, { experimentsDir: o.experimentsDir, outDir: o.outDir, log: o.log, interrupt: o.interrupt });
    if (o.whileUp && !o.interrupt.aborted) await o.whileUp(shop);
  } finally {
    await shoppers.stop();
    await shop.stop();
  }
  return { runs, summary, canaries };
}
