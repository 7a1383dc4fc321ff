import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Argv } from 'yargs';
import { runDemo } from '../../demo/shop/run-demo.js';
import { mtlsCommands } from '../../demo/shop/shop-mtls.js';
import type { Shop } from '../../demo/shop/start-shop.js';
import { runTypedCommand, TYPED_COMMANDS_HELP } from '../../demo/shop/typed-commands.js';
import { progressPrinter } from '../../runner/progress.js';
import { progressTerminal } from '../../runner/progress-terminal.js';
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

/** On ephemeral ports, what a canary file's own URLs need in place of the fixed ones. */
function canaryVars(shop: Shop): string {
  const fixed = shop.control === 'http://127.0.0.1:15100' && shop.proxies.frontend === 'http://127.0.0.1:15011';
  return fixed ? '' : ` --control ${shop.control} --var caller=${shop.proxies.frontend}`;
}

/** What to try by hand while the shop runs. */
function tryThis(shop: Shop): string {
  const { ingress, admins, control } = shop;
  // On the default ports the experiments' own configuration.control is right; on ephemeral ones it needs the URL.
  const controlVar = control === 'http://127.0.0.1:15100' ? '' : ` --var control=${control}`;
  return [
    '',
    `Dashboard: ${control}/ui   (live: the mesh and its calls, faults in force, runs, the halt button)`,
    `The shop is up, on the control plane ${control}. Try:`,
    `  faultmesh status --control ${control} --watch       # every proxy's version, faults and health; discrepancies on top`,
    `  curl -s -H 'Host: frontend' -H 'x-customer-id: acme' '${ingress}/buy?item=2'     # frontend -> catalog, checkout -> payments`,
    `  curl -s -H 'Host: frontend' ${ingress}/product/3`,
    `  curl -s ${admins.checkout}/v1/services        # checkout's sidecar: payments instances, ejections, latency`,
    `  curl -s ${control}/metrics | grep faultmesh_requests_total      # every proxy's counters, with a proxy label`,
    `  faultmesh faults add experiments/faults/payments-eu-503.yaml --control ${control}     # on every proxy at once`,
    `  faultmesh faults list --control ${control}`,
    `  faultmesh run experiments/payments-abort.yaml --report payments-abort.html${controlVar}`,
    `  faultmesh canary run experiments/canary-catalog-v2.yaml --report catalog-v2.html${canaryVars(shop)}     # v2 gets 10%, is judged against v1, rolled back`,
    ...mtlsCommands(shop.proxies),
    '',
    ...accessLogLines(shop),
    `Stop an instance and watch it leave every proxy's table within its ${shop.registerTtl} lease: ${TYPED_COMMANDS_HELP}`,
    `  (for example: stop ${shop.instances.find((i) => i.id === 'catalog-us-1')?.id ?? shop.instances[0]?.id}; IDs: ${shop.instances.map((i) => i.id).join(', ')})`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

/** Where each proxy's access log is, and how to watch one. */
function accessLogLines(shop: Shop): string[] {
  const logs = shop.accessLogs;
  if (!logs) return [];
  return [
    '',
    `Access logs, one JSON line per call, in ${dirname(logs.ingress)}:`,
    ...Object.entries(logs).map(([proxy, file]) => `  ${proxy.padEnd(9)} ${file}`),
    `  tail -f ${logs.frontend}     # the frontend's calls to catalog and checkout, as they happen`,
  ];
}

/** The lines typed on stdin while the shop is up, one command at a time, until `signal` aborts. */
async function takeTypedCommands(shop: Shop, signal: AbortSignal): Promise<void> {
  // terminal: false leaves the terminal in cooked mode, so Ctrl-C still sends SIGINT.
  const typed = createInterface({ input: process.stdin, terminal: false });
  let queue = Promise.resolve();
  typed.on('line', (line) => {
    queue = queue.then(() => runTypedCommand(shop, line, (text) => process.stdout.write(`${text}\n`), signal));
  });
  try {
    await new Promise<void>((done) => (signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true })));
  } finally {
    typed.close();
    process.stdin.destroy(); // nothing else reads it; a paused stdin would keep the process alive
  }
}

