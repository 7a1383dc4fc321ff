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
import { EXIT_INVALID, reportAndExit } from './exit.js';

await yargs(hideBin(process.argv))
  .scriptName('faultmesh')
  .parserConfiguration({ 'duplicate-arguments-array': false })
  .command(proxyCommand)
  .command(validateCommand)
  .command(demoCommand)
  .command(faultsCommand)
  .demandCommand(1, 'name a command')
  .strict()
  .fail((msg, err, y) => {
    if (err) reportAndExit(err);
    y.showHelp();
    process.stderr.write(`\nfaultmesh: ${msg}\n`);
    process.exit(EXIT_INVALID);
  })
  .help()
  .parseAsync()
  .catch(reportAndExit);
