#!/usr/bin/env -S node --max-semi-space-size=64 --min-semi-space-size=32
// The V8 flags above size the young generation for a proxy's in-flight
// requests: with Node's default (up to 16 MB, starting small) each request's
// objects outlive two scavenges under load, get promoted and cost full
// collections. Measured with `npm run bench`; see README.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { demoCommand } from './commands/demo.js';
import { faultsCommand } from './commands/faults.js';
import { proxyCommand } from './commands/proxy.js';
import { validateCommand } from './commands/validate.js';
import { EXIT_INVALID, reportAndExit, UsageError } from './exit.js';

// Flags that may be repeated; any other flag given twice is a mistake worth naming
// (yargs would otherwise hand the command an array where it expects one value).
const REPEATABLE = new Set(['_', 'admin', 'files']);

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
    .command(validateCommand)
    .command(demoCommand)
    .command(faultsCommand)
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
