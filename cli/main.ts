#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { demoCommand } from './commands/demo.js';
import { proxyCommand } from './commands/proxy.js';
import { validateCommand } from './commands/validate.js';
import { EXIT_INVALID, reportAndExit } from './exit.js';

await yargs(hideBin(process.argv))
  .scriptName('faultmesh')
  .command(proxyCommand)
  .command(validateCommand)
  .command(demoCommand)
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
