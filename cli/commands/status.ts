import type { Argv } from 'yargs';
import { callControl } from '../../control/control-client.js';
import { formatStatus } from '../../control/status/format-status.js';
import type { Status } from '../../control/status/status.js';
import { describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import { controlTokenOf, oneControlUrl } from '../control-target.js';

const WATCH_EVERY_MS = 2000;

interface StatusArgs {
  readonly control?: string | undefined;
  readonly token?: string | undefined;
  readonly json: boolean;
  readonly watch: boolean;
}

/** One look at GET /v1/status; false when the control plane did not answer. */
async function showOnce(args: StatusArgs, url: string, token: string | undefined, clear: boolean): Promise<boolean> {
  const r = await callControl(url, 'GET', '/v1/status', token);
  const text = isOk(r) ? (args.json ? `${JSON.stringify(r.body, null, 2)}\n` : formatStatus(r.body as unknown as Status)) : `${describeFailure(r)}\n`;
  // Cleared only once the answer is in, so the screen never sits empty while waiting.
  process[isOk(r) ? 'stdout' : 'stderr'].write(`${clear ? '\x1b[2J\x1b[H' : ''}${text}`);
  return isOk(r);
}

export const statusCommand = {
  command: 'status',
  describe: 'what every proxy applied against what the control plane holds, discrepancies first',
  builder: (y: Argv) =>
    y
      .option('control', { type: 'string', describe: 'control plane URL (or FAULTMESH_CONTROL; default http://127.0.0.1:15100)' })
      .option('token', { type: 'string', describe: 'control token (or FAULTMESH_CONTROL_TOKEN)' })
      .option('json', { type: 'boolean', default: false, describe: 'print GET /v1/status as JSON' })
      .option('watch', { type: 'boolean', default: false, describe: `print again every ${WATCH_EVERY_MS / 1000}s until interrupted` }),
  handler: async (args: StatusArgs) => {
    // Checked once, before any request: a bad --control or a blank token exits 2.
    const url = oneControlUrl(args.control);
    const token = controlTokenOf(args.token);
    if (!args.watch) {
      if (!(await showOnce(args, url, token, false))) process.exitCode = 1;
      return;
    }
    process.on('SIGINT', () => process.exit(0));
    for (;;) {
      await showOnce(args, url, token, process.stdout.isTTY === true && !args.json);
      await new Promise((resolve) => setTimeout(resolve, WATCH_EVERY_MS));
    }
  },
};
