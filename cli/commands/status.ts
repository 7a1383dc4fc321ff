import type { Argv } from 'yargs';
import { callControl } from '../../control/control-client.js';
import { formatStatus } from '../../control/status/format-status.js';
import type { Status } from '../../control/status/status.js';
import { describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import { controlTokenOf, oneControlUrl } from '../control-target.js';
import { CommandFailure, errorDocument, errorReport, errorText, EXIT_DIFFERS } from '../exit.js';
import { JSON_FLAG, printJson } from '../json-output.js';

const WATCH_EVERY_MS = 2000;

interface StatusArgs {
  readonly control?: string | undefined;
  readonly token?: string | undefined;
  readonly json: boolean;
  readonly watch: boolean;
}

/** GET /v1/status, or why the control plane did not give it. */
async function fetchStatus(url: string, token: string | undefined): Promise<Status> {
  const r = await callControl(url, 'GET', '/v1/status', token);
  if (!isOk(r)) throw new CommandFailure(describeFailure(r), typeof r.body.code === 'string' ? r.body.code : `HTTP_${r.status}`);
  return r.body as unknown as Status;
}

const print = (args: StatusArgs, status: Status, clear: boolean) => {
  if (args.json) return printJson(status);
  // Cleared only once the answer is in, so the screen never sits empty while waiting.
  process.stdout.write(`${clear ? '\x1b[2J\x1b[H' : ''}${formatStatus(status)}`);
};

/** --watch: one look every interval until interrupted; a look that fails is said, and the next one tried. */
async function watch(args: StatusArgs, url: string, token: string | undefined): Promise<never> {
  process.on('SIGINT', () => process.exit(0));
  for (;;) {
    try {
      print(args, await fetchStatus(url, token), process.stdout.isTTY === true && !args.json);
    } catch (err) {
      const r = errorReport(err);
      if (args.json) printJson(errorDocument(r));
      else process.stderr.write(errorText(r));
    }
    await new Promise((resolve) => setTimeout(resolve, WATCH_EVERY_MS));
  }
}

export const statusCommand = {
  command: 'status',
  describe: 'what every proxy applied against what the control plane holds, discrepancies first; exits 3 when there are discrepancies',
  builder: (y: Argv) =>
    y
      .option('control', { type: 'string', describe: 'control plane URL (or FAULTMESH_CONTROL; default http://127.0.0.1:15100)' })
      .option('token', { type: 'string', describe: 'control token (or FAULTMESH_CONTROL_TOKEN)' })
      .option('json', { ...JSON_FLAG, describe: 'print the control plane\'s GET /v1/status as one JSON document (see README: Control plane)' })
      .option('watch', { type: 'boolean', default: false, describe: `print again every ${WATCH_EVERY_MS / 1000}s until interrupted (with --json, one document each time)` }),
  handler: async (args: StatusArgs) => {
    // Checked once, before any request: a bad --control or a blank token exits 2.
    const url = oneControlUrl(args.control);
    const token = controlTokenOf(args.token);
    if (args.watch) return watch(args, url, token);
    const status = await fetchStatus(url, token);
    print(args, status, false);
    // Scripts wait on this: 0 once every proxy runs what the control plane holds, 3 while any does not, 1 when it could not be asked.
    if (status.discrepancies.length) process.exitCode = EXIT_DIFFERS;
  },
};
