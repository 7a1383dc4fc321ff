import type { Argv } from 'yargs';
import { startControlPlane } from '../../control/control-plane.js';
import { parseAdminHost, parseAdminOrigin } from '../../proxy/admin/admin-access.js';
import { checkAdminToken } from '../../proxy/admin/auth.js';
import { checkDuration } from '../../proxy/config/duration.js';
import { parseListenAddress } from '../../proxy/config/listen-address.js';
import { UsageError } from '../exit.js';

const controlOptions = (y: Argv) =>
  y
    .option('listen', { type: 'string', default: '127.0.0.1:15100', describe: 'API address (loopback unless a token is set)' })
    .option('store', { type: 'string', choices: ['memory'], default: 'memory', describe: 'where the desired state lives' })
    .option('data', { type: 'string', describe: 'directory where the memory store keeps the mesh across restarts (leased things never survive one)' })
    .option('token', { type: 'string', describe: 'bearer token for every state change and for proxy streams (or FAULTMESH_CONTROL_TOKEN)' })
    .option('admin-host', { type: 'string', array: true, default: [] as string[], describe: 'a Host name the API answers to besides loopback ones (name or name:port); repeatable' })
    .option('admin-origin', { type: 'string', array: true, default: [] as string[], describe: 'a web origin allowed to change state (https://ops.example); repeatable' })
    .option('max-ttl', { type: 'string', default: '1h', describe: 'longest ttl a fault, registration or override may ask for' });

type ControlArgs = Awaited<ReturnType<typeof controlOptions>['argv']>;

function flag<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export const controlCommand = {
  command: 'control',
  describe: 'run the faultmesh control plane: the mesh, registrations, faults and overrides, pushed to every proxy',
  builder: controlOptions,
  handler: async (args: ControlArgs) => {
    const token = args.token ?? process.env.FAULTMESH_CONTROL_TOKEN;
    flag(() => checkAdminToken(token, args.token === undefined ? 'FAULTMESH_CONTROL_TOKEN' : '--token', 'the control plane'));
    const maxTtl = checkDuration(args['max-ttl']);
    if (!maxTtl.ok || maxTtl.ms <= 0) throw new UsageError(`--max-ttl: ${maxTtl.ok ? 'must be above 0' : maxTtl.message}`);
    const plane = await startControlPlane({
      listen: flag(() => parseListenAddress('listen', args.listen)),
      dataDir: args.data,
      token,
      adminHosts: args['admin-host'].map((h) => flag(() => parseAdminHost(h))),
      adminOrigins: args['admin-origin'].map((o) => flag(() => parseAdminOrigin(o))),
      maxTtlMs: maxTtl.ms,
    });
    process.stderr.write(`faultmesh: control plane on ${plane.url} (store: ${args.store}${args.data ? `, data in ${args.data}` : ''})\n`);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`faultmesh: ${signal}: closing proxy streams\n`);
      await plane.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  },
};
