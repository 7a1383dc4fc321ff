import { join } from 'node:path';
import { readReportInput } from '../../reports/report-input.js';
import { writeReport } from '../../reports/write-report.js';
import type { CanaryStatus } from '../../runner/canary/canary-types.js';
import { loadCanary } from '../../runner/canary/load-canary.js';
import { labelText } from '../../runner/canary/route-info.js';
import { runCanary } from '../../runner/canary/run-canary.js';
import { messageOf } from '../../runner/events.js';
import { judgeDemoCanary } from './demo-verdict.js';
import { describeLoad, loadSince, markLoad } from './machine-load.js';
import type { Shop } from './start-shop.js';
import type { ShopService } from './topology.js';

/**
 * The demo's canaries, in the order they run, each with the sidecar its
 * load goes through: the service's one caller, so the canary's traffic and
 * the shoppers' are measured by the same proxy.
 */
export const DEMO_CANARIES: ReadonlyArray<{ readonly file: string; readonly caller: ShopService }> = [
  { file: 'canary-catalog-v2.yaml', caller: 'frontend' },
  { file: 'canary-payments-v2.yaml', caller: 'checkout' },
];

/** How one demo canary ended. */
export interface DemoCanary {
  readonly name: string;
  readonly file: string;
  /** 'failed' too when it could not start (the mesh did not fit the file, say). */
  readonly outcome: Exclude<CanaryStatus, 'running'>;
  /** The decision in one sentence, as the journal and the report give it. */
  readonly sentence: string;
  readonly journal: string | undefined;
  readonly report: string | undefined;
}

export interface DemoCanaryOptions {
  readonly experimentsDir: string;
  readonly outDir: string;
  readonly log: (line: string) => void;
  /** Ctrl-C: the running canary rolls back at once; the next one does not start. */
  readonly interrupt: AbortSignal;
}

/** The lease the canary's weights hang on: if the demo dies, traffic is back on v1 within it. */
const LEASE_MS = 5000;
/** The demo applies a promotion itself; a hold matters only if that apply is refused (someone changed the mesh). */
const HOLD_MS = 5000;

/**
 * Runs the demo's canaries one after another against the running shop,
 * in-process, through its control plane: catalog v2 (a bad release, rolled
 * back) then payments v2 (a good one, tested under a fault at 10%, then
 * promoted). The demo makes a promotion permanent itself (the promoted mesh
 * is applied, as `--promote-apply` does), and says so. Each canary writes
 * its journal and HTML report into `outDir`. Never throws for what a canary
 * does: a canary that cannot start is recorded as failed, and the next runs.
 */
export async function runDemoCanaries(shop: Shop, o: DemoCanaryOptions): Promise<DemoCanary[]> {
  const out: DemoCanary[] = [];
  for (const { file, caller } of DEMO_CANARIES) {
    if (o.interrupt.aborted) break;
    let name = file.replace(/^canary-|\.yaml$/g, '');
    try {
      // The files name the demo's fixed ports; on ephemeral ones the vars point them at this shop.
      const canary = loadCanary(join(o.experimentsDir, file), { vars: { control: shop.control, caller: shop.proxies[caller] }, control: shop.control });
      name = canary.name;
      o.log(`\n=== canary ${canary.name} (${file}): ${canary.service} ${labelText(canary.canary)} against ${labelText(canary.stable)}, steps ${canary.steps.join('% → ')}%, then 100%`);
      const journalPath = join(o.outDir, `${canary.name}-canary.json`);
      const mark = markLoad();
      const journal = await runCanary(canary, {
        target: { kind: 'control', url: shop.control, token: undefined },
        journalPath,
        leaseMs: LEASE_MS,
        sampleMs: 1000,
        holdMs: HOLD_MS,
        promoteApply: true,
        interrupt: o.interrupt,
        log: (line) => o.log(`  ${line}`),
      });
      if (journal.status === 'promoted' && journal.promotion?.applied) {
        o.log(`  the demo made the promotion permanent itself (as --promote-apply does): the control plane's mesh now sends ${canary.service} to ${labelText(canary.canary)}${journal.promotion.meshFile ? ` (${journal.promotion.meshFile})` : ''}`);
      }
      const load = loadSince(mark);
      o.log(`  the machine during this canary: ${describeLoad(load)}`);
      const report = writeReport(readReportInput(journalPath), join(o.outDir, `${canary.name}-canary.html`))[0]!;
      const { outcome, sentence } = judgeDemoCanary(journal, load, labelText(canary.stable));
      out.push({ name: canary.name, file, outcome, sentence, journal: journalPath, report });
    } catch (err) {
      // Thrown before any weight changed: the mesh does not fit the file, or the control plane could not be read.
      const sentence = `Did not start: ${messageOf(err)}; nothing was changed.`;
      o.log(`\n=== canary ${name} (${file}): ${sentence}`);
      out.push({ name, file, outcome: 'failed', sentence, journal: undefined, report: undefined });
    }
  }
  return out;
}
