import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { runDemo } from '../../demo/shop/run-demo.js';
import type { Shop } from '../../demo/shop/start-shop.js';
import { progressPrinter } from '../../runner/progress.js';
import { interruptOnSignals } from '../interrupt.js';
import { packageRoot } from '../paths.js';

interface DemoArgs {
  readonly out: string | undefined;
  readonly 'keep-running': boolean;
  readonly 'skip-experiments': boolean;
  readonly quick: boolean;
  readonly 'ephemeral-ports': boolean;
  readonly rate: number;
}

/** What to try by hand while the shop runs. */
function tryThis(shop: Shop): string {
  const { ingress, admins } = shop;
  return [
    '',
    'The shop is up. Try:',
    `  curl -s -H 'Host: frontend' -H 'x-customer-id: acme' '${ingress}/buy?item=2'     # frontend -> catalog, checkout -> payments`,
    `  curl -s -H 'Host: frontend' ${ingress}/product/3`,
    `  curl -s ${admins.checkout}/v1/services        # checkout's sidecar: payments instances, ejections, latency`,
    `  curl -s ${admins.frontend}/metrics | grep faultmesh_requests_total`,
    `  faultmesh faults add experiments/faults/payments-eu-503.yaml --admin ${admins.checkout}`,
    `  faultmesh faults list --admin ${admins.checkout}`,
    `  faultmesh run experiments/payments-abort.yaml --report payments-abort.html${shop.meshFile.includes('experiments') ? '' : `   # add --var frontend_admin=${admins.frontend} --var 'mesh=[${Object.values(admins).join(',')}]'`}`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

export const demoCommand = {
  command: 'demo',
  describe: 'run a small shop on loopback, each service behind its faultmesh sidecar, under load, and run the demo experiments against it',
  builder: (y: Argv) =>
    y
      .option('out', { type: 'string', describe: 'folder for journals and reports (default: faultmesh-demo/<time>)' })
      .option('keep-running', { type: 'boolean', default: false, describe: 'after the experiments, leave the shop up (with its shoppers) until Ctrl-C' })
      .option('skip-experiments', { type: 'boolean', default: false, describe: 'start the shop and its shoppers only (with --keep-running)' })
      .option('quick', { type: 'boolean', default: false, describe: 'shorter measurement windows and faults' })
      .option('ephemeral-ports', { type: 'boolean', default: false, describe: 'let the OS pick every port instead of the mesh file\'s' })
      .option('rate', { type: 'number', default: 40, describe: 'shoppers\' requests per second' }),
  handler: async (args: unknown) => {
    const a = args as DemoArgs;
    const outDir = resolve(a.out ?? join('faultmesh-demo', new Date().toISOString().replace(/[:.]/g, '-')));
    const interrupt = interruptOnSignals('stopping; reverting the running experiment, then stopping every process');
    const started = performance.now();
    const log = (line: string) => process.stderr.write(`${line}\n`);
    try {
      const result = await runDemo({
        experimentsDir: join(packageRoot(), 'experiments'),
        outDir,
        ephemeralPorts: a['ephemeral-ports'],
        quick: a.quick,
        rate: a.rate,
        runExperiments: !a['skip-experiments'],
        events: () => progressPrinter(process.stderr),
        log,
        interrupt: interrupt.signal,
        ...(a['keep-running']
          ? {
              whileUp: async (shop: Shop) => {
                process.stdout.write(tryThis(shop));
                await new Promise<void>((done) => (interrupt.signal.aborted ? done() : interrupt.signal.addEventListener('abort', () => done(), { once: true })));
              },
            }
          : {}),
      });
      const lines = result.runs.map((r) => `  ${r.outcome.padEnd(11)} ${r.experiment}\n              ${r.verdict}\n              ${r.report}`);
      process.stdout.write(
        [
          '',
          `faultmesh demo: ${result.runs.length} experiment${result.runs.length === 1 ? '' : 's'} in ${((performance.now() - started) / 1000).toFixed(0)}s`,
          ...lines,
          result.summary ? `summary: ${result.summary}` : '',
          `journals and reports: ${outDir}`,
          '',
        ].join('\n'),
      );
    } finally {
      interrupt.dispose();
    }
  },
};
