#!/usr/bin/env -S node --min-semi-space-size=8 --max-semi-space-size=8 --no-allocation-site-pretenuring
// The V8 flags above are part of the proxy, measured with `npm run bench`'s
// loads and --trace-gc, one proxy per flag set, 3-5 interleaved rounds (#16):
// - a young generation fixed at 8 MB per semi-space (16 MB in all), so V8
//   neither grows it under load nor keeps it small at a modest rate. At
//   1000 req/s it scavenges for 3.5 ms per 1000 requests, in pauses under
//   1 ms, against 6.6 ms with Node's default sizes and 8.2 ms with only a
//   maximum of 8. The 32-64 MB used before scavenged for 1.1 ms per 1000
//   requests but in 2.5 ms pauses, and cost RSS the sidecar must not spend:
//   155 MiB idle after a warm-up and 211 MiB under 50 connections, against
//   109 and 115-121 MiB with 8 MB;
// - without pretenuring: once the admin API had served requests, V8 began
//   allocating the per-request objects that admin and data-plane requests
//   share (Node's own HTTP objects) straight into the old generation, and
//   p99 at 1000 req/s went from about 1.3 ms to 7-17 ms. With no flags at
//   all, 15 s at 50 connections ran 17 full collections, against 0-2 here.
// Cluster workers (--workers) inherit these flags.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { Argv } from 'yargs';
import { EXIT_INVALID, reportAndExit, UsageError } from './exit.js';

// A reader that stops early (`faultmesh run --dry-run | head`) closes the pipe. That ends the output, not the
// command: a run still finishes and reverts what it injected, so later output is dropped instead of throwing EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.stdout.write = (() => true) as typeof process.stdout.write;
});

// Flags that may be repeated; any other flag given twice is a mistake worth naming
// (yargs would otherwise hand the command an array where it expects one value).
const REPEATABLE = new Set(['_', 'admin', 'files', 'var', 'admin-host', 'adminHost', 'admin-origin', 'adminOrigin', 'register', 'label']);

// Repeatable in one command only: elsewhere (proxy, ca issue) --service names one service; --host is toxiproxy's --admin-host.
const REPEATABLE_IN: Readonly<Record<string, ReadonlySet<string>>> = { 'ca token create': new Set(['service']), toxiproxy: new Set(['host']) };

function refuseRepeatedFlags(argv: Record<string, unknown>): void {
  const command = (argv._ as unknown[] | undefined)?.slice(0, 3).join(' ') ?? '';
  for (const [key, value] of Object.entries(argv)) {
    if (Array.isArray(value) && !REPEATABLE.has(key) && !REPEATABLE_IN[command]?.has(key)) {
      throw new UsageError(`--${key} was given ${value.length} times; give it once`);
    }
  }
}

// Each command's module, loaded only when that command runs: a sidecar proxy
// must not carry the runner's, the reports' and the control plane's code
// (etcd's gRPC client among them), which cost it about 30 MiB of idle RSS.
// Top-level help, or a name that is no command, loads them all. A loader
// hands back a function that adds its command to the parser, because each
// command types its own argv and only there is that type known.
type Register = (parser: Argv) => Argv;
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  proxy: () => import('./commands/proxy.js').then((m) => (y: Argv) => y.command(m.proxyCommand)),
  run: () => import('./commands/run.js').then((m) => (y: Argv) => y.command(m.runCommand)),
  report: () => import('./commands/report.js').then((m) => (y: Argv) => y.command(m.reportCommand)),
  validate: () => import('./commands/validate.js').then((m) => (y: Argv) => y.command(m.validateCommand)),
  demo: () => import('./commands/demo.js').then((m) => (y: Argv) => y.command(m.demoCommand)),
  faults: () => import('./commands/faults.js').then((m) => (y: Argv) => y.command(m.faultsCommand)),
  gameday: () => import('./commands/gameday.js').then((m) => (y: Argv) => y.command(m.gamedayCommand)),
  control: () => import('./commands/control.js').then((m) => (y: Argv) => y.command(m.controlCommand)),
  mesh: () => import('./commands/mesh.js').then((m) => (y: Argv) => y.command(m.meshCommand)),
  status: () => import('./commands/status.js').then((m) => (y: Argv) => y.command(m.statusCommand)),
  canary: () => import('./commands/canary.js').then((m) => (y: Argv) => y.command(m.canaryCommand)),
  ca: () => import('./commands/ca.js').then((m) => (y: Argv) => y.command(m.caCommand)),
  import: () => import('./commands/import.js').then((m) => (y: Argv) => y.command(m.importCommand)),
  toxiproxy: () => import('./commands/toxiproxy.js').then((m) => (y: Argv) => y.command(m.toxiproxyCommand)),
};

/** The commands to register for these arguments: the one named first, else every one (in the order help lists them). */
async function commandsFor(argv: readonly string[]): Promise<Register[]> {
  const named = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? COMMANDS[argv[0]] : undefined;
  return named ? [await named()] : Promise.all(Object.values(COMMANDS).map((load) => load()));
}

// parseAsync can throw before it returns a promise (middleware), so both paths are caught here.
try {
  const argv = hideBin(process.argv);
  const parser = yargs(argv).scriptName('faultmesh');
  for (const register of await commandsFor(argv)) register(parser);
  await parser
    .middleware(refuseRepeatedFlags, true)
    .demandCommand(1, 'name a command')
    .strict()
    .fail((text, err, y) => {
      // yargs reports some flag mistakes (a flag given no value) as a YError: the user's mistake, not ours.
      if (err && err.name !== 'YError') reportAndExit(err);
      const msg = text ?? err?.message ?? 'invalid arguments';
      // The whole help only when no command was named; a bad flag gets one line, as our own flag checks do.
      if (argv[0] === undefined || !Object.hasOwn(COMMANDS, argv[0])) {
        y.showHelp();
        process.stderr.write('\n');
      }
      process.stderr.write(`faultmesh: ${msg}${argv[0] && Object.hasOwn(COMMANDS, argv[0]) ? ` (faultmesh ${argv[0]} --help lists its flags)` : ''}\n`);
      process.exit(EXIT_INVALID);
    })
    .help()
    .parseAsync();
} catch (err) {
  reportAndExit(err);
}
