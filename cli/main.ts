#!/usr/bin/env -S node --max-semi-space-size=64 --min-semi-space-size=32 --no-allocation-site-pretenuring
// The V8 flags above are part of the proxy, measured with `npm run bench`:
// - the semi-space sizes fit a proxy's in-flight requests in the young
//   generation; with Node's default each request's objects outlive two
//   scavenges under load, get promoted and cost full collections;
// - without pretenuring: once the admin API had served requests, V8 began
//   allocating the per-request objects that admin and data-plane requests
//   share (Node's own HTTP objects) straight into the old generation, and
//   p99 at 1000 req/s went from about 1.3 ms to 7-17 ms.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { canaryCommand } from './commands/canary.js';
import { controlCommand } from './commands/control.js';
import { demoCommand } from './commands/demo.js';
import { faultsCommand } from './commands/faults.js';
import { gamedayCommand } from './commands/gameday.js';
import { meshCommand } from './commands/mesh.js';
import { proxyCommand } from './commands/proxy.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { statusCommand } from './commands/status.js';
import { validateCommand } from './commands/validate.js';
import { EXIT_INVALID, reportAndExit, UsageError } from './exit.js';

// Flags that may be repeated; any other flag given twice is a mistake worth naming
// (yargs would otherwise hand the command an array where it expects one value).
const REPEATABLE = new Set(['_', 'admin', 'files', 'var', 'admin-host', 'adminHost', 'admin-origin', 'adminOrigin', 'register', 'label']);

function refuseRepeatedFlags(argv: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(argv)) {
    if (Array.isArray(value) && !REPEATABLE.has(key)) {
      throw new UsageError(`--${key} was given ${value.length} times; give it once`);
    }
  }
}

// parseAsync can throw before it returns a promise (middleware), so both paths are caught here.
try {
  await yargs(hideBin(process.argv))
    .scriptName('faultmesh')
    .command(proxyCommand)
    .command(runCommand)
    .command(reportCommand)
    .command(validateCommand)
    .command(demoCommand)
    .command(faultsCommand)
    .command(gamedayCommand)
    .command(controlCommand)
    .command(meshCommand)
    .command(statusCommand)
    .command(canaryCommand)
    .middleware(refuseRepeatedFlags, true)
    .demandCommand(1, 'name a command')
    .strict()
    .fail((msg, err, y) => {
      if (err) reportAndExit(err);
      y.showHelp();
      process.stderr.write(`\nfaultmesh: ${msg}\n`);
      process.exit(EXIT_INVALID);
    })
    .help()
    .parseAsync();
} catch (err) {
  reportAndExit(err);
}