export const demoCommand = {
  command: 'demo',
  describe: 'run a small shop on loopback on a faultmesh control plane, each service behind its sidecar, under load, and run the demo experiments against it',
  builder: (y: Argv) =>
    y
      .option('out', { type: 'string', defaultDescription: 'faultmesh-demo/<time>', describe: 'folder for journals, reports and the sidecars\' access logs (access-logs/)' })
      .option('keep-running', { type: 'boolean', default: false, describe: 'after the experiments, leave the shop up (with its shoppers) until Ctrl-C; `stop ID` / `start ID` on stdin stop and start an instance' })
      .option('skip-experiments', { type: 'boolean', default: false, describe: 'start the shop and its shoppers only, with no experiment and no canary (with --keep-running)' })
      .option('quick', { type: 'boolean', default: false, describe: 'shorter measurement windows and faults for the experiments (the canaries are always short)' })
      .option('ephemeral-ports', { type: 'boolean', default: false, describe: 'let the OS pick every port (the control plane\'s, the proxies\' and the instances\') instead of the fixed ones' })
      .option('rate', { type: 'number', default: 40, describe: 'shoppers\' requests per second' }),
  handler: async (args: unknown) => {
    const a = args as DemoArgs;
    const outDir = resolve(a.out ?? join('faultmesh-demo', new Date().toISOString().replace(/[:.]/g, '-')));
    const started = performance.now();
    // Set when the experiments and canaries are over and the shop only stays up (--keep-running): Ctrl-C then reverts
    // nothing, and the time up does not count as the experiments' time.
    let upSince: number | undefined;
    const idle = () => upSince !== undefined || a['skip-experiments'];
    const interrupt = interruptOnSignals(
      () => (idle() ? 'stopping every process (no experiment or canary is running)' : 'stopping; reverting the experiment or rolling back the canary that is running, if any, then stopping every process'),
      () => (idle() ? 'still stopping; faultmesh exits when every process has stopped' : 'still reverting; faultmesh exits when the revert is done'),
    );
    // One terminal for the demo's lines and each run's progress: on a terminal, the live block stays under both.
    const terminal = progressTerminal(process.stderr);
    const log = (line: string) => terminal.line(line);
    try {
      const result = await runDemo({
        experimentsDir: join(packageRoot(), 'experiments'),
        outDir,
        ephemeralPorts: a['ephemeral-ports'],
        quick: a.quick,
        rate: a.rate,
        runExperiments: !a['skip-experiments'],
        events: () => progressPrinter(process.stderr, (s) => s, '', { terminal }),
        log,
        interrupt: interrupt.signal,
        ...(a['keep-running']
          ? {
              whileUp: async (shop: Shop) => {
                upSince = performance.now();
                terminal.close();
                process.stdout.write(tryThis(shop));
                await takeTypedCommands(shop, interrupt.signal);
              },
            }
          : {}),
      });
      terminal.close();
      const lines = result.runs.map((r) => `  ${r.outcome.padEnd(11)} ${r.experiment}\n              ${r.verdict}\n              ${r.report}`);
      const canaries = result.canaries.map((c) => `  ${c.outcome.padEnd(11)} canary ${c.name}\n              ${c.sentence}${c.report ? `\n              ${c.report}` : ''}`);
      const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
      const secondsOf = (from: number, to: number) => ((to - from) / 1000).toFixed(0);
      const seconds = secondsOf(started, performance.now());
      const took = upSince === undefined ? `in ${seconds}s` : `in ${secondsOf(started, upSince)}s, then up ${secondsOf(upSince, performance.now())}s`;
      // --skip-experiments ran none on purpose: "0 experiments in 473s" would read as a demo that did nothing.
      const headline = a['skip-experiments']
        ? `faultmesh demo: the shop ran for ${seconds}s with its shoppers; no experiment or canary (--skip-experiments)`
        : `faultmesh demo: ${count(result.runs.length, 'experiment', 'experiments')}${result.canaries.length ? ` and ${count(result.canaries.length, 'canary', 'canaries')}` : ''} ${took}`;
      process.stdout.write(
        [
          '',
          headline,
          ...lines,
          ...canaries,
          ...(result.summary ? [`summary: ${result.summary}`] : []),
          ...(a['skip-experiments'] ? [] : [`journals and reports: ${outDir}`]),
          `access logs: ${join(outDir, 'access-logs')}`,
          '',
        ].join('\n'),
      );
    } finally {
      terminal.close();
      interrupt.dispose();
    }
  },
};
